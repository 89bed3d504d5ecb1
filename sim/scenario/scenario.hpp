// The typed scenario (scenario-format.md, version 1): what load_scenario returns and to_yaml
// writes. Values are resolved: units parsed to integers, defaults applied, validator groups
// expanded into `validators`, stake distributions drawn (frozen in StakeSpec::values), load
// segment ends and inherited fields filled in, fault ids assigned. Source positions ride along
// (SourceLoc compares equal to any other, so they never make two scenarios differ).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/chain/params.hpp"
#include "core/node/cpu_costs.hpp"
#include "core/node/gossip/gossip_params.hpp"
#include "core/util/amount.hpp"
#include "core/util/time.hpp"
#include "sim/events/event_filter.hpp"
#include "sim/load/load_kinds.hpp"
#include "sim/load/size_mix.hpp"
#include "sim/net/distribution.hpp"
#include "sim/scenario/selector.hpp"
#include "sim/scenario/units.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace mt::sim {

using DistKind = Distribution::Kind;  // one enum for delay and stake distributions

// A delay distribution: constant{value: a}, uniform{min: a, max: b}, normal{mean: a, stddev: b},
// lognormal{median: a, sigma: shape}, pareto{scale: a, alpha: shape}.
struct DelayDist {
  DistKind kind = DistKind::constant;
  TimeUs a_us = 0;
  TimeUs b_us = 0;
  double shape = 0;
  bool operator==(const DelayDist&) const = default;
};

// A stake distribution; same parameter meaning as DelayDist but in token units. With `total`
// the drawn quantiles are scaled so the group's stakes sum to exactly `total`.
struct StakeDist {
  DistKind kind = DistKind::constant;
  Amount a = 0;
  Amount b = 0;
  double shape = 0;
  Amount total = 0;  // 0: no scaling
  bool operator==(const StakeDist&) const = default;
};

struct StakeSpec {
  enum class Kind : std::uint8_t { fixed, list, dist };
  Kind kind = Kind::fixed;
  Amount fixed = 0;
  StakeDist dist;
  std::vector<Amount> values;  // always filled: one stake per validator of the group
  bool operator==(const StakeSpec&) const = default;
};

struct ChainConfig {
  Params params;              // max_validators defaults to the number of declared validators
  bool fast_crypto = false;   // crypto: fast
  bool operator==(const ChainConfig& o) const;
};

struct LatencyPair {
  std::string from, to;
  TimeUs one_way_us = 0;
  bool symmetric = true;  // written `a~b`; `a->b` sets one direction only
  SourceLoc loc;
  bool operator==(const LatencyPair&) const = default;
};

struct PeersConfig {
  enum class Kind : std::uint8_t { full_mesh, random_regular, small_world };
  Kind kind = Kind::full_mesh;
  std::size_t degree = 0;  // random_regular
  std::size_t k = 0;       // small_world: ring neighbours (even)
  Ppm p = 0;               // small_world: rewiring probability
  SourceLoc loc;
  bool operator==(const PeersConfig&) const = default;
};

struct NetworkConfig {
  std::vector<std::string> zones;           // at least one ("local" when none is declared)
  DelayDist latency_default{DistKind::constant, 10 * kUsPerMs, 0, 0};  // default: constant 10ms
  std::vector<LatencyPair> matrix;
  // Where the matrix came from (absolute path), for people; its numbers are loaded into
  // `matrix` as directed pairs, so this is not compared and to_yaml writes it as a comment only.
  std::string matrix_file;
  TimeUs jitter_us = 0;
  std::uint64_t bandwidth_bits_per_s = 0;   // 0: unlimited
  Ppm loss = 0, duplicate = 0, reorder = 0;
  PeersConfig peers;
  // How long a node holds relayed tx / vote / evidence messages to send them to each peer in one
  // frame (NodeConfig::gossip_batch_interval). 0: every relay goes at once, on its own.
  TimeUs gossip_batch_us = 0;
  // `network.gossip`: the relay router (NodeConfig::gossip); gossipsub unless a scenario says flood.
  GossipParams gossip{.mode = GossipMode::gossipsub};
  bool operator==(const NetworkConfig& o) const;
};

struct ByzantineConfig {
  std::string behavior;            // equivocate_vote, ... (kByzantineBehaviors)
  std::uint64_t from_height = 0;   // 0: from genesis
  std::uint64_t until_height = 0;  // 0: forever
  std::optional<TimeUs> at_us;     // alternatively a time window
  std::optional<TimeUs> duration_us;
  TimeUs delay_us = 0;                 // delay_votes{by}
  Ppm fraction = 0;                    // censor{fraction}
  std::optional<Rate> rate;            // spam{rate}
  std::optional<Selector> to;          // selective_gossip{to}
  SourceLoc loc;
  bool operator==(const ByzantineConfig&) const = default;
};

struct ValidatorGroup {
  std::string name;
  std::size_t count = 0;
  StakeSpec stake;
  std::vector<std::string> zones;  // dealt round-robin
  bool at_genesis = true;          // false: a node that syncs and may `join` later
  std::optional<ByzantineConfig> byzantine;
  std::uint32_t cpu_speed_permille = 1000;  // cpu: {speed: 0.5}; of the machine `costs:` describes
  std::uint64_t uplink_bps = 0;             // bandwidth: {up: 100Mbit/s}; 0: unlimited
  std::uint64_t downlink_bps = 0;           // bandwidth: {down: 1Gbit/s}; 0: unlimited
  bool twin = false;  // twin: true: every validator of the group also runs as a twin (sim/scenario/twins.hpp)
  SourceLoc loc;
  bool operator==(const ValidatorGroup&) const = default;
};

// One validator after expansion; node i of the run is validators[i].
struct ResolvedValidator {
  std::string name;   // "core[3]"
  std::string group;
  std::size_t index_in_group = 0;
  std::string zone;
  Amount stake = 0;
  bool at_genesis = true;
  // A twin (Bano et al. 2020): a second node running validators[*twin_of]'s key with honest code.
  // Named "<group>_twin[i]", stake 0 here (its key's stake is the original's), after every group.
  std::optional<std::size_t> twin_of;
  bool operator==(const ResolvedValidator&) const = default;
  [[nodiscard]] bool is_twin() const { return twin_of.has_value(); }
};

struct AccountsConfig {
  std::uint32_t count = 0;     // 0: as many as the load needs
  Amount balance = 1'000'000'000;
  bool operator==(const AccountsConfig&) const = default;
};

struct GenesisAccountConfig {
  std::string name;   // the key is derived from (seed, name) by the runner
  Amount balance = 0;
  bool operator==(const GenesisAccountConfig&) const = default;
};

struct GenesisExtras {
  std::uint64_t time_ms = 0;
  std::vector<GenesisAccountConfig> accounts;
  bool operator==(const GenesisExtras&) const = default;
};


// How a subnet validator draws its weights (docs/ai-layer.md).
enum class WeightBehavior : std::uint8_t {
  honest,     // each miner's hidden true quality plus uniform noise
  colluding,  // everything on one favoured miner
  lazy,       // copies the latest row an honest validator of the subnet sent
};

struct SubnetValidatorGroup {
  WeightBehavior behavior = WeightBehavior::honest;
  std::size_t count = 0;
  Amount stake = 0;
  std::optional<std::size_t> favour;  // colluding: miner index (0-based); default the lowest-quality miner
  SourceLoc loc;
  bool operator==(const SubnetValidatorGroup&) const = default;
};

// A subnet registered at genesis: its validator neurons (uids first, in group order), then its
// miners. Each neuron's key is derived from (seed, subnet name, index) and funded like a load
// account so it can pay fees.
struct SubnetConfig {
  std::string name;
  std::uint64_t tempo_blocks = 10;
  std::uint16_t max_neurons = 0;      // resolved: at least validators + miners
  Amount min_stake = 1;
  std::size_t miners = 0;
  Ppm noise = 100'000;                // honest noise: +- this fraction of the full weight scale
  std::vector<SubnetValidatorGroup> validators;
  SourceLoc loc;
  bool operator==(const SubnetConfig&) const = default;
  [[nodiscard]] std::size_t validator_count() const;
};

struct LoadSpec {
  LoadKind kind = LoadKind::constant;
  LoadTx tx = LoadTx::transfer;
  Rate rate;                      // start rate (constant, poisson, ramp)
  Rate to_rate;                   // ramp: end rate
  TimeUs over_us = 0;             // ramp: time to reach to_rate
  std::uint64_t burst_count = 0;  // burst: txs per burst
  TimeUs every_us = 0;            // burst: period (0: one burst)
  TimeUs from_us = 0;
  TimeUs until_us = 0;            // resolved: the next segment's start or the run's end
  std::uint32_t accounts = 1000;
  SizeMix size;                   // `size:` target encoded tx sizes; empty: natural sizes
  SourceLoc loc;
  bool operator==(const LoadSpec&) const = default;
};

enum class FaultAction : std::uint8_t { partition, heal, crash, pause, clock_skew, link, stake, join, leave, messages };

// A message rule (`messages: {kind, from, to, heights, rounds, drop | delay}`): messages of one
// kind sent from `from` to `to` whose height and round fall in the ranges are dropped or delayed.
// Simulator only: the height and round come from decoding each message (each item of a gossip
// batch) on the simulated network's send path.
struct MessageRuleConfig {
  std::string kind;  // kMessageRuleKinds: proposal, vote, prevote, precommit, tx, evidence, status, block_request, block
  std::optional<std::pair<std::uint64_t, std::uint64_t>> heights;  // inclusive
  std::optional<std::pair<std::uint32_t, std::uint32_t>> rounds;   // inclusive
  bool drop = false;
  TimeUs delay_us = 0;  // when not dropped
  bool signer = false;  // `from` names the messages' signers, whoever relays them (votes, proposals)
  bool operator==(const MessageRuleConfig&) const = default;
};

// A point in the consensus protocol a fault may start at: the first time a validator matched by
// `node` (any validator when absent) proposes (step propose) or casts its prevote or precommit at
// this height and round. Simulator only (the testnet does not see every node's votes).
struct ProtocolPoint {
  enum class Step : std::uint8_t { propose, prevote, precommit };
  std::uint64_t height = 1;
  std::uint32_t round = 0;
  Step step = Step::propose;
  std::optional<Selector> node;
  bool operator==(const ProtocolPoint&) const = default;
  [[nodiscard]] std::string to_string() const;  // "height 5 round 0 precommit of v[1]"
};
std::string to_string(ProtocolPoint::Step step);

struct FaultConfig {
  std::string id;                      // given, or "fault-<n>" (1-based position)
  std::optional<TimeUs> at_us;         // trigger: exactly one of at_us / at_height / at_step
  std::optional<std::uint64_t> at_height;
  std::optional<ProtocolPoint> at_step;  // `at: {height, round, step, node}`
  FaultAction action = FaultAction::crash;
  // partition
  enum class PartitionMode : std::uint8_t { isolate, groups, one_way };
  PartitionMode partition_mode = PartitionMode::isolate;
  std::vector<Selector> groups;        // groups mode: each a selector (lists are unions)
  // targets: isolate / crash / pause / clock_skew / join / leave / stake `who`, link `from`,
  // one_way `from`.
  Selector targets;
  Selector to;                         // link / one_way `to`
  std::string heal_id;                 // heal: a fault id, or empty for every partition and link fault
  bool wipe = false;                   // crash
  std::string corrupt;                 // crash: a store table corrupted while down (kCorruptTables)
  std::string storage;                 // crash: a machine crash's storage damage (kStorageDamages)
  TimeUs skew_offset_us = 0;           // clock_skew
  std::int64_t drift_ppm = 0;
  std::optional<TimeUs> link_delay_us; // link
  std::optional<Ppm> link_loss, link_duplicate;
  std::optional<std::uint64_t> link_bandwidth_bits_per_s;
  Amount stake_amount = 0;             // stake: new bonded stake of `who`
  MessageRuleConfig message_rule;      // messages (`from` is targets, `to` is to)
  // end: at most one
  std::optional<TimeUs> duration_us;
  std::optional<std::uint64_t> until_height;
  std::optional<TimeUs> restart_after_us;  // crash only
  SourceLoc loc;
  bool operator==(const FaultConfig&) const = default;
};

struct NemesisConfig {
  std::vector<std::string> faults;   // kNemesisFaults
  std::vector<Selector> targets;     // target shapes drawn from
  TimeUs interval_us = 0;            // time between fault starts
  TimeUs duration_us = 0;            // how long each fault lasts (default interval / 2)
  TimeUs from_us = 0;
  TimeUs until_us = 0;               // resolved: the run's end when not given
  std::size_t max_concurrent = 1;
  SourceLoc loc;
  bool operator==(const NemesisConfig&) const = default;
};

struct Window {
  enum class Kind : std::uint8_t { always, steady, during, after, range };
  Kind kind = Kind::always;
  std::string fault_id;              // during / after
  TimeUs from_us = 0, until_us = 0;  // range
  bool operator==(const Window&) const = default;
  [[nodiscard]] std::string to_string() const;  // "always", "during:split", "[10s, 60s]"
};

// A metric threshold: a plain number, a duration or a rate, compared in the metric's own unit.
struct Bound {
  enum class Unit : std::uint8_t { number, duration, rate };
  Unit unit = Unit::number;
  double number = 0;       // number
  TimeUs time_us = 0;      // duration
  Rate rate;               // rate
  bool operator==(const Bound&) const = default;
  [[nodiscard]] std::string to_string() const;
};

struct Expectation {
  enum class Kind : std::uint8_t { check, metric };
  Kind kind = Kind::check;
  std::string name;                   // check name or metric path
  Window window;                      // default: always for checks, steady for metrics
  // check parameters
  std::optional<Selector> who;        // equivocators_slashed
  std::optional<TimeUs> within_us;    // recovers, equivocators_slashed
  std::optional<std::uint64_t> within_blocks;
  std::string after;                  // recovers: fault id
  std::optional<TimeUs> max_stall_us; // finality_progress
  std::optional<std::uint64_t> min_height;  // chain_height
  std::optional<Ppm> max_share;             // weights_consensus_resists_collusion
  // metric thresholds
  std::optional<Bound> min, max;
  SourceLoc loc;                      // file and line for JUnit
  bool operator==(const Expectation&) const = default;
};

struct ReportConfig {
  std::vector<std::string> outputs{"console", "json"};  // kReportOutputs
  TimeUs resolution_us = kUsPerSec;
  // report.events: which events events.jsonl keeps (docs/events.md).
  std::optional<HeightRange> event_heights;
  std::optional<Selector> event_nodes;
  // report.timeline: which heights and nodes timeline.json shows (docs/reports.md).
  std::optional<HeightRange> timeline_heights;
  std::optional<Selector> timeline_nodes;
  bool operator==(const ReportConfig&) const = default;
};

struct Scenario {
  int version = 1;
  std::string name;
  std::string description;
  std::string file;                     // where it was loaded from (not compared)
  std::optional<std::uint64_t> seed;
  std::optional<TimeUs> duration_us;    // at least one of duration / stop_at_height
  std::optional<std::uint64_t> stop_at_height;
  TimeUs warmup_us = 0;
  ChainConfig chain;
  NetworkConfig network;
  CpuCosts costs;                       // `costs:` per-operation CPU charges (docs/cost-model.md)
  std::vector<ValidatorGroup> groups;
  std::vector<ResolvedValidator> validators;  // expansion of groups, in order
  AccountsConfig accounts;
  GenesisExtras genesis;
  std::vector<LoadSpec> load;
  std::vector<SubnetConfig> subnets;
  std::vector<FaultConfig> faults;
  std::optional<NemesisConfig> nemesis;
  std::vector<Expectation> expect;
  ReportConfig report;
  std::vector<std::string> warnings;    // e.g. a quorum weaker than 2/3

  bool operator==(const Scenario& o) const;
  // Validators as selector targets (for resolve_selector).
  [[nodiscard]] std::vector<SelectorTarget> selector_targets() const;
  [[nodiscard]] Amount total_stake() const;
};

// Vocabulary lists (also used for "did you mean" hints).
extern const std::vector<std::string> kByzantineBehaviors;
extern const std::vector<std::string> kCheckNames;
extern const std::vector<std::string> kMetricPaths;
extern const std::vector<std::string> kNemesisFaults;
extern const std::vector<std::string> kMessageRuleKinds;
extern const std::vector<std::string> kCorruptTables;
// `crash: {who, storage: DAMAGE}`: lose_unsynced (a power loss), torn_write (a torn last write).
extern const std::vector<std::string> kStorageDamages;
extern const std::vector<std::string> kReportOutputs;

std::string to_string(DistKind k);
std::string to_string(LoadKind k);
std::string to_string(LoadTx k);
std::string to_string(WeightBehavior b);
std::string to_string(FaultAction k);

}  // namespace mt::sim

// Scenario model helpers: equality, vocabulary, canonical text of windows and bounds.
#include "sim/scenario/scenario.hpp"

#include <fmt/format.h>

#include "sim/scenario/behavior_registry.hpp"
#include "sim/scenario/check_registry.hpp"
#include "sim/scenario/metric_registry.hpp"

namespace mt::sim {

// Derived from the registries (behavior_, check_ and metric_registry.hpp): declared there once.
const std::vector<std::string> kByzantineBehaviors = behavior_names();
const std::vector<std::string> kCheckNames = check_names();
const std::vector<std::string> kMetricPaths = metric_paths();

const std::vector<std::string> kMessageRuleKinds{"proposal", "vote",   "prevote",       "precommit", "tx",
                                                 "evidence", "status", "block_request", "block"};
const std::vector<std::string> kCorruptTables{"consensus_record", "blocks", "commits", "snapshots"};
const std::vector<std::string> kStorageDamages{"lose_unsynced", "torn_write"};
const std::vector<std::string> kNemesisFaults{"partition", "crash", "pause", "clock_skew", "link_delay",
                                              "link_loss", "link_duplicate", "link_bandwidth"};

const std::vector<std::string> kReportOutputs{"console", "json", "csv", "sqlite", "html", "junit", "markdown", "events", "timeline"};

bool ChainConfig::operator==(const ChainConfig& o) const {
  codec::Writer a, b;
  params.encode(a);
  o.params.encode(b);
  return fast_crypto == o.fast_crypto && a.data() == b.data();
}

bool NetworkConfig::operator==(const NetworkConfig& o) const {
  return zones == o.zones && latency_default == o.latency_default && matrix == o.matrix && jitter_us == o.jitter_us &&
         bandwidth_bits_per_s == o.bandwidth_bits_per_s && loss == o.loss && duplicate == o.duplicate &&
         reorder == o.reorder && peers == o.peers && gossip_batch_us == o.gossip_batch_us &&
         gossip == o.gossip;
}

bool Scenario::operator==(const Scenario& o) const {
  return version == o.version && name == o.name && description == o.description && seed == o.seed &&
         duration_us == o.duration_us && stop_at_height == o.stop_at_height && warmup_us == o.warmup_us &&
         chain == o.chain && network == o.network && costs == o.costs && groups == o.groups && validators == o.validators &&
         accounts == o.accounts && genesis == o.genesis && load == o.load && subnets == o.subnets && faults == o.faults &&
         nemesis == o.nemesis && expect == o.expect && report == o.report;
}

std::vector<SelectorTarget> Scenario::selector_targets() const {
  std::vector<SelectorTarget> out;
  out.reserve(validators.size());
  for (const auto& v : validators) out.push_back({v.group, v.index_in_group, v.stake});
  return out;
}

Amount Scenario::total_stake() const {
  Amount total = 0;
  for (const auto& v : validators) total += v.stake;
  return total;
}

std::string Window::to_string() const {
  switch (kind) {
    case Kind::always: return "always";
    case Kind::steady: return "steady";
    case Kind::during: return "during:" + fault_id;
    case Kind::after: return "after:" + fault_id;
    case Kind::range: return "[" + format_duration(from_us) + ", " + format_duration(until_us) + "]";
  }
  return "?";
}

std::string Bound::to_string() const {
  switch (unit) {
    case Unit::number: return format_real(number);
    case Unit::duration: return format_duration(time_us);
    case Unit::rate: return format_rate(rate);
  }
  return "?";
}

std::string to_string(DistKind k) {
  static const char* const kNames[] = {"constant", "uniform", "normal", "lognormal", "pareto"};
  return kNames[static_cast<int>(k)];
}
std::string to_string(LoadKind k) {
  static const char* const kNames[] = {"constant", "poisson", "ramp", "burst"};
  return kNames[static_cast<int>(k)];
}
std::string to_string(LoadTx k) {
  static const char* const kNames[] = {"transfer", "stake", "delegate", "set_weights", "mix", "register_neuron"};
  return kNames[static_cast<int>(k)];
}
std::string to_string(WeightBehavior b) {
  static const char* const kNames[] = {"honest", "colluding", "lazy"};
  return kNames[static_cast<int>(b)];
}

std::size_t SubnetConfig::validator_count() const {
  std::size_t n = 0;
  for (const auto& g : validators) n += g.count;
  return n;
}
std::string to_string(FaultAction k) {
  static const char* const kNames[] = {"partition", "heal", "crash", "pause", "clock_skew",
                                       "link",      "stake", "join", "leave", "messages"};
  return kNames[static_cast<int>(k)];
}

std::string to_string(ProtocolPoint::Step step) {
  static const char* const kNames[] = {"propose", "prevote", "precommit"};
  return kNames[static_cast<int>(step)];
}

std::string ProtocolPoint::to_string() const {
  return fmt::format("height {} round {} {}{}", height, round, sim::to_string(step),
                     (node ? " of " + node->to_string() : ""));
}

}  // namespace mt::sim

#include "sim/explore/envelope.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "sim/explore/kinds.hpp"
#include "sim/scenario/map_reader.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace mt::sim::explore {

const std::vector<std::string> kStakeShapes{"equal", "skewed", "whale"};
const std::vector<std::string> kTopologies{"full_mesh", "random_regular", "small_world"};
const std::vector<std::string> kLoadTxs{"transfer", "stake", "delegate", "mix", "set_weights", "register_neuron"};

namespace {

const std::vector<std::string> kEnvelopeKeys{
    "version",    "validators", "big_validators", "big_fraction", "fault_phase",     "block_time",
    "latency",    "loss",       "load_tps",       "load_txs",     "stake_shapes",    "topologies",
    "faults",     "behaviours", "faults_per_seed", "over_third_fraction", "fast_crypto_fraction"};

// `[lo, hi]` or one value (lo = hi); lo <= hi.
template <class T>
void read_span(MapReader& m, std::string_view key, Parser<T> parse, Span<T>& out) {
  const YamlNode* n = m.get(key);
  if (n == nullptr) return;
  const std::string what = m.path(key);
  if (n->is_scalar()) {
    if (auto v = parse_node<T>(*n, what, parse, m.diag())) out = Span<T>{*v, *v};
    return;
  }
  if (!n->is_seq() || n->children.size() != 2) {
    m.diag().error(n->loc, what + ": expected [low, high] or one value, got " + n->type_name());
    return;
  }
  auto lo = parse_node<T>(n->children[0], what, parse, m.diag());
  auto hi = parse_node<T>(n->children[1], what, parse, m.diag());
  if (!lo || !hi) return;
  if (*lo > *hi) {
    m.diag().error(n->loc, what + ": the low end is above the high end");
    return;
  }
  out = Span<T>{*lo, *hi};
}

// A list of words from `choices` (may be empty: the kind is switched off entirely).
void read_words(MapReader& m, std::string_view key, const std::vector<std::string>& choices,
                std::vector<std::string>& out) {
  const YamlNode* n = m.get(key);
  if (n == nullptr) return;
  const std::string what = m.path(key);
  if (!n->is_seq()) {
    m.diag().error(n->loc, what + ": expected a list, got " + n->type_name());
    return;
  }
  out.clear();
  for (const auto& item : n->children) {
    auto w = read_word(item, what, choices, m.diag());
    if (w && std::find(out.begin(), out.end(), *w) == out.end()) out.push_back(*w);
  }
}

void check_limits(const Envelope& e, MapReader& m) {
  auto bad = [&](std::string_view key, const std::string& msg) { m.diag().error(m.loc_of(key), msg); };
  if (e.validators.lo < kMinValidators || e.validators.hi > kMaxValidators) {
    bad("validators", fmt::format("validators: must lie in [{}, {}]", kMinValidators, kMaxValidators));
  }
  if (e.big_validators.lo < kMinValidators || e.big_validators.hi > kMaxValidators) {
    bad("big_validators", fmt::format("big_validators: must lie in [{}, {}]", kMinValidators, kMaxValidators));
  }
  if (e.block_time.lo < kMinBlockTimeUs || e.block_time.hi > 60 * kUsPerSec) {
    bad("block_time", "block_time: must lie in [100ms, 1min]");
  }
  if (e.block_time.lo % kUsPerMs != 0 || e.block_time.hi % kUsPerMs != 0) {
    bad("block_time", "block_time: must be whole milliseconds");
  }
  if (e.fault_phase.lo < 5 * kUsPerSec || e.fault_phase.hi > kMaxFaultPhaseUs) {
    bad("fault_phase", "fault_phase: must lie in [5s, 10min]");
  }
  if (e.latency.lo < kUsPerMs / 10 || e.latency.hi > 2 * kUsPerSec) bad("latency", "latency: must lie in [100us, 2s]");
  if (e.loss.hi > 200'000) bad("loss", "loss: at most 20% (beyond it nothing is learned but timeouts)");
  if (e.load_tps.hi > kMaxLoadTps) bad("load_tps", fmt::format("load_tps: at most {}", kMaxLoadTps));
  if (e.faults_per_seed.hi > kMaxFaultsPerSeed) {
    bad("faults_per_seed", fmt::format("faults_per_seed: at most {}", kMaxFaultsPerSeed));
  }
  if (e.stake_shapes.empty()) bad("stake_shapes", "stake_shapes: at least one shape");
  if (e.topologies.empty()) bad("topologies", "topologies: at least one topology");
  if (e.load_txs.empty()) bad("load_txs", "load_txs: at least one tx kind (use load_tps: 0 for no load)");
}

void read_all(MapReader& m, Envelope& e) {
  if (auto v = m.count("version"); v && *v != 1) m.diag().error(m.loc_of("version"), "version: only 1 is known");
  read_span<std::uint64_t>(m, "validators", parse_count, e.validators);
  read_span<std::uint64_t>(m, "big_validators", parse_count, e.big_validators);
  if (auto f = m.fraction("big_fraction")) e.big_fraction = *f;
  read_span<TimeUs>(m, "fault_phase", parse_duration, e.fault_phase);
  read_span<TimeUs>(m, "block_time", parse_duration, e.block_time);
  read_span<TimeUs>(m, "latency", parse_duration, e.latency);
  read_span<Ppm>(m, "loss", parse_fraction, e.loss);
  read_span<std::uint64_t>(m, "load_tps", parse_count, e.load_tps);
  read_words(m, "load_txs", kLoadTxs, e.load_txs);
  read_words(m, "stake_shapes", kStakeShapes, e.stake_shapes);
  read_words(m, "topologies", kTopologies, e.topologies);
  read_words(m, "faults", kFaultKinds, e.faults);
  read_words(m, "behaviours", behaviour_kinds(), e.behaviours);
  read_span<std::uint64_t>(m, "faults_per_seed", parse_count, e.faults_per_seed);
  if (auto f = m.fraction("over_third_fraction")) e.over_third_fraction = *f;
  if (auto f = m.fraction("fast_crypto_fraction")) e.fast_crypto_fraction = *f;
}

}  // namespace

Envelope default_envelope() {
  Envelope e;
  e.faults = kFaultKinds;
  e.behaviours = behaviour_kinds();
  return e;
}

Result<Envelope> parse_envelope(std::string_view text, const std::string& file) {
  auto root = parse_yaml(text, file);
  if (!root) return root.error();
  Envelope e = default_envelope();
  e.file = file;
  Diagnostics diag;
  if (!root.value().is_null()) {  // an empty file is the defaults
    MapReader m(root.value(), "", kEnvelopeKeys, diag);
    if (m.valid()) {
      read_all(m, e);
      if (diag.ok()) check_limits(e, m);
    }
  }
  if (!diag.ok()) return Error{diag.joined()};
  return e;
}

Result<Envelope> load_envelope(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Error{path + ": cannot read the envelope file"};
  std::ostringstream text;
  text << f.rdbuf();
  if (text.str().size() > kMaxYamlBytes) return Error{path + ": larger than 16 MiB"};
  return parse_envelope(text.str(), path);
}

}  // namespace mt::sim::explore

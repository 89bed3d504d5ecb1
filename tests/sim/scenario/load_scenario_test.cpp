// The strict loader: a valid file resolves into the typed model (defaults, expansion, inheritance),
// and each class of mistake is an error that names file, line and column.
#include <doctest/doctest.h>

#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_writer.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kBase = R"(version: 1
name: t
duration: 2min
warmup: 10s
chain: { block_time: 2s, quorum: 2/3 }
network:
  zones: [us, eu]
  latency: { default: { dist: lognormal, median: 60ms, sigma: 0.35 }, matrix: { us~eu: 38ms }, jitter: 4ms }
  loss: 0.2%
  peers: { kind: random_regular, degree: 4 }
validators:
  - { group: core, count: 4, stake: 2000000, zone: us }
  - { group: tail, count: 6, stake: { dist: pareto, alpha: 1.3, total: 6000000 }, zone: [us, eu] }
load:
  - { from: 10s, kind: poisson, rate: 80/s, tx: transfer, accounts: 100 }
  - { from: 1min, kind: ramp, to_rate: 200/s, over: 30s }
faults:
  - { id: split, at: 30s, partition: { isolate: { stake_fraction: 0.34 } }, duration: 20s }
  - { at_height: 25, crash: "tail[0:2]", restart_after: 10s }
expect:
  - { check: no_conflicting_finality }
  - { check: recovers, after: split, within: 30s }
  - { metric: tps.finalized.mean, window: steady, min: 50 }
  - { metric: finality_latency.p99, max: 6s }
)";

Scenario load_ok(const std::string& text, const std::vector<std::string>& sets = {}) {
  auto s = load_scenario_text(text, "t.yaml", sets);
  REQUIRE_MESSAGE(s.ok(), s.error().message);
  return s.value();
}

// The loader's message for `text` with `line` replaced by `replacement` (1-based line).
std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
  auto s = load_scenario_text(text, "t.yaml", sets);
  REQUIRE_FALSE(s.ok());
  return s.error().message;
}

std::string with_line(int line, const std::string& replacement) {
  std::string text = kBase, out;
  int n = 1;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const std::string l = text.substr(start, end - start);
    out += (n == line ? replacement : l) + "\n";
    start = end + 1;
    ++n;
  }
  return out;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("a valid scenario loads into the typed model with groups expanded and defaults applied") {
  const Scenario s = load_ok(kBase);
  CHECK(s.name == "t");
  CHECK(s.duration_us == 120 * kUsPerSec);
  CHECK(s.chain.params.block_time_ms == 2000);
  CHECK(s.chain.params.max_validators == 10);  // default: every declared validator
  REQUIRE(s.validators.size() == 10);
  CHECK(s.validators[5].name == "tail[1]");
  CHECK(s.validators[4].zone == "us");
  CHECK(s.validators[5].zone == "eu");  // dealt round-robin
  Amount tail = 0;
  for (std::size_t i = 4; i < 10; ++i) tail += s.validators[i].stake;
  CHECK(tail == Amount{6'000'000});          // scaled exactly to total
  CHECK(s.validators[4].stake >= s.validators[9].stake);
  CHECK(s.network.loss == 2000);
  CHECK(s.network.matrix.size() == 1);
  REQUIRE(s.load.size() == 2);
  CHECK(s.load[0].until_us == 60 * kUsPerSec);   // ends where the next starts
  CHECK(s.load[1].until_us == 120 * kUsPerSec);  // the last runs to the end
  CHECK(s.load[1].rate.milli_count == 80'000);   // ramp starts from the previous rate
  CHECK(s.load[1].accounts == 100);
  CHECK(s.faults[1].id == "fault-2");
  CHECK(s.expect[0].window.kind == Window::Kind::always);
  CHECK(s.expect[3].window.kind == Window::Kind::steady);
  CHECK(s.expect[3].max->unit == Bound::Unit::duration);
  CHECK(s.expect[2].loc.line == 23);
}

TEST_CASE("unknown keys are errors with their position and a suggestion") {
  const auto e = error_of(with_line(5, "chain: { blok_time: 2s }"));
  CHECK(contains(e, "t.yaml:5:10: unknown key 'blok_time' in chain (did you mean 'block_time'?)"));
  CHECK(contains(error_of(with_line(3, "duraton: 2min")), "t.yaml:3:1: unknown key 'duraton' (did you mean 'duration'?)"));
}

TEST_CASE("duplicate keys are errors") {
  CHECK(contains(error_of(with_line(4, "duration: 1min")), "t.yaml:4:1: duplicate key 'duration'"));
}

TEST_CASE("wrong types and bad units are errors at the value") {
  CHECK(contains(error_of(with_line(3, "duration: 120")), "t.yaml:3:11: duration: missing unit"));
  CHECK(contains(error_of(with_line(3, "duration: [1s]")), "t.yaml:3:11: duration: expected a single value"));
  CHECK(contains(error_of(with_line(9, "  loss: 0.2ms")), "t.yaml:9:9: network.loss: bad fraction"));
  CHECK(contains(error_of(with_line(15, "  - { from: 10s, kind: poisson, rate: 80, tx: transfer }")),
                 "t.yaml:15:39: load[0].rate: missing unit"));
  CHECK(contains(error_of(with_line(15, "  - { from: 10s, kind: poison, rate: 80/s }")),
                 "load[0].kind: unknown value 'poison' (did you mean 'poisson'?)"));
  CHECK(contains(error_of(with_line(5, "chain: [1, 2]")), "t.yaml:5:8: chain: expected a mapping"));
}

TEST_CASE("impossible values are errors") {
  // A stake fraction above one.
  CHECK(contains(error_of(with_line(18, "  - { id: split, at: 30s, partition: { isolate: { stake_fraction: 1.2 } }, duration: 20s }")),
                 "t.yaml:18:67: fraction above 1"));
  // A fault that ends before it starts.
  CHECK(contains(error_of(with_line(19, "  - { at_height: 25, crash: tail, until_height: 20 }")),
                 "t.yaml:19:35: faults[1]: ends (height 20) before it starts (height 25)"));
  CHECK(contains(error_of(with_line(18, "  - { id: split, at: 30s, partition: { isolate: core }, duration: 0s }")),
                 "ends before it starts"));
  // A selector that matches nobody.
  CHECK(contains(error_of(with_line(19, "  - { at_height: 25, crash: \"tail[4:9]\" }")),
                 "t.yaml:19:29: 'tail[4:9]' is out of range"));
  CHECK(contains(error_of(with_line(19, "  - { at_height: 25, crash: tial }")), "did you mean 'tail'"));
  // A disconnected request: degree >= validator count.
  CHECK(contains(error_of(with_line(10, "  peers: { kind: random_regular, degree: 10 }")),
                 "t.yaml:10:10: network.peers: random_regular degree 10 needs 1 <= degree < 10"));
  // A fault starting after the run.
  CHECK(contains(error_of(with_line(18, "  - { id: split, at: 3min, pause: core }")), "starts after the run ends"));
  // Windows and recovers naming unknown faults.
  CHECK(contains(error_of(with_line(22, "  - { check: recovers, after: splt, within: 30s }")), "did you mean 'split'"));
  CHECK(contains(error_of(with_line(23, "  - { metric: tps.finalized.mean, window: during:x, min: 1 }")), "no fault with that id"));
  // Unknown check, and a check given a parameter it does not take.
  CHECK(contains(error_of(with_line(21, "  - { check: no_conflicting_finalty }")), "did you mean 'no_conflicting_finality'"));
  CHECK(contains(error_of(with_line(21, "  - { check: supply_conserved, within: 3s }")), "takes no 'within'"));
  // A run without an end.
  CHECK(contains(error_of(with_line(3, "")), "the run needs an end"));
}

TEST_CASE("gossip batching is a duration up to one second, off by default, and round-trips") {
  CHECK(load_ok(kBase).network.gossip_batch_us == 0);
  const Scenario s = load_ok(kBase, {"network.gossip_batch=25ms"});
  CHECK(s.network.gossip_batch_us == 25 * kUsPerMs);
  CHECK(load_ok(to_yaml(s)).network == s.network);
  CHECK(contains(error_of(kBase, {"network.gossip_batch=1500ms"}), "network.gossip_batch: 1500ms is above the 1s limit"));
  CHECK(contains(error_of(kBase, {"network.gossip_batch=20"}), "network.gossip_batch"));
}

TEST_CASE("many errors are reported at once, one per line") {
  std::string text = with_line(3, "duration: 5");
  text += "bogus: 1\n";
  const auto e = error_of(text);
  CHECK(contains(e, "t.yaml:3:"));
  CHECK(contains(e, "unknown key 'bogus'"));
}

TEST_CASE("a quorum below two thirds loads with a warning") {
  const Scenario s = load_ok(with_line(5, "chain: { block_time: 2s, quorum: 1/2 }"));
  REQUIRE(s.warnings.size() == 1);
  CHECK(contains(s.warnings[0], "not BFT-safe"));
  CHECK(s.chain.params.quorum_num == 1);
}

TEST_CASE("--set overrides apply before validation") {
  const Scenario s = load_ok(kBase, {"chain.block_time=3s", "validators[0].count=7", "seed=42"});
  CHECK(s.chain.params.block_time_ms == 3000);
  CHECK(s.validators.size() == 13);
  CHECK(s.seed == 42u);
  CHECK(contains(error_of(kBase, {"chain.block_time=3"}), "--set chain.block_time=3: chain.block_time: missing unit"));
}

TEST_CASE("byzantine behaviours and nemesis are checked against the vocabulary") {
  std::string text = kBase;
  text += "nemesis: { faults: [link_delay, pause], targets: [one, minority], interval: 30s, from: 1min }\n";
  const Scenario s = load_ok(text);
  REQUIRE(s.nemesis.has_value());
  CHECK(s.nemesis->until_us == 120 * kUsPerSec);
  CHECK(s.nemesis->duration_us == 15 * kUsPerSec);
  CHECK(contains(error_of(with_line(12, "  - { group: core, count: 4, stake: 2000000, byzantine: { behavior: equivocate_vot } }")),
                 "did you mean 'equivocate_vote'"));
  CHECK(contains(error_of(with_line(12, "  - { group: core, count: 4, stake: 2000000, byzantine: { behavior: delay_votes } }")),
                 "delay_votes needs 'by'"));
  const Scenario b = load_ok(with_line(12, "  - { group: core, count: 4, stake: 2000000, byzantine: { behavior: censor, fraction: 50%, from_height: 5 } }"));
  REQUIRE(b.groups[0].byzantine.has_value());
  CHECK(b.groups[0].byzantine->fraction == 500'000);
}

TEST_CASE("malformed documents of every shape are errors, never crashes") {
  const char* inputs[] = {"",
                          "42",
                          "[1, 2]",
                          "version: 1\n",
                          "version: 2\nduration: 1s\nvalidators: [{group: a, stake: 1}]\n",
                          "version: 1\nduration: 1s\nvalidators:\n",
                          "version: 1\nduration: 1s\nvalidators: [1]\nchain:\nnetwork: 5\n",
                          "version: 1\nduration: 1s\nvalidators: [{group: a, stake: 1}]\nfaults: [1, {}, {at: 1s}]\n",
                          "version: 1\nduration: 1s\nvalidators: [{group: a, stake: 1}]\nexpect: [{}, {check: []}]\n",
                          "version: 1\nduration: 1s\nvalidators: [{group: all, stake: {dist: pareto}}]\n",
                          "version: 1\nduration: 1s\nvalidators: [{group: a, count: 0, stake: 1}]\n",
                          "version: 1\nduration: 1s\nvalidators: [{group: a, stake: 0}]\nload: [{kind: burst}]\n",
                          "version: 1\nduration: 1s\nvalidators: [{group: a, count: 3, stake: {dist: normal, mean: 1, stddev: 5}}]\n",
                          "\t- :\n"};
  for (const char* text : inputs) {
    CAPTURE(text);
    auto s = load_scenario_text(text, "bad.yaml");
    CHECK_FALSE(s.ok());
    if (!s.ok()) CHECK_FALSE(s.error().message.empty());
  }
}

TEST_CASE("chain.max_block_time_drift loads as whole ms; unbonding shorter than the evidence window is refused") {
  const Scenario s = load_ok(with_line(5, "chain: { block_time: 2s, max_block_time_drift: 1500ms }"));
  CHECK(s.chain.params.max_block_time_drift_ms == 1500);
  CHECK(contains(error_of(kBase, {"chain.max_block_time_drift=0s"}), "max_block_time_drift must be positive"));
  CHECK(contains(error_of(kBase, {"chain.max_block_time_drift=2d"}), "at most a day"));
  CHECK(contains(error_of(kBase, {"chain.unbonding_blocks=500"}), "at least evidence_max_age_blocks"));
  CHECK(contains(error_of(kBase, {"chain.unbonding_blocks=50", "chain.evidence_max_age_blocks=10"}),
                 "at least epoch_blocks"));
  const Scenario ok = load_ok(kBase, {"chain.unbonding_blocks=100", "chain.evidence_max_age_blocks=100"});
  CHECK(ok.chain.params.unbonding_blocks == 100);
}

TEST_CASE("a protocol-point trigger needs a height, knows its steps and names validators") {
  auto with = [](const std::string& at) {
    const std::string text = "version: 1\nname: p\nduration: 10s\nvalidators:\n  - { group: v, count: 4, stake: 1 }\n"
                             "faults:\n  - { at: " + at + ", crash: \"v[0]\", restart_after: 1s }\n";
    return load_scenario_text(text, "p.yaml");
  };
  auto ok = with("{ height: 4, round: 2, step: precommit, node: \"v[3]\" }");
  REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message));
  const auto& point = *ok.value().faults[0].at_step;
  CHECK(point.height == 4);
  CHECK(point.round == 2);
  CHECK(point.step == ProtocolPoint::Step::precommit);
  CHECK(point.to_string() == "height 4 round 2 precommit of v[3]");
  CHECK(with("{ height: 4 }").value().faults[0].at_step->step == ProtocolPoint::Step::propose);
  CHECK_FALSE(with("{ round: 1 }").ok());                          // no height
  CHECK_FALSE(with("{ height: 4, step: decide }").ok());           // unknown step
  CHECK_FALSE(with("{ height: 4, node: proposer }").ok());         // known only while running
  CHECK_FALSE(with("{ height: 4, node: \"w[0]\" }").ok());         // no such group
}

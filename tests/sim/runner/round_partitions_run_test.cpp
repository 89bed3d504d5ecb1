// round_partitions act by the round of each message: cutting the round-0 proposer of height 3 off
// in round 0 makes that height take a later round while its neighbours take round 0, and the same
// cut scheduled for round 1 only (round 0 whole) leaves height 3 in round 0. With a twin pair split
// across two groups that each hold 3/5 of the keys, neither decides; after the heal the chain is
// safe and live again.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <map>

#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;

namespace {

struct Rounds {
  std::map<std::uint64_t, std::uint32_t> decided;  // height -> round of the first live commit
  std::map<std::uint64_t, std::size_t> proposer;   // height -> node proposing its round 0
  int exit_code = -1;
};

Rounds run(const std::string& extra) {
  const std::string text = fmt::format(
      "version: 1\nname: rp\nseed: 5\nduration: 14s\nchain: {{ block_time: 500ms, crypto: fast }}\n"
      "network: {{ latency: {{ default: 5ms }} }}\n"
      "validators:\n  - {{ group: v, count: 4, stake: 1000 }}\n{}"
      "expect:\n  - {{ check: no_conflicting_finality }}\n  - {{ check: honest_signs_once }}\n", extra);
  auto s = load_scenario_text(text, "rp.yaml");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  Rounds r;
  RunSettings settings;
  settings.seed = 5;
  settings.on_event = [&r](std::size_t node, TimeUs, const Event& e) {
    if (const auto* c = std::get_if<BlockCommitted>(&e); c != nullptr && !c->via_sync) r.decided.try_emplace(c->height, c->round);
    if (const auto* p = std::get_if<ProposalMade>(&e); p != nullptr && p->round == 0) r.proposer.try_emplace(p->height, node);
  };
  auto out = run_scenario(s.value(), settings);
  REQUIRE(out.error.empty());
  r.exit_code = out.result.exit_code;
  return r;
}

}  // namespace

TEST_CASE("round_partitions: a cut in round 0 delays its height by a round; the same cut in round 1 does not") {
  const Rounds plain = run("");
  REQUIRE(plain.proposer.count(3) == 1);
  REQUIRE(plain.decided.count(4) == 1);
  CHECK(plain.decided.at(3) == 0);
  const std::string p = fmt::format("\"v[{}]\"", plain.proposer.at(3));
  const Rounds cut = run(fmt::format(
      "faults:\n  - {{ id: rp, at: 100ms, duration: 8s, round_partitions: {{ heights: 3, schedule: [[[{}]]] }} }}\n", p));
  CHECK(cut.exit_code == 0);
  CHECK(cut.decided.at(2) == 0);
  CHECK(cut.decided.at(3) >= 1);  // its round-0 proposal reached nobody
  CHECK(cut.decided.at(4) == 0);  // after the heights, nothing is cut
  const Rounds later = run(fmt::format(
      "faults:\n  - {{ id: rp, at: 100ms, duration: 8s, round_partitions: {{ heights: 3, schedule: [[[v]], [[{}]]] }} }}\n", p));
  CHECK(later.exit_code == 0);
  CHECK(later.decided.at(3) == 0);
}

TEST_CASE("twins: a twin pair split across two groups without a quorum stays safe, and live after the heal") {
  const Rounds r = run("  - { group: t, count: 1, stake: 1000, twin: true }\n"
                       "faults:\n  - { id: rp, at: 100ms, duration: 6s, round_partitions: "
                       "{ heights: [2, 4], schedule: [[[t, \"v[0]\", \"v[1]\"], [t_twin, \"v[2]\", \"v[3]\"]]] } }\n");
  CHECK(r.exit_code == 0);
  CHECK(r.decided.count(6) == 1);  // live again after the heal
}

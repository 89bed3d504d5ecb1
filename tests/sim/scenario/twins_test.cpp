// Twins and per-round partitions in a scenario: `twin: true` adds a second node per validator of
// the group, running the same key (one genesis entry, no extra stake); `round_partitions` becomes
// one drop rule per (round, group, kind) whose round range is that schedule entry's (the last one
// open-ended), the unnamed nodes forming one more group; bad schedules are refused clearly.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>

#include "sim/run/chain_setup.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_writer.hpp"

using namespace mt;
using namespace mt::sim;

namespace {

const char* kBase =
    "version: 1\nname: twins\nseed: 3\nduration: 20s\n"
    "validators:\n  - { group: v, count: 3, stake: 1000 }\n  - { group: t, count: 1, stake: 1000, twin: true }\n";

Result<Scenario> load(const std::string& extra) { return load_scenario_text(kBase + extra, "twins.yaml"); }

std::vector<const FaultConfig*> rules_of(const Scenario& s, std::uint32_t first_round, const std::string& kind) {
  std::vector<const FaultConfig*> out;
  for (const auto& f : s.faults) {
    if (f.message_rule.rounds && f.message_rule.rounds->first == first_round && f.message_rule.kind == kind) {
      out.push_back(&f);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("twins: a twinned group's validators run twice, under one key and one genesis stake") {
  auto s = load("");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  const auto& v = s.value().validators;
  REQUIRE(v.size() == 5);
  CHECK(v[4].name == "t_twin[0]");
  CHECK(v[4].group == "t_twin");
  REQUIRE(v[4].twin_of.has_value());
  CHECK(*v[4].twin_of == 3);
  CHECK(v[4].stake == 0);
  CHECK(s.value().total_stake() == 4000);
  auto chain = make_chain_setup(s.value(), 3);
  REQUIRE(chain.ok());
  CHECK(chain.value().validators[4].key.public_key() == chain.value().validators[3].key.public_key());
  CHECK(chain.value().validators[2].key.public_key() != chain.value().validators[3].key.public_key());
  CHECK(chain.value().genesis.validators.size() == 4);  // the twin adds no validator-set entry
  // Written and read back: the group keeps `twin: true`, and the twin comes back.
  auto again = load_scenario_text(to_yaml(s.value()), "again.yaml");
  REQUIRE(again.ok());
  CHECK(again.value().validators == v);
}

TEST_CASE("twins: a group cannot be both byzantine and twinned, nor take its twins' group name") {
  auto both = load_scenario_text(std::string(kBase) + "  - { group: b, count: 1, stake: 10, twin: true, byzantine: amnesia }\n",
                                 "x.yaml");
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().message.find("either byzantine or twinned") != std::string::npos);
  auto clash = load_scenario_text(std::string(kBase) + "  - { group: t_twin, count: 1, stake: 10 }\n", "x.yaml");
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.error().message.find("t_twin") != std::string::npos);
}

TEST_CASE("round_partitions: one drop rule per round, group and kind; the last round sticks; the rest is a group") {
  auto s = load(
      "faults:\n  - { id: rp, at: 2s, duration: 8s, round_partitions: { heights: [3, 5], schedule: "
      "[[[\"v[0]\", t], [\"t_twin[0]\", \"v[1]\"]], [[v, t]]] } }\n");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  // Round 0: {v[0], t[0]}, {t_twin[0], v[1]} and the rest {v[2]}: 3 groups x 2 kinds.
  const auto r0 = rules_of(s.value(), 0, "vote");
  REQUIRE(r0.size() == 3);
  CHECK(rules_of(s.value(), 0, "proposal").size() == 3);
  for (const auto* f : r0) {
    CHECK(f->action == FaultAction::messages);
    CHECK(f->message_rule.drop);
    CHECK(f->message_rule.rounds->second == 0);
    CHECK((f->message_rule.heights == std::pair<std::uint64_t, std::uint64_t>{3, 5}));
    CHECK(f->at_us == 2 * kUsPerSec);
    CHECK(f->duration_us == 8 * kUsPerSec);
  }
  CHECK(r0[0]->id == "rp.r0.g0.vote");
  CHECK(r0[0]->targets.to_string() == "[v[0], t[0]]");
  CHECK(r0[0]->to.to_string() == "[v[1], v[2], t_twin[0]]");
  CHECK(r0[2]->targets.to_string() == "[v[2]]");  // the nodes no group names
  // Round 1 and later: {v, t} against the rest {t_twin[0]}.
  const auto r1 = rules_of(s.value(), 1, "proposal");
  REQUIRE(r1.size() == 2);
  CHECK(r1[0]->message_rule.rounds->second == std::numeric_limits<std::uint32_t>::max());
  CHECK(r1[1]->targets.to_string() == "[t_twin[0]]");
  // The resolved form is the rules themselves, and reads back identically.
  auto again = load_scenario_text(to_yaml(s.value()), "again.yaml");
  REQUIRE_MESSAGE(again.ok(), (again.ok() ? "" : again.error().message));
  CHECK(again.value().faults == s.value().faults);
}

TEST_CASE("round_partitions: overlapping groups, a missing schedule and a second action are errors") {
  auto overlap = load("faults:\n  - { at: 1s, round_partitions: { heights: 2, schedule: [[[v], [\"v[0]\"]]] } }\n");
  REQUIRE_FALSE(overlap.ok());
  CHECK(overlap.error().message.find("v[0] is in two groups of one round") != std::string::npos);
  auto missing = load("faults:\n  - { at: 1s, round_partitions: { heights: 2 } }\n");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("needs 'heights'") != std::string::npos);
  auto two = load("faults:\n  - { at: 1s, crash: \"v[0]\", round_partitions: { heights: 2, schedule: [[[v]]] } }\n");
  REQUIRE_FALSE(two.ok());
  CHECK(two.error().message.find("exactly one action") != std::string::npos);
  auto unknown = load("faults:\n  - { at: 1s, round_partitions: { heights: 2, schedule: [[[w]]] } }\n");
  REQUIRE_FALSE(unknown.ok());
}

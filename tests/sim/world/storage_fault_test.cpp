// Storage faults: a validator whose consensus record is corrupted while it is down notices at
// restart, follows the chain without ever signing again, and the others go on; the same crash
// and restart without the corruption votes again; a machine crash that loses unsynced writes or
// tears the last one, or a damaged block row, leaves a node that catches up. The faults load,
// round-trip and are refused by the testnet.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "sim/runner/world_builder.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_writer.hpp"
#include "sim/world/world.hpp"
#include "testnet/testnet_scope.hpp"

using namespace mt;
using namespace mt::sim;

namespace {

const char* kText = R"(version: 1
name: corrupt
duration: 16s
chain: { block_time: 1s, crypto: fast, timeouts: { propose: 1s, prevote: 500ms, precommit: 500ms } }
network:
  latency: { default: { dist: constant, value: 5ms } }
validators:
  - { group: v, count: 4, stake: 1000 }
faults:
  - { at: 3s, crash: { who: "v[1]", corrupt: consensus_record }, restart_after: 1s }
)";

struct Outcome {
  std::uint64_t votes_after_restart = 0;  // node 1's votes after 4s
  std::uint64_t height_1 = 0, height_0 = 0;
  bool signing_disabled = false;
};

Outcome run(bool corrupt) {
  auto s = load_scenario_text(kText, "corrupt.yaml");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  auto cfg = build_world_config(s.value(), 1, true);
  REQUIRE(cfg.ok());
  auto w = World::create(std::move(cfg).value());
  REQUIRE(w.ok());
  World& world = *w.value();
  Outcome o;
  world.add_listener([&o](std::size_t node, TimeUs now, const Event& e) {
    if (node == 1 && now > sec(4) && std::holds_alternative<VoteCast>(e)) ++o.votes_after_restart;
  });
  world.start(sec(16));
  world.scheduler().schedule_at(sec(3), [&world, corrupt] {
    world.crash(1);
    if (corrupt) world.corrupt_record(1);
  });
  world.scheduler().schedule_at(sec(4), [&world] { world.restart(1, false); });
  world.scheduler().run_until(sec(16));
  o.height_0 = world.height_of(0);
  o.height_1 = world.height_of(1);
  o.signing_disabled = world.node(1) != nullptr && world.node(1)->signing_disabled();
  return o;
}

}  // namespace

TEST_CASE("a corrupted consensus record: the node follows the chain and never signs again") {
  const auto bad = run(true);
  CHECK(bad.signing_disabled);
  CHECK(bad.votes_after_restart == 0);
  CHECK(bad.height_0 >= 10);
  CHECK(bad.height_1 + 2 >= bad.height_0);  // it follows
  const auto fine = run(false);
  CHECK_FALSE(fine.signing_disabled);
  CHECK(fine.votes_after_restart > 0);
}

TEST_CASE("crash { who, corrupt } loads, round-trips and is simulator only") {
  auto s = load_scenario_text(kText, "corrupt.yaml");
  REQUIRE(s.ok());
  CHECK(s.value().faults[0].corrupt == "consensus_record");
  auto back = load_scenario_text(to_yaml(s.value()), "back.yaml");
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message));
  CHECK(back.value().faults == s.value().faults);
  CHECK(testnet::check_testnet_scope(s.value()).refusals.size() == 1);
  auto wrong = load_scenario_text(kText, "corrupt.yaml", {"faults[0].crash.corrupt=everything"});
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("consensus_record") != std::string::npos);
}

namespace {

// Node 1 crashes at 3 s, its store is damaged by `damage` while down, and it restarts at 4 s.
Outcome run_damaged(const std::function<void(World&)>& damage) {
  auto s = load_scenario_text(kText, "damage.yaml");
  REQUIRE(s.ok());
  auto cfg = build_world_config(s.value(), 1, true);
  REQUIRE(cfg.ok());
  auto w = World::create(std::move(cfg).value());
  REQUIRE(w.ok());
  World& world = *w.value();
  world.keep_unsynced_logs(64);
  Outcome o;
  world.add_listener([&o](std::size_t node, TimeUs now, const Event& e) {
    if (node == 1 && now > sec(4) && std::holds_alternative<VoteCast>(e)) ++o.votes_after_restart;
  });
  world.start(sec(16));
  world.scheduler().schedule_at(sec(3), [&world, &damage] {
    world.crash(1);
    damage(world);
  });
  world.scheduler().schedule_at(sec(4), [&world] { world.restart(1, false); });
  world.scheduler().run_until(sec(16));
  o.height_0 = world.height_of(0);
  o.height_1 = world.height_of(1);
  o.signing_disabled = world.node(1) != nullptr && world.node(1)->signing_disabled();
  return o;
}

}  // namespace

TEST_CASE("a machine crash that loses unsynced writes, or a damaged block or commit row: the node catches up and votes") {
  for (const char* damage : {"lose_unsynced", "blocks", "commits", "snapshots"}) {
    CAPTURE(damage);
    const std::string d = damage;
    const auto o = run_damaged([&d](World& w) {
      if (d == "lose_unsynced") {
        w.damage_store(1, d);
      } else {
        w.corrupt_store(1, d);
      }
    });
    CHECK_FALSE(o.signing_disabled);
    CHECK(o.votes_after_restart > 0);
    CHECK(o.height_0 >= 10);
    CHECK(o.height_1 + 2 >= o.height_0);
  }
}

TEST_CASE("a torn last write: the node notices at restart and the chain goes on") {
  const auto o = run_damaged([](World& w) { w.damage_store(1, "torn_write"); });
  CHECK(o.height_0 >= 10);
  CHECK(o.height_1 + 2 >= o.height_0);  // it follows, signing or not
  CHECK(o.signing_disabled == (o.votes_after_restart == 0));
}

TEST_CASE("crash { who, storage } loads, round-trips and is refused by the testnet") {
  for (const char* damage : {"lose_unsynced", "torn_write"}) {
    auto s = load_scenario_text(kText, "storage.yaml", {"faults[0].crash.corrupt=blocks", std::string("faults[0].crash.storage=") + damage});
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    CHECK(s.value().faults[0].storage == damage);
    CHECK(s.value().faults[0].corrupt == "blocks");
    auto back = load_scenario_text(to_yaml(s.value()), "back.yaml");
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message));
    CHECK(back.value().faults == s.value().faults);
    const auto scope = testnet::check_testnet_scope(s.value());
    REQUIRE(scope.refusals.size() == 1);
    CHECK(scope.refusals[0].find(damage) != std::string::npos);
  }
  auto wrong = load_scenario_text(kText, "storage.yaml", {"faults[0].crash.storage=flood"});
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("lose_unsynced") != std::string::npos);
}

// `mtsim inspect`'s library: the same scenario, seed, time and node give byte-identical output;
// what inspect reports agrees with the node's state read directly through the World at the same
// instant; a crashed node is reported down with its store height; bad selectors are refused.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "sim/inspect/inspection.hpp"
#include "sim/inspect/inspection_json.hpp"
#include "sim/inspect/inspection_text.hpp"
#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/world/world.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kInspect = R"(version: 1
name: inspect-small
duration: 20s
chain: { block_time: 1s }
network:
  latency: { default: { dist: lognormal, median: 10ms, sigma: 0.3 } }
  loss: 1%
  peers: full_mesh
validators:
  - { group: v, count: 4, stake: 1000 }
load:
  - { kind: poisson, rate: 30/s, tx: transfer, accounts: 20 }
faults:
  - { id: down, at: 6s, crash: "v[3]", restart_after: 3s }
)";

Scenario load() {
  auto s = load_scenario_text(kInspect, "inspect-small.yaml");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return std::move(s).value();
}

NodeInspection inspect(const Scenario& s, TimeUs at, const std::string& node, std::vector<std::string> accounts = {}) {
  auto got = inspect_node(s, InspectRequest{3, at, node, std::move(accounts)});
  REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.error().message));
  return std::move(got).value();
}

// What the test reads straight from the world at the stop instant.
struct Direct {
  std::uint64_t height = 0, state_height = 0, store_height = 0;
  std::uint32_t round = 0;
  std::string step;
  std::int32_t locked_round = -1, valid_round = -1;
  std::size_t mempool = 0, prevotes = 0, precommits = 0, peers = 0;
  std::uint64_t prevote_power = 0;
};

Direct read_direct(const Scenario& s, TimeUs at, std::size_t index) {
  Direct d;
  RunSettings settings;
  settings.seed = 3;
  settings.stop_at_us = at;
  bool stopped = false;
  settings.on_stop = [&](World& world, TimeUs t) {
    stopped = true;
    CHECK(t == at);
    const Node* node = world.node(index);
    REQUIRE(node != nullptr);
    const Consensus& c = *node->consensus();
    d.height = c.height();
    d.round = c.round();
    d.step = std::string(consensus_step_name(c.step()));
    d.locked_round = c.locked_round();
    d.valid_round = c.valid_round();
    d.state_height = node->height();
    d.store_height = world.store(index).latest_height().value();
    d.mempool = node->mempool().size();
    d.peers = node->peers().size();
    if (const VoteSet* pv = c.votes(c.round(), VoteType::prevote)) {
      d.prevotes = pv->size();
      d.prevote_power = pv->power_any();
    }
    if (const VoteSet* pc = c.votes(c.round(), VoteType::precommit)) d.precommits = pc->size();
  };
  auto out = run_scenario(s, settings);
  REQUIRE(out.error.empty());
  REQUIRE(stopped);
  return d;
}

// The JSON vote set of (round, type), or null.
const nlohmann::ordered_json* vote_set(const nlohmann::ordered_json& j, std::uint32_t round, const char* type) {
  for (const auto& set : j["consensus"]["votes"]) {
    if (set["round"] == round && set["type"] == type) return &set;
  }
  return nullptr;
}

}  // namespace

TEST_SUITE("inspect") {
  TEST_CASE("inspect: the same scenario, seed, time and node give the same bytes") {
    const Scenario s = load();
    const auto a = inspect(s, 4'520'000, "v[1]", {"v[0]"});
    const auto b = inspect(s, 4'520'000, "v[1]", {"v[0]"});
    CHECK(inspection_json_text(a) == inspection_json_text(b));
    CHECK(inspection_text(a) == inspection_text(b));
    // A different instant is a different state (the test could fail).
    CHECK(inspection_json_text(inspect(s, 7'520'000, "v[1]")) != inspection_json_text(a));
  }

  TEST_CASE("inspect: --json agrees with the node read through the World at the same instant") {
    const Scenario s = load();
    // Instants in a round with votes held (2.03 s, 10.04 s), in the commit wait (4.53 s) and waiting
    // for the crashed v[3]'s proposal (9 s).
    for (TimeUs at : {2'030'000, 4'530'000, 9'000'000, 10'040'000}) {
      CAPTURE(at);
      const Direct d = read_direct(s, at, 2);
      const auto j = inspection_json(inspect(s, at, "v[2]"));
      CHECK(j["stopped_us"] == at);
      CHECK(j["up"] == true);
      CHECK(j["store_height"] == d.store_height);
      CHECK(j["state"]["height"] == d.state_height);
      CHECK(j["state"]["mempool"]["txs"] == d.mempool);
      CHECK(j["state"]["peers"].size() == d.peers);
      CHECK(j["consensus"]["height"] == d.height);
      CHECK(j["consensus"]["round"] == d.round);
      CHECK(j["consensus"]["step"] == d.step);
      CHECK((d.locked_round < 0 ? j["consensus"]["locked"].is_null() : j["consensus"]["locked"]["round"] == d.locked_round));
      CHECK((d.valid_round < 0 ? j["consensus"]["valid"].is_null() : j["consensus"]["valid"]["round"] == d.valid_round));
      const auto* pv = vote_set(j, d.round, "prevote");
      CHECK((pv == nullptr ? d.prevotes == 0 : (*pv)["votes"].size() == d.prevotes && (*pv)["voted_power"] == d.prevote_power));
      const auto* pc = vote_set(j, d.round, "precommit");
      CHECK((pc == nullptr ? d.precommits == 0 : (*pc)["votes"].size() == d.precommits));
      CHECK(j["validators"].size() == 4);
    }
  }

  TEST_CASE("inspect: a crashed node is down, with its store, and accounts resolve by name") {
    const Scenario s = load();
    const auto in = inspect(s, 7'000'000, "v[3]", {"v[0]"});
    CHECK_FALSE(in.up);
    CHECK_FALSE(in.snapshot.has_value());
    CHECK(in.store_height > 0);
    REQUIRE(in.accounts.size() == 1);
    CHECK(in.accounts[0].address == in.addresses[0]);
    CHECK(inspection_text(in).find("crashed") != std::string::npos);
  }

  TEST_CASE("inspect: a selector of several nodes, an unknown node or a bad account is a clear error") {
    const Scenario s = load();
    auto many = inspect_node(s, InspectRequest{1, 1'000'000, "v[0:2]", {}});
    REQUIRE_FALSE(many.ok());
    CHECK(many.error().message.find("selects 2 nodes") != std::string::npos);
    CHECK_FALSE(inspect_node(s, InspectRequest{1, 1'000'000, "w[0]", {}}).ok());
    auto bad = inspect_node(s, InspectRequest{1, 1'000'000, "v[0]", {"zz"}});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("--account zz") != std::string::npos);
  }
}

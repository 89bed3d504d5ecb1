// The explore generator is a pure function of (envelope, seed, weights): the same seed draws the
// same scenario, every drawn scenario loads back identically from the YAML explore writes, the
// envelope's ranges and on/off lists are honoured, and expectations follow the byzantine share.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "sim/explore/generator.hpp"
#include "sim/explore/kinds.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_writer.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::explore;

namespace {

bool expects(const Scenario& s, const std::string& check) {
  return std::any_of(s.expect.begin(), s.expect.end(), [&](const Expectation& e) { return e.name == check; });
}

Amount byzantine_stake(const Scenario& s) {
  Amount byz = 0;
  for (const auto& v : s.validators) {
    for (const auto& g : s.groups) {
      if (g.name == v.group && g.byzantine && v.at_genesis) byz += v.stake;
    }
  }
  return byz;
}

Amount genesis_stake(const Scenario& s) {
  Amount t = 0;
  for (const auto& v : s.validators) t += v.at_genesis ? v.stake : 0;
  return t;
}

}  // namespace

TEST_CASE("explore: a drawn scenario round-trips through the writer and the loader for many seeds") {
  const Envelope env = default_envelope();
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    auto g = generate_scenario(env, seed, {});
    REQUIRE_MESSAGE(g.ok(), (g.ok() ? std::string() : g.error().message));
    const std::string text = to_yaml(g.value().scenario);
    auto back = load_scenario_text(text, "explore.yaml");
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? std::string() : back.error().message));
    CHECK_MESSAGE(back.value() == g.value().scenario, "seed ", seed);
  }
}

TEST_CASE("explore: the same seed draws the same scenario, different seeds differ") {
  const Envelope env = default_envelope();
  auto a = generate_scenario(env, 42, {});
  auto b = generate_scenario(env, 42, {});
  auto c = generate_scenario(env, 43, {});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  CHECK(to_yaml(a.value().scenario) == to_yaml(b.value().scenario));
  CHECK(to_yaml(a.value().scenario) != to_yaml(c.value().scenario));
}

TEST_CASE("explore: byzantine stake stays under 1/3 with liveness expected, or is over it on purpose without") {
  const Envelope env = default_envelope();
  std::size_t over = 0, byzantine_seeds = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    auto g = generate_scenario(env, seed, {});
    REQUIRE(g.ok());
    const Scenario& s = g.value().scenario;
    const Amount byz = byzantine_stake(s);
    byzantine_seeds += byz > 0 ? 1 : 0;
    if (g.value().over_third) {
      ++over;
      CHECK(byz * 3 >= genesis_stake(s));
      CHECK_FALSE(expects(s, "finality_progress"));
      CHECK_FALSE(expects(s, "equivocators_slashed"));
    } else {
      CHECK_MESSAGE(byz * 3 < genesis_stake(s), "seed ", seed);
      CHECK(expects(s, "no_conflicting_finality"));
      CHECK(expects(s, "finality_progress"));
    }
  }
  CHECK(over > 5);             // about 10% of seeds
  CHECK(over < 90);
  CHECK(byzantine_seeds > 100);
}

TEST_CASE("explore: the envelope's ranges and lists bound every draw") {
  auto env = parse_envelope("validators: [5, 7]\nbig_fraction: 0\nfaults: [crash]\nbehaviours: []\n"
                            "faults_per_seed: [2, 2]\nload_txs: [transfer]\n", "e.yaml");
  REQUIRE_MESSAGE(env.ok(), (env.ok() ? std::string() : env.error().message));
  std::set<std::size_t> sizes;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    auto g = generate_scenario(env.value(), seed, {});
    REQUIRE(g.ok());
    const Scenario& s = g.value().scenario;
    sizes.insert(s.validators.size());
    CHECK(s.validators.size() >= 5);
    CHECK(s.validators.size() <= 7);
    CHECK(byzantine_stake(s) == 0);
    CHECK_FALSE(s.nemesis.has_value());
    for (const auto& f : s.faults) CHECK(f.action == FaultAction::crash);
    for (const auto& l : s.load) CHECK(l.tx == LoadTx::transfer);
  }
  CHECK(sizes.size() == 3);
}

TEST_CASE("explore: swarm weights switch a kind on more often") {
  auto env = parse_envelope("behaviours: []\n", "e.yaml");
  REQUIRE(env.ok());
  std::size_t plain = 0, weighted = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    auto a = generate_scenario(env.value(), seed, {});
    auto b = generate_scenario(env.value(), seed, {{"stake", 20}});
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    const auto& fa = a.value().swarm.faults;
    const auto& fb = b.value().swarm.faults;
    plain += std::find(fa.begin(), fa.end(), "stake") != fa.end() ? 1u : 0u;
    weighted += std::find(fb.begin(), fb.end(), "stake") != fb.end() ? 1u : 0u;
  }
  CHECK(plain > 60);   // about half
  CHECK(plain < 140);
  CHECK(weighted > 170);  // about 20/21
}

// The `subnets:` section and the AI-layer chain keys: a valid section resolves (defaults, uid
// layout), mistakes are errors naming file:line:column with hints, and to_yaml round-trips it.
#include <doctest/doctest.h>

#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_writer.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kText = R"(version: 1
name: sn
duration: 30s
chain: { block_time: 1s, emission_per_block: 500, emission: { miners: 40%, treasury: 5% }, yuma_kappa: 60% }
validators:
  - { group: v, count: 4, stake: 1000 }
subnets:
  - name: text
    tempo: 5
    miners: 6
    min_stake: 10
    noise: 5%
    validators:
      - { behavior: honest, count: 3, stake: 100 }
      - { behavior: colluding, count: 1, stake: 50, favour: 2 }
load:
  - { kind: constant, rate: 2/s, tx: set_weights }
expect:
  - { check: weights_consensus_resists_collusion, max_share: 10% }
  - { check: emission_conserved }
  - { metric: subnet.rank_correlation, min: 0.5 }
)";

Result<Scenario> load(const std::vector<std::string>& sets = {}, const char* text = kText) {
  return load_scenario_text(text, "sn.yaml", sets);
}
}  // namespace

TEST_CASE("a subnets section resolves with its defaults and the AI-layer chain keys") {
  auto r = load();
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  const Scenario& s = r.value();
  REQUIRE(s.subnets.size() == 1);
  const auto& sn = s.subnets[0];
  CHECK(sn.name == "text");
  CHECK(sn.tempo_blocks == 5);
  CHECK(sn.miners == 6);
  CHECK(sn.validator_count() == 4);
  CHECK(sn.max_neurons == 10);  // validators + miners when not given
  CHECK(sn.noise == 50'000);
  CHECK(sn.validators[1].favour == std::optional<std::size_t>(2));
  CHECK(s.chain.params.subnet_emission_per_block == 500);
  CHECK(s.chain.params.yuma_kappa_bp == 6000);
  REQUIRE(s.expect.size() == 3);
  CHECK(s.expect[0].max_share == std::optional<Ppm>(100'000));
}

TEST_CASE("emission shares that do not sum to 100% are an error") {
  // kText moves 5 points from treasury to miners: still 100%. Break it.
  auto r = load({"chain.emission.burn=6%"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("sum to exactly 10000") != std::string::npos);
}

TEST_CASE("subnet mistakes are errors with file, line, column and hints") {
  std::string text = kText;
  text.replace(text.find("    miners: 6"), 13, "    minners: 6");
  auto typo = load({}, text.c_str());
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().message.find("sn.yaml:10:5") != std::string::npos);  // file:line:column of the key
  CHECK(typo.error().message.find("miners") != std::string::npos);        // did you mean
  auto behavior = load({"subnets[0].validators[0].behavior=honset"});
  REQUIRE_FALSE(behavior.ok());
  CHECK(behavior.error().message.find("honest") != std::string::npos);
  auto favour = load({"subnets[0].validators[1].favour=6"});
  REQUIRE_FALSE(favour.ok());
  CHECK(favour.error().message.find("has 6 miners") != std::string::npos);
  auto stake = load({"subnets[0].validators[0].stake=5"});
  REQUIRE_FALSE(stake.ok());
  CHECK(stake.error().message.find("below min_stake") != std::string::npos);
  auto small = load({"subnets[0].max_neurons=4"});
  REQUIRE_FALSE(small.ok());
  CHECK(small.error().message.find("below the 10 neurons") != std::string::npos);
  auto share = load({"expect[0].max_share=lots"});
  REQUIRE_FALSE(share.ok());
}

TEST_CASE("set_weights load and subnet checks without a subnets section are errors") {
  const std::string no_subnets = R"(version: 1
name: x
duration: 10s
validators: [ { group: v, count: 1, stake: 1 } ]
load: [ { kind: constant, rate: 1/s, tx: register_neuron } ]
expect: [ { check: emission_conserved } ]
)";
  auto r = load_scenario_text(no_subnets, "x.yaml", {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("tx register_neuron needs a 'subnets:' section") != std::string::npos);
  CHECK(r.error().message.find("check emission_conserved needs a 'subnets:' section") != std::string::npos);
}

TEST_CASE("a subnets section survives to_yaml and back unchanged") {
  auto r = load();
  REQUIRE(r.ok());
  const std::string text = to_yaml(r.value());
  auto back = load_scenario_text(text, "sn.yaml", {});
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message + "\n" + text));
  CHECK(back.value() == r.value());
  CHECK(back.value().subnets == r.value().subnets);
  CHECK(back.value().chain.params.emission_miners_bp == 4000);
}

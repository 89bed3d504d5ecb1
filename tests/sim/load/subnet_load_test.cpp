// Subnet load: the plan is deterministic in the seed and lays out uids as validators then miners;
// honest validators score near the hidden quality, colluders put everything on the favoured
// (worst) miner, lazy ones copy the last honest row; set_weights and register_neuron
// transactions are signed by the right keys with consecutive nonces.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "sim/load/load_generator.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kText = R"(version: 1
name: sl
duration: 30s
validators: [ { group: v, count: 2, stake: 1000 } ]
subnets:
  - name: a
    miners: 5
    noise: 0%
    validators:
      - { behavior: honest, count: 2, stake: 100 }
      - { behavior: colluding, count: 1, stake: 100 }
      - { behavior: lazy, count: 1, stake: 100 }
load: [ { kind: constant, rate: 10/s, tx: set_weights } ]
)";

Scenario scenario() {
  auto s = load_scenario_text(kText, "sl.yaml", {});
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return s.value();
}

LoadGenerator generator(const std::shared_ptr<const SubnetPlan>& plan, LoadTx mix) {
  LoadSegment seg;
  seg.tx = mix;
  seg.rate_milli_per_s = 10'000;
  seg.accounts = 3;
  seg.subnets = plan;
  return LoadGenerator({seg}, "moderntensor-testnet", crypto::Backend::fast, 1, 7, {});
}
}  // namespace

TEST_CASE("the subnet plan is deterministic per seed: validators first, miners with hidden quality, worst miner favoured") {
  const Scenario s = scenario();
  const SubnetPlan a = SubnetPlan::make(s, 1), b = SubnetPlan::make(s, 1), c = SubnetPlan::make(s, 2);
  REQUIRE(a.subnets.size() == 1);
  const auto& sn = a.subnets[0];
  CHECK(sn.validators == 4);
  CHECK(sn.miners() == 5);
  CHECK(sn.colluding_stake == 100);
  CHECK(sn.validator_stake == 400);
  REQUIRE(sn.favoured_uid.has_value());
  for (std::size_t m = 4; m < 9; ++m) {
    CHECK(sn.neurons[m].quality >= 1);
    CHECK(sn.neurons[*sn.favoured_uid].quality <= sn.neurons[m].quality);
    CHECK(sn.neurons[m].quality == b.subnets[0].neurons[m].quality);
  }
  CHECK(a.neuron_accounts() == b.neuron_accounts());
  CHECK(a.neuron_accounts() != c.neuron_accounts());
  const auto g = a.genesis();
  REQUIRE(g.size() == 1);
  CHECK(g[0].neurons.size() == 9);
  CHECK(g[0].neurons[0].stake == 100);
  CHECK(g[0].neurons[5].stake == 0);
}

TEST_CASE("honest, colluding and lazy validators draw their rows as documented") {
  auto plan = std::make_shared<const SubnetPlan>(SubnetPlan::make(scenario(), 1));
  const auto& sn = plan->subnets[0];
  auto gen = generator(plan, LoadTx::set_weights);
  // Lazy before any honest row: the noiseless qualities.
  auto lazy_first = gen.weights_for(0, 3);
  REQUIRE(lazy_first.size() == 5);
  auto honest = gen.weights_for(0, 0);
  REQUIRE(honest.size() == 5);
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(honest[k].uid == 4 + k);
    CHECK(honest[k].weight == sn.neurons[4 + k].quality);  // noise 0%
    CHECK(lazy_first[k] == honest[k]);
  }
  auto colluding = gen.weights_for(0, 2);
  REQUIRE(colluding.size() == 1);
  CHECK(colluding[0].uid == *sn.favoured_uid);
  CHECK(colluding[0].weight == kFullWeight);
  CHECK(gen.weights_for(0, 3) == honest);  // lazy copies the last honest row
}

TEST_CASE("set_weights load signs with the validator neurons' keys and consecutive nonces") {
  auto plan = std::make_shared<const SubnetPlan>(SubnetPlan::make(scenario(), 1));
  auto gen = generator(plan, LoadTx::set_weights);
  std::map<Address, std::uint64_t> next;
  crypto::Verifier verifier(crypto::Backend::fast);
  std::set<Address> validators;
  for (std::size_t i = 0; i < 4; ++i) validators.insert(plan->subnets[0].neurons[i].key.public_key());
  for (int i = 0; i < 40; ++i) {
    REQUIRE(gen.next_arrival(1'000'000'000).has_value());
    auto tx = gen.make_tx();
    CHECK(tx->tx().kind() == TxKind::set_weights);
    CHECK(validators.count(tx->tx().sender) == 1);
    CHECK(tx->tx().nonce == next[tx->tx().sender]++);
    CHECK(tx->signature_valid(verifier));
  }
}

TEST_CASE("register_neuron load registers fresh hotkeys paid by load accounts") {
  auto plan = std::make_shared<const SubnetPlan>(SubnetPlan::make(scenario(), 1));
  auto gen = generator(plan, LoadTx::register_neuron);
  std::set<Address> hotkeys;
  for (int i = 0; i < 10; ++i) {
    REQUIRE(gen.next_arrival(1'000'000'000).has_value());
    auto tx = gen.make_tx();
    const auto* p = std::get_if<RegisterNeuron>(&tx->tx().payload);
    REQUIRE(p != nullptr);
    CHECK(p->netuid == 0);
    CHECK(hotkeys.insert(p->hotkey).second);
  }
}

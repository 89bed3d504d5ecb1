#include "core/state/genesis.hpp"

#include <fmt/format.h>

#include "core/crypto/hash.hpp"
#include "core/state/block_executor.hpp"
#include "core/state/state_builder.hpp"
#include "core/state/subnet/txs.hpp"

namespace mt::state {

Hash32 genesis_hash(const Hash32& genesis_root, std::string_view chain_id) {
  return crypto::Hasher("mt/genesis").update(as_bytes(chain_id)).update(genesis_root.view()).finish();
}

Result<StatePtr> make_genesis(const GenesisConfig& config) {
  if (auto st = config.params.validate(); !st.ok()) return make_error("genesis params: " + st.error().message);
  StateBuilder b(nullptr);
  b.params() = config.params;
  Amount supply = 0;
  auto add_supply = [&](Amount a) {
    auto s = checked_add(supply, a);
    if (s) supply = *s;
    return s.has_value();
  };
  std::vector<ValidatorInfo> validators;
  for (const auto& gv : config.validators) {
    if (gv.stake == 0) return make_error("genesis validator " + gv.address.short_hex() + " has zero stake");
    if (b.validator(gv.address)) return make_error("duplicate genesis validator " + gv.address.short_hex());
    if (!add_supply(gv.stake)) return make_error("genesis supply overflows");
    ValidatorInfo v;
    v.address = gv.address;
    v.self_stake = gv.stake;
    b.put_validator(v);
    validators.push_back(v);
  }
  for (const auto& ga : config.accounts) {
    if (b.account(ga.address) != Account{}) return make_error("duplicate genesis account " + ga.address.short_hex());
    if (!add_supply(ga.balance)) return make_error("genesis supply overflows");
    b.put_account(ga.address, Account{ga.balance, 0});
  }
  SubnetTxs ai(b, config.params, 0);
  for (std::size_t i = 0; i < config.subnets.size(); ++i) {
    const auto& gs = config.subnets[i];
    const std::string what = fmt::format("genesis subnet {}: ", i);
    if (auto st = ai.create_subnet(gs.owner, CreateSubnet{gs.name, gs.min_stake, gs.max_neurons, gs.tempo_blocks});
        !st.ok()) {
      return make_error(what + st.error().message);
    }
    if (gs.neurons.size() > gs.max_neurons) return make_error(what + "more neurons than max_neurons");
    for (const auto& gn : gs.neurons) {
      if (!add_supply(gn.stake)) return make_error("genesis supply overflows");
      Account funded{gn.stake, 0};  // the stake enters the supply here and is locked at once
      auto st = ai.register_neuron(gn.owner, RegisterNeuron{static_cast<std::uint32_t>(i), gn.hotkey, gn.endpoint,
                                                            gn.stake}, funded);
      if (!st.ok()) return make_error(what + st.error().message);
    }
  }
  auto powers = select_validators(std::move(validators), config.params);
  if (powers.empty()) return make_error("genesis has no active validator (stake below min_validator_stake?)");
  b.validator_set() = ValidatorSet::genesis(std::move(powers));
  b.last_validator_set() = ValidatorSet{};
  b.meta() = ChainMeta{0, config.genesis_time_ms, supply, 0, 0};
  auto s = b.finish(Hash32{});
  StateBuilder::seal(*s, genesis_hash(s->root(), config.params.chain_id));
  return StatePtr(std::move(s));
}

}  // namespace mt::state

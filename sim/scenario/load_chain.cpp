// `chain:` — protocol parameters handed to the real code (mt::Params), plus the crypto backend.
#include <limits>

#include "sim/scenario/load_sections.hpp"

namespace mt::sim::detail {
namespace {

template <class T>
void set_int(MapReader& r, const char* key, T& field) {
  auto v = r.count(key);
  if (!v) return;
  if (*v > std::numeric_limits<T>::max()) {
    r.diag().error(r.loc_of(key), r.path(key) + ": " + std::to_string(*v) + " is too large");
    return;
  }
  field = static_cast<T>(*v);
}

void set_ms(MapReader& r, const char* key, std::uint64_t& field) {
  if (auto v = whole_ms(r.duration(key), r.loc_of(key), r.path(key), r.diag())) field = *v;
}

void set_bp(MapReader& r, const char* key, std::uint32_t& field) {
  auto v = r.fraction(key);
  if (!v) return;
  if (*v % 100 != 0) {
    r.diag().error(r.loc_of(key), r.path(key) + ": finer than one basis point (0.01%)");
    return;
  }
  field = *v / 100;
}

void read_timeouts(const YamlNode& node, Params& p, Diagnostics& diag) {
  MapReader r(node, "chain.timeouts",
              {"propose", "propose_delta", "prevote", "prevote_delta", "precommit", "precommit_delta"}, diag);
  set_ms(r, "propose", p.timeout_propose_ms);
  set_ms(r, "propose_delta", p.timeout_propose_delta_ms);
  set_ms(r, "prevote", p.timeout_prevote_ms);
  set_ms(r, "prevote_delta", p.timeout_prevote_delta_ms);
  set_ms(r, "precommit", p.timeout_precommit_ms);
  set_ms(r, "precommit_delta", p.timeout_precommit_delta_ms);
}

void read_sizes_and_amounts(MapReader& r, Params& p) {
  for (auto [key, field] : {std::pair{"max_block_bytes", &p.max_block_bytes}, std::pair{"max_tx_bytes", &p.max_tx_bytes}}) {
    if (auto v = r.read<std::uint64_t>(key, parse_size)) {
      if (*v > std::numeric_limits<std::uint32_t>::max()) {
        r.diag().error(r.loc_of(key), r.path(key) + ": too large");
      } else {
        *field = static_cast<std::uint32_t>(*v);
      }
    }
  }
  if (auto v = r.amount("min_validator_stake")) p.min_validator_stake = *v;
  if (auto v = r.amount("block_reward")) p.block_reward = *v;
  if (auto v = r.amount("min_fee")) p.min_fee = *v;
}

// The AI layer's parameters: chain.emission (the seven shares) and the flat keys.
void read_ai(MapReader& r, Params& p, Diagnostics& diag) {
  if (auto v = r.amount("emission_per_block")) p.subnet_emission_per_block = *v;
  set_bp(r, "yuma_kappa", p.yuma_kappa_bp);
  set_bp(r, "slash_unrevealed", p.slash_unrevealed_bp);
  set_int(r, "max_subnets", p.max_subnets);
  set_int(r, "max_neurons_per_subnet", p.max_neurons_per_subnet);
  set_int(r, "neuron_immunity_blocks", p.neuron_immunity_blocks);
  set_int(r, "reveal_window_blocks", p.reveal_window_blocks);
  const YamlNode* e = r.get("emission");
  if (e == nullptr) return;
  MapReader m(*e, "chain.emission",
              {"miners", "validators", "infrastructure", "stakers", "subnet_owner", "burn", "treasury"}, diag);
  set_bp(m, "miners", p.emission_miners_bp);
  set_bp(m, "validators", p.emission_validators_bp);
  set_bp(m, "infrastructure", p.emission_infrastructure_bp);
  set_bp(m, "stakers", p.emission_stakers_bp);
  set_bp(m, "subnet_owner", p.emission_subnet_owner_bp);
  set_bp(m, "burn", p.emission_burn_bp);
  set_bp(m, "treasury", p.emission_treasury_bp);
}

}  // namespace

std::optional<std::uint64_t> whole_ms(const std::optional<TimeUs>& us, const SourceLoc& loc, const std::string& what,
                                      Diagnostics& diag) {
  if (!us) return std::nullopt;
  if (*us % kUsPerMs != 0) {
    diag.error(loc, what + ": must be a whole number of milliseconds");
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*us / kUsPerMs);
}

void read_chain(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  MapReader r(node, "chain",
              {"chain_id", "block_time", "max_block_time_drift", "max_block_txs", "max_block_bytes", "max_tx_bytes", "epoch_blocks",
               "max_validators", "min_validator_stake", "unbonding_blocks", "power_reduction", "quorum",
               "slash_double_sign", "slash_downtime", "jail_blocks", "downtime_window_blocks",
               "downtime_min_signed", "evidence_max_age_blocks", "block_reward", "min_fee", "fee_burn",
               "timeouts", "crypto", "emission_per_block", "emission", "yuma_kappa", "slash_unrevealed",
               "max_subnets", "max_neurons_per_subnet", "neuron_immunity_blocks", "reveal_window_blocks"},
              diag);
  Params& p = s.chain.params;
  if (auto v = r.text("chain_id")) p.chain_id = *v;
  set_ms(r, "block_time", p.block_time_ms);
  set_ms(r, "max_block_time_drift", p.max_block_time_drift_ms);
  set_int(r, "max_block_txs", p.max_block_txs);
  set_int(r, "epoch_blocks", p.epoch_blocks);
  set_int(r, "max_validators", p.max_validators);
  set_int(r, "unbonding_blocks", p.unbonding_blocks);
  set_int(r, "power_reduction", p.power_reduction);
  set_int(r, "jail_blocks", p.jail_blocks);
  set_int(r, "downtime_window_blocks", p.downtime_window_blocks);
  set_int(r, "evidence_max_age_blocks", p.evidence_max_age_blocks);
  set_bp(r, "slash_double_sign", p.slash_double_sign_bp);
  set_bp(r, "slash_downtime", p.slash_downtime_bp);
  set_bp(r, "downtime_min_signed", p.downtime_min_signed_bp);
  set_bp(r, "fee_burn", p.fee_burn_bp);
  read_sizes_and_amounts(r, p);
  read_ai(r, p, diag);
  if (auto q = r.read<Ratio>("quorum", parse_ratio)) {
    if (q->num > std::numeric_limits<std::uint32_t>::max() || q->den > std::numeric_limits<std::uint32_t>::max()) {
      diag.error(r.loc_of("quorum"), "chain.quorum: numbers too large");
    } else {
      p.quorum_num = static_cast<std::uint32_t>(q->num);
      p.quorum_den = static_cast<std::uint32_t>(q->den);
    }
  }
  if (const YamlNode* t = r.get("timeouts")) read_timeouts(*t, p, diag);
  if (auto c = r.word("crypto", {"real", "fast"})) s.chain.fast_crypto = *c == "fast";
  if (p.block_time_ms == 0 && r.has("block_time")) diag.error(r.loc_of("block_time"), "chain.block_time must be above 0");
}

}  // namespace mt::sim::detail

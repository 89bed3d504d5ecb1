#include "sim/checks/subnet_checks.hpp"

#include <cstdio>
#include <fmt/format.h>

#include "core/state/subnet/store.hpp"
#include "core/state/subnet/yuma_scoring.hpp"

namespace mt::sim {

namespace {

std::string amt(Amount a) { return amount_to_string(a); }

std::string share_text(std::uint64_t incentive) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", static_cast<double>(incentive) * 100.0 / static_cast<double>(state::kYumaOne));
  return buf;
}

}  // namespace

void EmissionConserved::on_event(std::size_t node, TimeUs t, const Event& e) {
  replica_->on_event(node, t, e, view());
  if (replica_->invalid_block()) return;  // no_invalid_tx_committed reports it
  if (replica_->supply_violation()) fail(replica_->supply_violation()->at_us, replica_->supply_violation()->detail);
  if (replica_->height() > seen_height_) inspect(t);
}

void EmissionConserved::inspect(TimeUs t) {
  const state::State& s = *replica_->state();
  seen_height_ = s.height();
  const state::SubnetView view(s);
  const Params& p = s.params();
  Amount treasury_parts = 0;
  const std::string at = fmt::format("after height {}: ", seen_height_);
  for (std::uint32_t netuid = 0; netuid < view.subnet_count(); ++netuid) {
    const auto now = view.subnet(netuid);
    if (!now) continue;
    treasury_parts += now->to_treasury;
    const auto before_it = last_.find(netuid);
    state::SubnetInfo before = before_it != last_.end() ? before_it->second : *now;
    if (before_it == last_.end()) {  // first sight: counters are cumulative, check the identity only
      before.emitted = before.to_neurons = before.to_owner = before.to_infrastructure = before.burned =
          before.to_treasury = 0;
      before.epochs = now->epochs;
    }
    last_[netuid] = *now;
    const Amount parts = now->to_neurons + now->to_owner + now->to_infrastructure + now->burned + now->to_treasury;
    if (parts != now->emitted) {
      fail(t, at + "subnet " + now->name + " emitted " + amt(now->emitted) + " but its parts add up to " + amt(parts));
      return;
    }
    if (now->epochs == before.epochs) continue;
    ++steps_checked_;
    const Amount minted = now->emitted - before.emitted;
    emitted_ += minted;
    if (before_it != last_.end()) {
      const Amount expected = p.subnet_emission_per_block * (now->last_epoch_height - before.last_epoch_height);
      if (minted != expected) {
        fail(t, at + "subnet " + now->name + " minted " + amt(minted) + " in its step, expected " + amt(expected));
        return;
      }
    }
    Amount paid = 0;
    for (const auto& n : view.neurons(netuid)) paid += n.last_emission;
    const Amount to_neurons = now->to_neurons - before.to_neurons;
    if (before_it != last_.end() && paid != to_neurons) {
      fail(t, at + "subnet " + now->name + " recorded " + amt(to_neurons) + " for its neurons but they were paid " +
                  amt(paid));
      return;
    }
  }
  const Amount treasury = s.account(state::treasury_address()).balance;
  if (treasury != treasury_parts) {
    fail(t, at + "the treasury holds " + amt(treasury) + " but the subnets sent it " + amt(treasury_parts));
  }
}

std::string EmissionConserved::measured() const {
  return fmt::format("{} epoch steps checked, {} emitted", steps_checked_, amt(emitted_));
}

WeightsConsensusResistsCollusion::WeightsConsensusResistsCollusion(const RunView& view,
                                                                   std::shared_ptr<ReferenceReplica> replica,
                                                                   SubnetPlan plan, std::uint32_t max_share_ppm)
    : Check(view), replica_(std::move(replica)), plan_(std::move(plan)), max_share_ppm_(max_share_ppm) {}

void WeightsConsensusResistsCollusion::on_event(std::size_t node, TimeUs t, const Event& e) {
  replica_->on_event(node, t, e, view());
  if (replica_->height() <= seen_height_) return;
  const state::State& s = *replica_->state();
  seen_height_ = s.height();
  const state::SubnetView chain(s);
  const std::uint64_t kappa_bp = s.params().yuma_kappa_bp;
  bounded_subnets_ = 0;
  for (const auto& sn : plan_.subnets) {
    if (!sn.favoured_uid || sn.validator_stake == 0) continue;
    // The bound applies only to a minority below kappa of the validator stake.
    if (sn.colluding_stake * 10000 >= sn.validator_stake * kappa_bp) continue;
    ++bounded_subnets_;
    const auto info = chain.subnet(sn.netuid);
    if (!info || info->epochs == epochs_seen_[sn.netuid]) continue;
    epochs_seen_[sn.netuid] = info->epochs;
    ++steps_checked_;
    const auto n = chain.neuron(sn.netuid, *sn.favoured_uid);
    if (!n) continue;
    worst_incentive_ = std::max(worst_incentive_, n->incentive);
    if (UInt128{n->incentive} * kPpmOne > UInt128{max_share_ppm_} * state::kYumaOne) {
      fail(t, fmt::format("subnet {} step {} at height {}: colluders with {} of {} validator stake lifted miner uid {} "
                          "to {} of the incentive (bound {})",
                          sn.name, info->epochs, seen_height_, amt(sn.colluding_stake), amt(sn.validator_stake),
                          *sn.favoured_uid, share_text(n->incentive),
                          share_text(static_cast<std::uint64_t>(UInt128{max_share_ppm_} * state::kYumaOne / kPpmOne))));
    }
  }
}

std::string WeightsConsensusResistsCollusion::measured() const {
  if (bounded_subnets_ == 0) return "no subnet with a colluding minority below kappa";
  return fmt::format("favoured miner at most {} of the incentive over {} epoch steps", share_text(worst_incentive_),
                     steps_checked_);
}

}  // namespace mt::sim

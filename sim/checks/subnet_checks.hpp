// AI-layer checks, evaluated on the reference replica's state after every finalized block (so
// they see the chain's own integer results, not a recomputation):
//  - EmissionConserved (safety): every subnet epoch step mints exactly emission_per_block per
//    block since the last step, splits all of it (neurons + owner + infrastructure + burn +
//    treasury, as counted in the subnet record), the neurons' recorded payouts add up to the
//    neurons' part, the treasury account holds exactly the treasuries' parts, and the chain's
//    supply check holds.
//  - WeightsConsensusResistsCollusion (liveness class: an economic property, it does not stop the
//    run): in every subnet whose colluding validators hold less than kappa of the validator
//    stake, the miner they favour never gets an incentive share above max_share at any step.
#pragma once

#include <map>
#include <memory>

#include "core/state/subnet/records.hpp"
#include "sim/checks/reference_replica.hpp"
#include "sim/load/subnet_plan.hpp"

namespace mt::sim {

class EmissionConserved final : public Check {
 public:
  EmissionConserved(const RunView& view, std::shared_ptr<ReferenceReplica> replica)
      : Check(view), replica_(std::move(replica)) {}
  [[nodiscard]] std::string name() const override { return "emission_conserved"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  void inspect(TimeUs t);
  std::shared_ptr<ReferenceReplica> replica_;
  std::uint64_t seen_height_ = 0;
  std::map<std::uint32_t, state::SubnetInfo> last_;  // by netuid
  std::uint64_t steps_checked_ = 0;
  Amount emitted_ = 0;
};

class WeightsConsensusResistsCollusion final : public Check {
 public:
  // max_share in ppm of the total incentive.
  WeightsConsensusResistsCollusion(const RunView& view, std::shared_ptr<ReferenceReplica> replica, SubnetPlan plan,
                                   std::uint32_t max_share_ppm);
  [[nodiscard]] std::string name() const override { return "weights_consensus_resists_collusion"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::liveness; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  std::shared_ptr<ReferenceReplica> replica_;
  SubnetPlan plan_;
  std::uint32_t max_share_ppm_;
  std::uint64_t seen_height_ = 0;
  std::map<std::uint32_t, std::uint64_t> epochs_seen_;  // by netuid
  std::uint64_t worst_incentive_ = 0;                    // kYumaOne scale, over bounded subnets
  std::uint64_t steps_checked_ = 0;
  std::size_t bounded_subnets_ = 0;                      // colluding minority below kappa
};

}  // namespace mt::sim

// Context for a node inside the simulator: the node's skewed clock, the simulated network,
// scheduler timers (cancelled en masse at a crash), the node's durable store, virtual CPU.
// Byzantine behaviours subclass it and intercept outputs (sim/world/byzantine_context.hpp).
#pragma once

#include <map>

#include "core/chain/transaction.hpp"
#include "core/node/context.hpp"
#include "sim/engine/scheduler.hpp"

namespace mt::sim {

class World;

class SimContext : public Context {
 public:
  SimContext(World& world, std::size_t node);
  ~SimContext() override;

  [[nodiscard]] TimeUs now() const override;
  void send(PeerId to, WirePtr message) override;
  void gossip(WirePtr message, std::optional<PeerId> except) override;
  void gossip_to(WirePtr message, std::span<const PeerId> to) override;
  [[nodiscard]] std::span<const PeerId> peers() const override;
  TimerId set_timer(TimeUs delay, std::uint64_t tag) override;
  void cancel_timer(TimerId id) override;
  storage::Store& storage() override;
  crypto::Verifier& verifier() override;
  void charge_cpu(TimeUs cost) override;
  void emit(const Event& event) override;

  // Drops every pending timer (a crash: timers do not survive the process).
  void cancel_all_timers();

  // Inputs pass here before the node sees them; an honest context accepts everything, a
  // byzantine one may drop or observe (censoring, bridging).
  [[nodiscard]] virtual bool accept_message(PeerId /*from*/, const WirePtr& /*message*/) { return true; }
  [[nodiscard]] virtual bool accept_tx(const TxPtr& /*tx*/) { return true; }
  // True when accept_message looks inside messages: the world then hands it a batch's items one
  // by one (an honest context skips that work).
  [[nodiscard]] virtual bool inspects_inputs() const { return false; }

 protected:
  [[nodiscard]] World& world() { return world_; }
  [[nodiscard]] std::size_t index() const { return node_; }

 private:
  // Charges send_message_us for each of `copies` frames this node sends.
  void charge_sends(std::size_t copies);

  World& world_;
  std::size_t node_;
  TimerId next_timer_ = 1;
  std::map<TimerId, EventId> timers_;
};

}  // namespace mt::sim

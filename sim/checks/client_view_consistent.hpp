// Safety (client view), the part the observer events can judge today: a transaction a client
// sent is finalized at most once. Across the finalized chain (the first honest commit of each
// height) no transaction hash appears in two blocks, or twice in one; a replayed transaction
// (a nonce bug, a block re-including what its parent already did) is what this catches.
// Not yet judged: that every transaction a node admitted ends finalized, pending or dropped with
// a reason (the node emits no admission or drop event yet), and per-account balances and
// receipts across nodes (state_root_agreement covers them through the roots).
#pragma once

#include <map>

#include "sim/checks/check.hpp"

namespace mt::sim {

class ClientViewConsistent final : public Check {
 public:
  using Check::Check;
  [[nodiscard]] std::string name() const override { return "client_view_consistent"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  [[nodiscard]] std::string measured() const override;

 private:
  std::map<Hash32, std::uint64_t> finalized_at_;  // tx hash -> height of the block that finalized it
  std::uint64_t next_height_ = 1;                 // heights are taken in order, each once
};

}  // namespace mt::sim

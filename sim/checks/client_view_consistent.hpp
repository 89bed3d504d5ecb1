// Safety (client view): every transaction a node acknowledged is finalized exactly once, or
// dropped with a reason. Across the finalized chain (the first honest commit of each height) no
// transaction hash appears in two blocks, or twice in one: a replayed transaction (a nonce bug,
// a block re-including what its parent already did) fires. A transaction an honest node's
// mempool accepted from a client (TxAdmitted, the acknowledgement) must by the end of the run be
// finalized, or dropped by that node with a reason (TxDropped: replaced, evicted, nonce_used,
// stale_nonce), or lost with the node's mempool when it restarted (NodeStarted); a drop for a
// used nonce must be true (the finalized chain used that nonce of the sender). What is left is
// still pending: where the runtime can look (RunView::mempool_holds, the simulator) the node's
// mempool must still hold it, else it was forgotten silently and the check fires; held ones are
// reported, not failed (a tx behind a nonce gap, or whose sender can no longer pay, waits
// legitimately for ever), and so are those of a node that is down at the end.
// Balances and receipts across nodes: state_root_agreement covers them through the roots.
#pragma once

#include <array>
#include <map>
#include <optional>

#include "sim/checks/check.hpp"

namespace mt::sim {

class ClientViewConsistent final : public Check {
 public:
  using Check::Check;
  [[nodiscard]] std::string name() const override { return "client_view_consistent"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  void finish(TimeUs end_us) override;
  [[nodiscard]] std::string measured() const override;

 private:
  // A client's transaction an honest node acknowledged, not finalized (yet).
  struct Acknowledged {
    TxPtr tx;
    std::size_t node = 0;
    TimeUs at_us = 0;
    std::optional<DropReason> dropped;  // what the node reported
    bool lost_at_restart = false;       // pending when the node restarted with an empty mempool
  };
  // How the acknowledged transactions ended, for measured().
  struct Outcomes {
    std::uint64_t acknowledged = 0;
    std::uint64_t finalized = 0;
    std::array<std::uint64_t, 4> dropped{};  // by DropReason
    std::uint64_t lost_at_restart = 0;
    std::uint64_t lost_node_down = 0;  // pending at a node that is down at the end
    std::uint64_t pending = 0;         // still held (or the runtime cannot look)
  };
  void on_commit(std::size_t node, TimeUs t, const BlockCommitted& c);
  void on_admitted(std::size_t node, TimeUs t, const TxAdmitted& a);
  void on_dropped(std::size_t node, const TxDropped& d);
  void on_restart(std::size_t node);
  // At the end: checks one acknowledged, unfinalized transaction's fate and counts it.
  void settle(const Hash32& hash, const Acknowledged& a, TimeUs end_us);

  std::map<Hash32, std::uint64_t> finalized_at_;  // tx hash -> height of the block that finalized it
  std::map<Address, std::uint64_t> next_nonce_;   // sender -> one above its highest finalized nonce
  std::map<Hash32, Acknowledged> acknowledged_;   // by tx hash; the first acknowledgement counts
  Outcomes outcomes_;
  std::uint64_t next_height_ = 1;  // heights are taken in order, each once
};

}  // namespace mt::sim

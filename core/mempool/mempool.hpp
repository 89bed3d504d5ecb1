// The mempool: transactions a node has heard of and may put in a block it proposes.
//
// Ordering: each sender's transactions are kept by nonce; across senders the one whose next
// executable transaction pays the highest fee goes first (ties: lower sender address, then lower
// tx hash). Nothing here iterates an unordered container, so select() is a pure function of the
// pool's contents and the account lookup: two nodes with the same pool pick the same block.
//
// Admission rejects what can never apply (wrong chain, fee below the minimum, bad signature,
// oversize, nonce already used) and bounds what might apply later: a nonce at most
// `max_nonce_ahead` above the account's and at most `max_txs_per_sender` pending per sender
// (gaps are held, not executed). When the pool is full (count or bytes) a newcomer may take the
// place of the lowest-fee sender tails (the highest pending nonce of a sender, so no sender's run
// gets a hole), only if it pays strictly more than each tail it evicts. The ordered index of
// tails exists only while the pool is near full (ensure_tail_index).
//
// Every pending tx that leaves other than by its own commit (replaced, evicted, its nonce used or
// stale) is reported to the drop observer when one is set (set_drop_observer): a node that
// acknowledged a client's tx can say where it went. Without an observer the cost is one test.
//
// Accounts are read through AccountLookup, so the mempool does not depend on the state code:
// the node passes [&](const Address& a) { auto acc = state.account(a); return AccountView{...}; }.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "core/chain/params.hpp"
#include "core/chain/transaction.hpp"
#include "core/crypto/verifier.hpp"
#include "core/mempool/drop_reason.hpp"
#include "core/util/amount.hpp"
#include "core/util/bytes.hpp"
#include "core/util/dense_map.hpp"

namespace mt {

// What the mempool needs to know of an account: the next nonce it must use and what it can pay.
struct AccountView {
  Amount balance = 0;
  std::uint64_t nonce = 0;
};
using AccountLookup = std::function<AccountView(const Address&)>;

struct MempoolLimits {
  std::size_t max_txs = 20'000;             // two full blocks of 4,000 txs with room for backlog
  std::size_t max_bytes = 16u << 20;        // 16 MiB of encoded txs
  std::size_t max_txs_per_sender = 64;      // pending (executable or held) per sender
  std::uint64_t max_nonce_ahead = 64;       // nonce - account nonce must be below this
};

enum class Admission : std::uint8_t {
  accepted,
  replaced,              // took the place of the same (sender, nonce) at a strictly higher fee
  duplicate,             // same hash already pending
  wrong_chain,
  fee_too_low,           // below Params::min_fee
  oversize,              // above Params::max_tx_bytes
  bad_signature,
  stale_nonce,           // below the account's nonce: can never apply
  nonce_too_far,         // at or beyond max_nonce_ahead above the account's nonce
  nonce_taken,           // same (sender, nonce) pending with a fee at least as high
  insufficient_balance,  // the account cannot pay this tx's own fee and amount now
  sender_full,           // max_txs_per_sender already pending for this sender
  pool_full,             // no lower-fee tail to evict for it
};
std::string_view admission_name(Admission a);
// accepted or replaced: the tx is now pending.
inline bool admitted(Admission a) { return a == Admission::accepted || a == Admission::replaced; }

// What a tx takes from its sender's balance if it applies: fee plus the amount it moves out.
// nullopt on overflow (such a tx can never apply).
std::optional<Amount> tx_cost(const Transaction& tx);

// Called for each pending tx the pool lets go of other than by its own commit, as it goes.
using DropObserver = std::function<void(const SignedTx& tx, DropReason reason)>;

class Mempool {
 public:
  // Copies what admission needs from `params` (chain id, min fee, max tx size). The verifier is
  // the process's shared cache and must outlive the mempool. With `memoise_signatures`, a tx's
  // signature is checked through the memo the (shared) tx object carries
  // (SignedTx::signature_valid_memo): the same answers, for nodes that share decoded txs.
  Mempool(const Params& params, MempoolLimits limits, crypto::Verifier& verifier, bool memoise_signatures = false);

  Admission add(const TxPtr& tx, const AccountLookup& lookup);
  Admission add(const TxPtr& tx, const AccountView& account);

  // A block's transactions: for each sender only the consecutive run starting at its account
  // nonce whose cumulative cost its balance covers, interleaved by fee priority, within
  // max_txs and max_bytes (encoded tx bytes). Does not change the pool.
  [[nodiscard]] std::vector<TxPtr> select(std::size_t max_txs, std::size_t max_bytes,
                                          const AccountLookup& lookup) const;

  // After a block: drops the included txs and every pending tx whose (sender, nonce) a committed
  // tx used (a different tx with the same nonce can never apply now).
  void remove_committed(const std::vector<TxPtr>& txs);
  // After a block (or a sync): drops every tx whose nonce is below its account's nonce.
  void update(const AccountLookup& lookup);

  // From now on every drop is reported to `observer` (empty: none).
  void set_drop_observer(DropObserver observer) { on_drop_ = std::move(observer); }

  // Whether this very transaction (same hash) is pending. A hash fixes the sender and nonce, so
  // this is one look at that slot.
  [[nodiscard]] bool contains(const SignedTx& tx) const;
  [[nodiscard]] std::size_t size() const { return count_; }
  [[nodiscard]] std::size_t size_bytes() const { return bytes_; }
  [[nodiscard]] std::size_t sender_count() const { return senders_.size(); }
  // The pending txs of one sender, by nonce (held gaps included).
  [[nodiscard]] std::vector<TxPtr> pending_of(const Address& sender) const;
  [[nodiscard]] const MempoolLimits& limits() const { return limits_; }
  [[nodiscard]] std::uint64_t evicted_count() const { return evicted_; }
  // How often the eviction index was built (it exists only while the pool is near its bounds).
  [[nodiscard]] std::uint64_t tail_index_builds() const { return tail_index_builds_; }
  // O(n) consistency check of the indexes (tests call it; MT_ASSERT on failure).
  void assert_invariants() const;

 private:
  // A sender's pending txs as (nonce, tx), ascending by nonce. Most senders have one pending
  // tx, which sits inline: admitting it allocates nothing.
  using SenderQueue = boost::container::small_vector<std::pair<std::uint64_t, TxPtr>, 1>;
  // Lowest-fee tail first: (fee of the sender's highest-nonce tx, sender).
  using TailKey = std::pair<Amount, Address>;

  using Slot = std::pair<Address, std::uint64_t>;  // (sender, nonce)

  [[nodiscard]] Admission check_static(const SignedTx& stx) const;
  // Plans which tails to evict so `incoming` fits once `freed_bytes` (a replaced tx) are gone.
  // Returns false (and plans nothing) when that would evict a tail paying as much or more.
  bool plan_room(const SignedTx& incoming, std::size_t freed_count, std::size_t freed_bytes,
                 std::vector<Slot>& victims) const;
  void insert(const TxPtr& tx);
  // Erases the pending tx at (sender, nonce) and returns it.
  TxPtr erase(const Address& sender, std::uint64_t nonce);
  void dropped(const SignedTx& tx, DropReason reason) const {
    if (on_drop_) on_drop_(tx, reason);
  }
  using SenderMap = DenseBytesMap<32, SenderQueue>;
  // Where `nonce` is or would go in `q` (the first entry with a nonce at least as high).
  static SenderQueue::const_iterator nonce_position(const SenderQueue& q, std::uint64_t nonce);
  // The sender's pending tx with `nonce`, or q.end().
  static SenderQueue::const_iterator find_nonce(const SenderQueue& q, std::uint64_t nonce);
  // The same through a sender lookup's result (null: no such sender); null when not pending.
  static const TxPtr* pending_at(const SenderQueue* q, std::uint64_t nonce);
  // Erases one pending tx of `sender`, whose queue is `q`; true when it was the sender's last
  // (the sender's entry is gone too, and `q` with it).
  bool erase_at(const Address& sender, SenderQueue& q, SenderQueue::const_iterator it);
  static std::optional<Amount> tail_fee(const SenderQueue& q);
  void retarget_tail(const Address& sender, std::optional<Amount> before, std::optional<Amount> after);
  // The eviction index is needed only when a newcomer would not fit. It is built then, kept
  // exact while the pool stays above half its bounds, and dropped below that (hysteresis, so a
  // pool hovering at its bound does not rebuild it). Most pools never fill and never pay for it.
  void ensure_tail_index();
  void maybe_drop_tail_index();

  std::string chain_id_;
  Amount min_fee_;
  std::size_t max_tx_bytes_;
  MempoolLimits limits_;
  crypto::Verifier& verifier_;
  bool memoise_signatures_;
  DropObserver on_drop_;

  // Looked up on every admission, erase and commit. It is the only index of txs: a tx's hash
  // fixes its (sender, nonce) slot, so "is this tx pending" is a look at that slot. Iterated only
  // where the order cannot show: select() ranks through a sorted set keyed on (fee, sender,
  // hash), update() only gathers slots to erase (the final pool is the same in any order), the
  // tail index is a sorted set, and the invariant check.
  SenderMap senders_;
  std::set<TailKey> tails_;  // every sender's tail key while tails_live_; empty otherwise
  bool tails_live_ = false;
  std::size_t count_ = 0;  // pending txs
  std::size_t bytes_ = 0;
  std::uint64_t evicted_ = 0;
  std::uint64_t tail_index_builds_ = 0;
};

}  // namespace mt

#include "core/mempool/mempool.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace mt {

std::string_view admission_name(Admission a) {
  switch (a) {
    case Admission::accepted: return "accepted";
    case Admission::replaced: return "replaced";
    case Admission::duplicate: return "duplicate";
    case Admission::wrong_chain: return "wrong_chain";
    case Admission::fee_too_low: return "fee_too_low";
    case Admission::oversize: return "oversize";
    case Admission::bad_signature: return "bad_signature";
    case Admission::stale_nonce: return "stale_nonce";
    case Admission::nonce_too_far: return "nonce_too_far";
    case Admission::nonce_taken: return "nonce_taken";
    case Admission::insufficient_balance: return "insufficient_balance";
    case Admission::sender_full: return "sender_full";
    case Admission::pool_full: return "pool_full";
  }
  return "unknown";
}

namespace {

struct MovedAmount {
  Amount operator()(const Transfer& p) const { return p.amount; }
  Amount operator()(const RegisterValidator& p) const { return p.stake; }
  Amount operator()(const Bond& p) const { return p.amount; }
  Amount operator()(const Unbond&) const { return 0; }
  Amount operator()(const Delegate& p) const { return p.amount; }
  Amount operator()(const Undelegate&) const { return 0; }
  Amount operator()(const Unjail&) const { return 0; }
  Amount operator()(const CreateSubnet&) const { return 0; }
  Amount operator()(const RegisterNeuron& p) const { return p.stake; }
  Amount operator()(const SetWeights&) const { return 0; }
  Amount operator()(const CommitWeights&) const { return 0; }
  Amount operator()(const RevealWeights&) const { return 0; }
};

}  // namespace

std::optional<Amount> tx_cost(const Transaction& tx) {
  return checked_add(tx.fee, std::visit(MovedAmount{}, tx.payload));
}

Mempool::Mempool(const Params& params, MempoolLimits limits, crypto::Verifier& verifier, bool memoise_signatures)
    : chain_id_(params.chain_id),
      min_fee_(params.min_fee),
      max_tx_bytes_(params.max_tx_bytes),
      limits_(limits),
      verifier_(verifier),
      memoise_signatures_(memoise_signatures) {
  MT_ASSERT(limits_.max_txs > 0 && limits_.max_bytes > 0, "mempool limits must be positive");
  MT_ASSERT(limits_.max_txs_per_sender > 0 && limits_.max_nonce_ahead > 0, "per-sender limits must be positive");
}

Admission Mempool::check_static(const SignedTx& stx) const {
  const Transaction& t = stx.tx();
  if (t.chain_id != chain_id_) return Admission::wrong_chain;
  if (stx.size_bytes() > max_tx_bytes_) return Admission::oversize;
  if (t.fee < min_fee_) return Admission::fee_too_low;
  return Admission::accepted;
}

Admission Mempool::add(const TxPtr& tx, const AccountLookup& lookup) {
  MT_ASSERT(tx != nullptr, "Mempool::add(nullptr)");
  return add(tx, lookup(tx->tx().sender));
}

Admission Mempool::add(const TxPtr& tx, const AccountView& account) {
  MT_ASSERT(tx != nullptr, "Mempool::add(nullptr)");
  const Transaction& t = tx->tx();
  const SenderQueue* queue = senders_.find(t.sender);
  const TxPtr* pending = pending_at(queue, t.nonce);
  const TxPtr existing = pending != nullptr ? *pending : nullptr;
  if (existing && existing->hash() == tx->hash()) return Admission::duplicate;
  if (auto a = check_static(*tx); a != Admission::accepted) return a;
  if (t.nonce < account.nonce) return Admission::stale_nonce;
  if (t.nonce - account.nonce >= limits_.max_nonce_ahead) return Admission::nonce_too_far;
  auto cost = tx_cost(t);
  if (!cost || *cost > account.balance) return Admission::insufficient_balance;
  if (existing && t.fee <= existing->tx().fee) return Admission::nonce_taken;
  if (!existing && queue != nullptr && queue->size() >= limits_.max_txs_per_sender) return Admission::sender_full;
  // The signature last: it is the only expensive check (and a cache hit when gossip repeats it).
  const bool signed_ok = memoise_signatures_ ? tx->signature_valid_memo(verifier_) : tx->signature_valid(verifier_);
  if (!signed_ok) return Admission::bad_signature;

  std::vector<Slot> victims;
  std::size_t freed_count = existing ? 1 : 0;
  std::size_t freed_bytes = existing ? existing->size_bytes() : 0;
  if (count_ - freed_count + 1 > limits_.max_txs ||
      bytes_ - freed_bytes + tx->size_bytes() > limits_.max_bytes) {
    ensure_tail_index();
  }
  if (!plan_room(*tx, freed_count, freed_bytes, victims)) return Admission::pool_full;
  if (existing) dropped(*erase(t.sender, t.nonce), DropReason::replaced);
  for (const auto& [sender, nonce] : victims) dropped(*erase(sender, nonce), DropReason::evicted);
  evicted_ += victims.size();
  insert(tx);
  MT_ASSERT(count_ <= limits_.max_txs && bytes_ <= limits_.max_bytes, "mempool over its bounds");
  return existing ? Admission::replaced : Admission::accepted;
}

bool Mempool::plan_room(const SignedTx& incoming, std::size_t freed_count, std::size_t freed_bytes,
                        std::vector<Slot>& victims) const {
  std::size_t count = count_ - freed_count + 1;
  std::size_t bytes = bytes_ - freed_bytes + incoming.size_bytes();
  MT_ASSERT(tails_live_ || (count <= limits_.max_txs && bytes <= limits_.max_bytes), "eviction without the tail index");
  const Address& own = incoming.tx().sender;
  // Senders already (virtually) shortened: where their next tail is, and their keys in `local`.
  std::map<Address, SenderQueue::const_reverse_iterator> touched;
  std::set<TailKey> local;
  auto it = tails_.begin();
  while (count > limits_.max_txs || bytes > limits_.max_bytes) {
    while (it != tails_.end() && (touched.contains(it->second) || it->second == own)) ++it;
    bool from_local = !local.empty() && (it == tails_.end() || *local.begin() < *it);
    if (!from_local && it == tails_.end()) return false;
    TailKey key = from_local ? *local.begin() : *it;
    // Only a strictly better payer may push others out; equal fees keep the incumbent.
    if (key.first >= incoming.tx().fee) return false;
    const SenderQueue* found = senders_.find(key.second);
    MT_ASSERT(found != nullptr, "mempool tail index names an unknown sender");
    const SenderQueue& q = *found;
    SenderQueue::const_reverse_iterator cursor = q.rbegin();
    if (from_local) {
      local.erase(local.begin());
      cursor = touched.at(key.second);
    } else {
      ++it;
    }
    victims.emplace_back(key.second, cursor->first);
    count -= 1;
    bytes -= cursor->second->size_bytes();
    ++cursor;
    touched.insert_or_assign(key.second, cursor);
    if (cursor != q.rend()) local.emplace(cursor->second->tx().fee, key.second);
  }
  return true;
}

Mempool::SenderQueue::const_iterator Mempool::nonce_position(const SenderQueue& q, std::uint64_t nonce) {
  return std::lower_bound(q.begin(), q.end(), nonce, [](const auto& item, std::uint64_t n) { return item.first < n; });
}

Mempool::SenderQueue::const_iterator Mempool::find_nonce(const SenderQueue& q, std::uint64_t nonce) {
  const auto it = nonce_position(q, nonce);
  return it != q.end() && it->first == nonce ? it : q.end();
}

const TxPtr* Mempool::pending_at(const SenderQueue* q, std::uint64_t nonce) {
  if (q == nullptr) return nullptr;
  const auto it = find_nonce(*q, nonce);
  return it != q->end() ? &it->second : nullptr;
}

bool Mempool::contains(const SignedTx& tx) const {
  const TxPtr* pending = pending_at(senders_.find(tx.tx().sender), tx.tx().nonce);
  return pending != nullptr && (*pending)->hash() == tx.hash();
}

std::optional<Amount> Mempool::tail_fee(const SenderQueue& q) {
  if (q.empty()) return std::nullopt;
  return q.rbegin()->second->tx().fee;
}

// A sender's tail key is (fee of its highest nonce, sender): most inserts and erases leave the
// fee the same (same-fee senders), so the ordered index is touched only when the key moves.
void Mempool::retarget_tail(const Address& sender, std::optional<Amount> before, std::optional<Amount> after) {
  if (!tails_live_ || before == after) return;
  if (before) {
    auto erased = tails_.erase(TailKey{*before, sender});
    MT_ASSERT(erased == 1, "mempool tail index out of sync");
  }
  if (after) tails_.emplace(*after, sender);
}

void Mempool::ensure_tail_index() {
  if (tails_live_) return;
  MT_ASSERT(tails_.empty(), "a dropped tail index left keys behind");
  for (const auto& [sender, q] : senders_) tails_.emplace(q.rbegin()->second->tx().fee, sender);
  tails_live_ = true;
  ++tail_index_builds_;
}

void Mempool::maybe_drop_tail_index() {
  if (!tails_live_ || count_ > limits_.max_txs / 2 || bytes_ > limits_.max_bytes / 2) return;
  tails_.clear();
  tails_live_ = false;
}

void Mempool::insert(const TxPtr& tx) {
  const Transaction& t = tx->tx();
  SenderQueue& q = senders_[t.sender];
  // Tail fees are read only while the index exists (each read is a visit to a tx).
  const std::optional<Amount> before = tails_live_ ? tail_fee(q) : std::nullopt;
  const auto pos = nonce_position(q, t.nonce);
  MT_ASSERT(pos == q.end() || pos->first != t.nonce, "mempool insert over an existing nonce");
  q.emplace(pos, t.nonce, tx);
  if (tails_live_) retarget_tail(t.sender, before, tail_fee(q));
  ++count_;
  bytes_ += tx->size_bytes();
}

TxPtr Mempool::erase(const Address& sender, std::uint64_t nonce) {
  SenderQueue* q = senders_.find(sender);
  MT_ASSERT(q != nullptr, "mempool erase of an unknown sender");
  auto it = find_nonce(*q, nonce);
  MT_ASSERT(it != q->end(), "mempool erase of an unknown nonce");
  TxPtr tx = it->second;
  (void)erase_at(sender, *q, it);
  return tx;
}

bool Mempool::erase_at(const Address& sender, SenderQueue& q, SenderQueue::const_iterator it) {
  const std::optional<Amount> before = tails_live_ ? tail_fee(q) : std::nullopt;
  TxPtr tx = it->second;
  q.erase(it);
  if (tails_live_) retarget_tail(sender, before, tail_fee(q));
  MT_ASSERT(count_ > 0, "mempool count underflow");
  --count_;
  MT_ASSERT(bytes_ >= tx->size_bytes(), "mempool byte count underflow");
  bytes_ -= tx->size_bytes();
  const bool emptied = q.empty();
  if (emptied) (void)senders_.erase(sender);
  maybe_drop_tail_index();
  return emptied;
}

namespace {

// Select's priority: highest fee first, then lower sender address, then lower tx hash.
struct HeadKey {
  Amount fee;
  Address sender;
  Hash32 hash;
  std::size_t cursor;  // index into select's cursors
  bool operator<(const HeadKey& o) const {
    if (fee != o.fee) return fee > o.fee;
    return std::tie(sender, hash) < std::tie(o.sender, o.hash);
  }
};

}  // namespace

std::vector<TxPtr> Mempool::select(std::size_t max_txs, std::size_t max_bytes, const AccountLookup& lookup) const {
  struct Cursor {
    SenderQueue::const_iterator it, end;
    Amount balance;  // what the sender can still pay within this block
  };
  std::vector<Cursor> cursors;
  std::set<HeadKey> heads;
  auto push_head = [&](std::size_t i) {
    Cursor& c = cursors[i];
    if (c.it == c.end) return;
    auto cost = tx_cost(c.it->second->tx());
    if (!cost || *cost > c.balance) return;
    heads.insert(HeadKey{c.it->second->tx().fee, c.it->second->tx().sender, c.it->second->hash(), i});
  };
  for (const auto& [sender, q] : senders_) {
    AccountView acc = lookup(sender);
    auto first = find_nonce(q, acc.nonce);
    if (first == q.end()) continue;  // nothing executable: a gap or only stale txs
    cursors.push_back(Cursor{first, q.end(), acc.balance});
    push_head(cursors.size() - 1);
  }
  std::vector<TxPtr> out;
  std::size_t bytes = 0;
  while (!heads.empty() && out.size() < max_txs) {
    HeadKey head = *heads.begin();
    heads.erase(heads.begin());
    Cursor& c = cursors[head.cursor];
    const TxPtr& tx = c.it->second;
    // Too big for what is left: the sender's later nonces need this one, so the sender stops.
    if (bytes + tx->size_bytes() > max_bytes) continue;
    out.push_back(tx);
    bytes += tx->size_bytes();
    c.balance -= *tx_cost(tx->tx());
    std::uint64_t next_nonce = c.it->first + 1;
    ++c.it;
    if (c.it != c.end && c.it->first == next_nonce) push_head(head.cursor);
  }
  MT_ASSERT(out.size() <= max_txs && bytes <= max_bytes, "select exceeded its limits");
  return out;
}

void Mempool::remove_committed(const std::vector<TxPtr>& txs) {
  for (const auto& tx : txs) {
    MT_ASSERT(tx != nullptr, "remove_committed(nullptr)");
    const Transaction& t = tx->tx();
    SenderQueue* q = senders_.find(t.sender);
    if (q == nullptr) continue;
    // Every pending nonce up to the committed one is used now: by this very tx, or a drop.
    while (q->begin()->first <= t.nonce) {
      const TxPtr& gone = q->begin()->second;
      if (on_drop_ && gone->hash() != tx->hash()) dropped(*gone, DropReason::nonce_used);
      if (erase_at(t.sender, *q, q->begin())) break;  // that was the sender's last
    }
  }
}

void Mempool::update(const AccountLookup& lookup) {
  std::vector<Slot> stale;
  for (const auto& [sender, q] : senders_) {
    std::uint64_t nonce = lookup(sender).nonce;
    for (auto it = q.begin(); it != q.end() && it->first < nonce; ++it) stale.emplace_back(sender, it->first);
  }
  // The senders' order is the map's: sorted, so the drops are reported in an order of their own.
  if (on_drop_) std::sort(stale.begin(), stale.end());
  for (const auto& [sender, nonce] : stale) dropped(*erase(sender, nonce), DropReason::stale_nonce);
}

std::vector<TxPtr> Mempool::pending_of(const Address& sender) const {
  std::vector<TxPtr> out;
  if (const SenderQueue* q = senders_.find(sender)) {
    for (const auto& [nonce, tx] : *q) out.push_back(tx);
  }
  return out;
}

void Mempool::assert_invariants() const {
  std::size_t count = 0;
  std::size_t bytes = 0;
  for (const auto& [sender, q] : senders_) {
    MT_ASSERT(!q.empty(), "mempool keeps an empty sender queue");
    MT_ASSERT(q.size() <= limits_.max_txs_per_sender, "sender over max_txs_per_sender");
    MT_ASSERT(!tails_live_ || tails_.contains(TailKey{q.rbegin()->second->tx().fee, sender}),
              "sender tail not indexed");
    MT_ASSERT(std::adjacent_find(q.begin(), q.end(), [](const auto& a, const auto& b) { return a.first >= b.first; }) ==
                  q.end(),
              "sender queue not in strictly ascending nonce order");
    for (const auto& [nonce, tx] : q) {
      MT_ASSERT(tx->tx().sender == sender && tx->tx().nonce == nonce, "tx filed under the wrong slot");
      ++count;
      bytes += tx->size_bytes();
    }
  }
  MT_ASSERT(count == count_ && bytes == bytes_, "mempool counts out of sync");
  MT_ASSERT(tails_live_ ? tails_.size() == senders_.size() : tails_.empty(), "tail index size out of sync");
  MT_ASSERT(count <= limits_.max_txs && bytes <= limits_.max_bytes, "mempool over its bounds");
}

}  // namespace mt

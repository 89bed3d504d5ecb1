#include "core/state/state_builder.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/state/records.hpp"

namespace mt::state {

namespace rec = records;

namespace {
// Payloads in the builder come from our own encoders or from a verified map: a decode failure
// here is a bug, not bad input.
template <class T>
T must(Result<T> r) {
  MT_ASSERT(r.ok(), "state record failed to decode: " + (r.ok() ? std::string() : r.error().message));
  return std::move(r).value();
}
}  // namespace

StateBuilder::StateBuilder(StatePtr parent) {
  if (!parent) {
    params_dirty_ = true;
    index_dirty_ = true;
    return;
  }
  base_ = parent->map();
  params_ = parent->params();
  meta_ = parent->meta();
  validator_set_ = parent->validator_set();
  last_validator_set_ = parent->last_validator_set();
  validator_index_ = parent->validator_addresses();
}

Hash32 StateBuilder::key_of(ByteView logical_key) const {
  const std::size_t n = logical_key.size();
  if (n == 0 || n > kMemoKeyBytes) return rec::map_key(logical_key);
  // A cheap mix of the bytes picks the slot (logical keys end in addresses, hashes or heights).
  std::uint64_t h = n;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, logical_key.data() + i, 8);
    h = (h ^ word) * 0x9e3779b97f4a7c15ULL;
  }
  for (; i < n; ++i) h = (h ^ logical_key[i]) * 0x100000001b3ULL;
  if (key_memo_.empty()) key_memo_.resize(kMemoEntries);
  static_assert(kMemoEntries == 512, "the slot is the top 9 bits of the mix");
  KeyMemo& m = key_memo_[static_cast<std::size_t>(h >> 55)];
  if (m.len == n && std::memcmp(m.logical_key.data(), logical_key.data(), n) == 0) return m.key;
  m.key = rec::map_key(logical_key);
  m.len = static_cast<std::uint32_t>(n);
  std::memcpy(m.logical_key.data(), logical_key.data(), n);
  return m.key;
}

std::int64_t StateBuilder::find_pending(const Hash32& key) const {
  if (slots_.empty()) return -1;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = static_cast<std::size_t>(key.prefix64()) & mask;; at = (at + 1) & mask) {
    const std::uint32_t slot = slots_[at];
    if (slot == 0) return -1;
    if (pending_[slot - 1].key == key) return static_cast<std::int64_t>(slot - 1);
  }
}

void StateBuilder::grow_slots() {
  std::vector<std::uint32_t> next(std::max<std::size_t>(64, slots_.size() * 2), 0);
  const std::size_t mask = next.size() - 1;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    std::size_t at = static_cast<std::size_t>(pending_[i].key.prefix64()) & mask;
    while (next[at] != 0) at = (at + 1) & mask;
    next[at] = static_cast<std::uint32_t>(i + 1);
  }
  slots_ = std::move(next);
}

std::optional<ByteView> StateBuilder::read(ByteView logical_key) const {
  const Hash32 key = key_of(logical_key);
  if (const auto i = find_pending(key); i >= 0) {
    const Pending& p = pending_[static_cast<std::size_t>(i)];
    if (p.erased) return std::nullopt;
    return ByteView(p.value).subspan(p.logical_key_len);
  }
  const auto v = base_.get(key);
  if (!v) return std::nullopt;
  MT_ASSERT(v->size() >= logical_key.size(), "stored value shorter than its key");
  return v->subspan(logical_key.size());
}

void StateBuilder::write(ByteView logical_key, std::optional<ByteView> payload) {
  const Hash32 key = key_of(logical_key);
  Bytes value;
  if (payload) value = rec::make_value(logical_key, *payload);
  if (const auto i = find_pending(key); i >= 0) {
    Pending& p = pending_[static_cast<std::size_t>(i)];
    p.erased = !payload;
    p.value = std::move(value);
    return;
  }
  MT_ASSERT(pending_.size() < UINT32_MAX / 2, "too many writes in one state builder");
  if ((pending_.size() + 1) * 2 > slots_.size()) grow_slots();
  pending_.push_back(Pending{key, static_cast<std::uint32_t>(logical_key.size()), !payload, std::move(value)});
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = static_cast<std::size_t>(key.prefix64()) & mask;
  while (slots_[at] != 0) at = (at + 1) & mask;
  slots_[at] = static_cast<std::uint32_t>(pending_.size());
}

Account StateBuilder::account(const Address& a) const {
  auto p = read(rec::account_key_fixed(a));
  return p ? must(rec::decode_account(*p)) : Account{};
}

void StateBuilder::prefetch_accounts(std::span<const Address> accounts) const {
  std::vector<Hash32> keys;
  keys.reserve(accounts.size());
  for (const Address& a : accounts) {
    const Hash32 k = key_of(rec::account_key_fixed(a));
    if (find_pending(k) < 0) keys.push_back(k);
  }
  base_.prefetch(keys);
}

void StateBuilder::put_account(const Address& a, const Account& acc) {
  if (acc == Account{}) {
    write(rec::account_key_fixed(a), std::nullopt);
  } else {
    write(rec::account_key_fixed(a), rec::encode_account(acc));
  }
}

std::optional<ValidatorInfo> StateBuilder::validator(const Address& a) const {
  auto p = read(rec::validator_key(a));
  if (!p) return std::nullopt;
  return must(rec::decode_validator(*p));
}

void StateBuilder::put_validator(const ValidatorInfo& v) {
  write(rec::validator_key(v.address), rec::encode_validator(v));
  add_to_index(v.address);
}

Amount StateBuilder::delegation_shares(const Address& delegator, const Address& validator) const {
  auto p = read(rec::delegation_key(delegator, validator));
  return p ? must(rec::decode_amount(*p)) : Amount{0};
}

void StateBuilder::put_delegation_shares(const Address& delegator, const Address& validator, Amount shares) {
  if (shares == 0) {
    write(rec::delegation_key(delegator, validator), std::nullopt);
  } else {
    write(rec::delegation_key(delegator, validator), rec::encode_amount(shares));
  }
}

std::vector<UnbondingEntry> StateBuilder::unbonding_at(std::uint64_t height) const {
  auto p = read(rec::unbonding_key(height));
  if (!p) return {};
  return must(rec::decode_unbonding(*p));
}

void StateBuilder::put_unbonding(std::uint64_t height, const std::vector<UnbondingEntry>& entries) {
  if (entries.empty()) {
    write(rec::unbonding_key(height), std::nullopt);
  } else {
    write(rec::unbonding_key(height), rec::encode_unbonding(entries));
  }
}

void StateBuilder::add_to_index(const Address& a) {
  auto it = std::lower_bound(validator_index_.begin(), validator_index_.end(), a);
  if (it != validator_index_.end() && *it == a) return;
  validator_index_.insert(it, a);
  index_dirty_ = true;
}

std::shared_ptr<State> StateBuilder::finish(const Hash32& last_block_hash) {
  if (params_dirty_) write(rec::singleton_key(rec::Kind::params), rec::encode_params(params_));
  if (index_dirty_) write(rec::singleton_key(rec::Kind::validator_index), rec::encode_index(validator_index_));
  write(rec::singleton_key(rec::Kind::chain_meta), rec::encode_meta(meta_));
  write(rec::singleton_key(rec::Kind::validator_set), rec::encode_valset(validator_set_));
  write(rec::singleton_key(rec::Kind::last_validator_set), rec::encode_valset(last_validator_set_));

  // One write per key, in the map's key order (the keys are unique: pending_ is indexed by key).
  std::vector<std::uint32_t> order(pending_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t x, std::uint32_t y) { return key_less(pending_[x].key, pending_[y].key); });
  std::vector<MerkleWrite> batch;
  batch.reserve(order.size());
  for (const std::uint32_t i : order) {
    Pending& p = pending_[i];
    MerkleWrite w;
    w.key = p.key;
    if (!p.erased) w.value = std::move(p.value);
    batch.push_back(std::move(w));
  }
  pending_.clear();
  slots_.clear();

  auto s = std::shared_ptr<State>(new State());
  {
    // The batch's paths, fetched many at a time: apply() then walks them from cache.
    std::vector<Hash32> keys;
    keys.reserve(batch.size());
    for (const auto& w : batch) keys.push_back(w.key);
    base_.prefetch(keys);
  }
  s->map_ = base_.apply(batch);
  s->params_ = params_;
  s->meta_ = meta_;
  s->validator_set_ = std::make_shared<const ValidatorSet>(validator_set_);
  s->last_validator_set_ = std::make_shared<const ValidatorSet>(last_validator_set_);
  s->validator_index_ = validator_index_;
  s->last_block_hash_ = last_block_hash;
  return s;
}

}  // namespace mt::state

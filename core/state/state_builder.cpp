#include "core/state/state_builder.hpp"

#include <algorithm>
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

std::optional<ByteView> StateBuilder::read(const Bytes& logical_key) const {
  const Hash32 key = rec::map_key(logical_key);
  if (auto it = overlay_.find(key); it != overlay_.end()) {
    if (!it->second.payload) return std::nullopt;
    return ByteView(*it->second.payload);
  }
  const auto v = base_.get(key);
  if (!v) return std::nullopt;
  MT_ASSERT(v->size() >= logical_key.size(), "stored value shorter than its key");
  return v->subspan(logical_key.size());
}

void StateBuilder::write(Bytes logical_key, std::optional<Bytes> payload) {
  const Hash32 key = rec::map_key(logical_key);
  overlay_.insert_or_assign(key, Pending{std::move(logical_key), std::move(payload)});
}

Account StateBuilder::account(const Address& a) const {
  auto p = read(rec::account_key(a));
  return p ? must(rec::decode_account(*p)) : Account{};
}

void StateBuilder::put_account(const Address& a, const Account& acc) {
  if (acc == Account{}) {
    write(rec::account_key(a), std::nullopt);
  } else {
    write(rec::account_key(a), rec::encode_account(acc));
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

  std::vector<MerkleWrite> batch;
  batch.reserve(overlay_.size());
  for (auto& [key, pending] : overlay_) {  // ascending map keys: the batch is sorted
    MerkleWrite w;
    w.key = key;
    if (pending.payload) w.value = rec::make_value(pending.logical_key, *pending.payload);
    batch.push_back(std::move(w));
  }
  overlay_.clear();

  auto s = std::shared_ptr<State>(new State());
  s->map_ = base_.apply(batch);
  s->params_ = params_;
  s->meta_ = meta_;
  s->validator_set_ = validator_set_;
  s->last_validator_set_ = last_validator_set_;
  s->validator_index_ = validator_index_;
  s->last_block_hash_ = last_block_hash;
  return s;
}

}  // namespace mt::state

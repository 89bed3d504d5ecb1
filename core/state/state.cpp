#include "core/state/state.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/state/records.hpp"
#include "core/state/subnet/records.hpp"

namespace mt::state {

namespace rec = records;

namespace {

constexpr std::uint32_t kSnapshotMagic = 0x7473746d;  // "mtst"
constexpr std::uint32_t kSnapshotVersion = 1;
constexpr std::uint32_t kMaxSnapshotRecords = 1u << 26;

// The payload of a stored record (the value after its logical key), or nullopt.
std::optional<ByteView> read_payload(const MerkleMap& map, const Bytes& logical_key) {
  const auto v = map.get(rec::map_key(logical_key));
  if (!v) return std::nullopt;
  MT_ASSERT(v->size() >= logical_key.size(), "stored value shorter than its key");
  return v->subspan(logical_key.size());
}

template <class T>
T must(Result<T> r) {
  MT_ASSERT(r.ok(), "state record failed to decode: " + (r.ok() ? std::string() : r.error().message));
  return std::move(r).value();
}

}  // namespace

const Account* State::AccountMemo::find(const Address& a) const {
  if (entries_ == nullptr) return nullptr;
  const Entry& e = (*entries_)[static_cast<std::size_t>(a.prefix64()) % kEntries];
  return e.filled && e.address == a ? &e.account : nullptr;
}

void State::AccountMemo::put(const Address& a, const Account& account) {
  if (entries_ == nullptr) entries_ = std::make_unique<std::array<Entry, kEntries>>();
  (*entries_)[static_cast<std::size_t>(a.prefix64()) % kEntries] = Entry{a, account, true};
}

Account State::account(const Address& a) const {
  if (const Account* known = account_memo_.find(a)) return *known;
  auto p = read_payload(map_, rec::account_key(a));
  const Account acc = p ? must(rec::decode_account(*p)) : Account{};
  account_memo_.put(a, acc);
  return acc;
}

std::optional<ValidatorInfo> State::validator(const Address& a) const {
  auto p = read_payload(map_, rec::validator_key(a));
  if (!p) return std::nullopt;
  return must(rec::decode_validator(*p));
}

Amount State::delegation_shares(const Address& delegator, const Address& validator) const {
  auto p = read_payload(map_, rec::delegation_key(delegator, validator));
  return p ? must(rec::decode_amount(*p)) : Amount{0};
}

Amount State::delegation(const Address& delegator, const Address& validator) const {
  const Amount shares = delegation_shares(delegator, validator);
  const auto v = this->validator(validator);
  if (shares == 0 || !v || v->delegator_shares == 0) return 0;
  // shares <= delegator_shares, so the product fits whenever delegated < 2^64; fall back to a
  // division first (loses precision only for astronomically large pools).
  if (auto p = checked_mul(shares, v->delegated)) return *p / v->delegator_shares;
  return shares / v->delegator_shares * v->delegated;
}

std::vector<UnbondingEntry> State::unbonding_at(std::uint64_t height) const {
  auto p = read_payload(map_, rec::unbonding_key(height));
  if (!p) return {};
  return must(rec::decode_unbonding(*p));
}

MerkleProof State::prove_account(const Address& a) const {
  return map_.prove(rec::map_key(rec::account_key(a)));
}

Result<Account> verify_account_proof(const Hash32& root, const Address& a, const MerkleProof& proof) {
  const Bytes lk = rec::account_key(a);
  if (proof.key != rec::map_key(lk)) return make_error("proof is about another key");
  auto v = verify_proof(root, proof);
  if (!v.ok()) return v.error();
  if (!v.value()) return Account{};
  const Bytes& value = *v.value();
  if (value.size() < lk.size() || !std::equal(lk.begin(), lk.end(), value.begin())) {
    return make_error("proved record is not this account");
  }
  return rec::decode_account(ByteView(value).subspan(lk.size()));
}

Result<State> State::from_map(MerkleMap map, const Hash32& last_block_hash) {
  State s;
  auto singleton = [&](rec::Kind k) { return read_payload(map, rec::singleton_key(k)); };
  auto params = singleton(rec::Kind::params);
  auto meta = singleton(rec::Kind::chain_meta);
  auto vs = singleton(rec::Kind::validator_set);
  auto last_vs = singleton(rec::Kind::last_validator_set);
  auto index = singleton(rec::Kind::validator_index);
  if (!params || !meta || !vs || !last_vs || !index) return make_error("state lacks a singleton record");
  auto p = rec::decode_params(*params);
  if (!p.ok()) return p.error();
  auto m = rec::decode_meta(*meta);
  if (!m.ok()) return m.error();
  auto v1 = rec::decode_valset(*vs);
  if (!v1.ok()) return v1.error();
  auto v2 = rec::decode_valset(*last_vs);
  if (!v2.ok()) return v2.error();
  auto idx = rec::decode_index(*index);
  if (!idx.ok()) return idx.error();
  s.map_ = std::move(map);
  s.params_ = std::move(p).value();
  s.meta_ = m.value();
  s.validator_set_ = std::make_shared<const ValidatorSet>(std::move(v1).value());
  s.last_validator_set_ = std::make_shared<const ValidatorSet>(std::move(v2).value());
  s.validator_index_ = std::move(idx).value();
  s.last_block_hash_ = last_block_hash;
  return s;
}

Bytes State::encode_snapshot() const {
  codec::Writer w(64 + map_.size() * 128);
  w.u32(kSnapshotMagic);
  w.u32(kSnapshotVersion);
  w.fixed(last_block_hash_);
  w.u32(static_cast<std::uint32_t>(map_.size()));
  map_.for_each([&](const Hash32& key, ByteView value) {
    w.fixed(key);
    w.bytes(value);
  });
  return w.take();
}

Result<StatePtr> State::decode_snapshot(ByteView bytes) {
  codec::Reader r(bytes);
  if (r.u32() != kSnapshotMagic) return make_error("snapshot: bad magic");
  if (r.u32() != kSnapshotVersion) return make_error("snapshot: unsupported version");
  const Hash32 last_block_hash = r.fixed<32>();
  const std::uint32_t n = r.u32();
  if (!r.ok() || n > kMaxSnapshotRecords || n > r.remaining() / 37) return make_error("snapshot: bad record count");
  std::vector<MerkleWrite> writes;
  writes.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    MerkleWrite w;
    w.key = r.fixed<32>();
    w.value = r.bytes();
    if (!r.ok()) break;
    if (!writes.empty() && !(writes.back().key < w.key)) return make_error("snapshot: keys not strictly ascending");
    if (auto st = rec::check_record(w.key, *w.value); !st.ok()) {
      return make_error(fmt::format("snapshot: record {}: {}", i, st.error().message));
    }
    writes.push_back(std::move(w));
  }
  if (auto st = r.finish(); !st.ok()) return make_error("snapshot: " + st.error().message);
  auto s = from_map(MerkleMap().apply(writes), last_block_hash);
  if (!s.ok()) return make_error("snapshot: " + s.error().message);
  return StatePtr(std::make_shared<const State>(std::move(s).value()));
}

Status check_supply(const State& s) {
  Amount held = 0;
  bool overflow = false;
  auto add = [&](Amount a) {
    auto r = checked_add(held, a);
    if (!r) overflow = true;
    held = r.value_or(0);
  };
  s.map().for_each([&](const Hash32&, ByteView value) {
    const auto lk_len = rec::logical_key_len(value);
    MT_ASSERT(lk_len.has_value(), "state holds a record of unknown kind");
    const ByteView payload = value.subspan(*lk_len);
    switch (static_cast<rec::Kind>(value[0])) {
      case rec::Kind::account: add(must(rec::decode_account(payload)).balance); break;
      case rec::Kind::validator: {
        const auto v = must(rec::decode_validator(payload));
        add(v.self_stake);
        add(v.delegated);
        break;
      }
      case rec::Kind::unbonding:
        for (const auto& e : must(rec::decode_unbonding(payload))) add(e.amount);
        break;
      case rec::Kind::neuron: add(must(rec::decode_neuron(payload)).stake); break;
      default: break;
    }
  });
  const auto issued = checked_add(s.genesis_supply(), s.minted());
  if (overflow || !issued) return make_error("supply sum overflows");
  if (s.burned() > *issued || *issued - s.burned() != held) {
    return make_error("supply not conserved: genesis " + amount_to_string(s.genesis_supply()) + " + minted " +
                      amount_to_string(s.minted()) + " - burned " + amount_to_string(s.burned()) + " != held " +
                      amount_to_string(held));
  }
  return {};
}

}  // namespace mt::state

#include "core/state/records.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "core/crypto/hash.hpp"
#include "core/state/subnet/records.hpp"

namespace mt::state::records {

namespace {

constexpr std::uint32_t kMaxUnbondingEntries = codec::kMaxListLen;

Bytes with_kind(Kind k, std::size_t reserve) {
  Bytes b;
  b.reserve(reserve);
  b.push_back(static_cast<std::uint8_t>(k));
  return b;
}

void append(Bytes& b, ByteView v) { b.insert(b.end(), v.begin(), v.end()); }

template <class T, class F>
Result<T> decode_payload(ByteView payload, F&& f, std::string_view what) {
  codec::Reader r(payload);
  T value = f(r);
  if (auto st = r.finish(); !st.ok()) return make_error(std::string(what) + ": " + st.error().message);
  return value;
}

}  // namespace

Bytes singleton_key(Kind k) { return with_kind(k, 1); }

Bytes account_key(const Address& a) {
  const auto k = account_key_fixed(a);
  return Bytes(k.begin(), k.end());
}

std::array<std::uint8_t, 33> account_key_fixed(const Address& a) {
  std::array<std::uint8_t, 33> k{};
  k[0] = static_cast<std::uint8_t>(Kind::account);
  std::copy(a.data.begin(), a.data.end(), k.begin() + 1);
  return k;
}

Bytes validator_key(const Address& a) {
  auto b = with_kind(Kind::validator, 33);
  append(b, a.view());
  return b;
}

Bytes delegation_key(const Address& delegator, const Address& validator) {
  auto b = with_kind(Kind::delegation, 65);
  append(b, delegator.view());
  append(b, validator.view());
  return b;
}

Bytes unbonding_key(std::uint64_t height) {
  auto b = with_kind(Kind::unbonding, 9);
  for (int i = 7; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(height >> (8 * i)));
  return b;
}

namespace {
void append_be(Bytes& b, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
Bytes subnet_scoped(Kind k, std::uint32_t netuid, std::size_t extra) {
  auto b = with_kind(k, 5 + extra);
  append_be(b, netuid, 4);
  return b;
}
}  // namespace

Bytes subnet_key(std::uint32_t netuid) { return subnet_scoped(Kind::subnet, netuid, 0); }

Bytes neuron_key(std::uint32_t netuid, std::uint16_t uid) {
  auto b = subnet_scoped(Kind::neuron, netuid, 2);
  append_be(b, uid, 2);
  return b;
}

Bytes neuron_hotkey_key(std::uint32_t netuid, const Address& hotkey) {
  auto b = subnet_scoped(Kind::neuron_hotkey, netuid, 32);
  append(b, hotkey.view());
  return b;
}

Bytes weights_key(std::uint32_t netuid, std::uint16_t uid) {
  auto b = subnet_scoped(Kind::weights, netuid, 2);
  append_be(b, uid, 2);
  return b;
}

Bytes weight_commit_key(std::uint32_t netuid, std::uint16_t uid) {
  auto b = subnet_scoped(Kind::weight_commit, netuid, 2);
  append_be(b, uid, 2);
  return b;
}

Hash32 map_key(ByteView logical_key) {
  // tagged_hash's input (tag length, tag, data) laid out on the stack: one BLAKE2b call over the
  // same bytes, so the same hash, without the incremental API's per-update work.
  static constexpr std::string_view kTag = "mt/state/key";
  constexpr std::size_t kPrefix = 1 + kTag.size();
  std::uint8_t buf[128];
  if (logical_key.size() > sizeof buf - kPrefix) return crypto::tagged_hash(kTag, logical_key);
  buf[0] = static_cast<std::uint8_t>(kTag.size());
  std::memcpy(buf + 1, kTag.data(), kTag.size());
  if (!logical_key.empty()) std::memcpy(buf + kPrefix, logical_key.data(), logical_key.size());
  return crypto::blake2b256({buf, kPrefix + logical_key.size()});
}

Bytes make_value(ByteView logical_key, ByteView payload) {
  Bytes v;
  v.reserve(logical_key.size() + payload.size());
  append(v, logical_key);
  append(v, payload);
  return v;
}

std::optional<std::size_t> logical_key_len(ByteView value) {
  if (value.empty()) return std::nullopt;
  std::size_t n = 0;
  switch (static_cast<Kind>(value[0])) {
    case Kind::params:
    case Kind::chain_meta:
    case Kind::validator_set:
    case Kind::last_validator_set:
    case Kind::validator_index:
    case Kind::subnet_count: n = 1; break;
    case Kind::subnet: n = 5; break;
    case Kind::neuron:
    case Kind::weights:
    case Kind::weight_commit: n = 7; break;
    case Kind::neuron_hotkey: n = 37; break;
    case Kind::account:
    case Kind::validator: n = 33; break;
    case Kind::delegation: n = 65; break;
    case Kind::unbonding: n = 9; break;
    default: return std::nullopt;
  }
  if (value.size() < n) return std::nullopt;
  return n;
}

Bytes encode_account(const Account& a) {
  codec::Writer w(24);
  w.amount(a.balance);
  w.u64(a.nonce);
  return w.take();
}

Result<Account> decode_account(ByteView payload) {
  return decode_payload<Account>(payload, [](codec::Reader& r) {
    Account a;
    a.balance = r.amount();
    a.nonce = r.u64();
    return a;
  }, "account");
}

Bytes encode_validator(const ValidatorInfo& v) {
  codec::Writer w(112);
  w.fixed(v.address);
  w.amount(v.self_stake);
  w.amount(v.delegated);
  w.amount(v.delegator_shares);
  w.boolean(v.jailed);
  w.u64(v.jailed_until);
  w.u64(v.missed_blocks);
  w.boolean(v.tombstoned);
  return w.take();
}

Result<ValidatorInfo> decode_validator(ByteView payload) {
  return decode_payload<ValidatorInfo>(payload, [](codec::Reader& r) {
    ValidatorInfo v;
    v.address = r.fixed<32>();
    v.self_stake = r.amount();
    v.delegated = r.amount();
    v.delegator_shares = r.amount();
    v.jailed = r.boolean();
    v.jailed_until = r.u64();
    v.missed_blocks = r.u64();
    v.tombstoned = r.boolean();
    if (r.ok() && !checked_add(v.self_stake, v.delegated)) r.fail("bonded stake overflows");
    return v;
  }, "validator");
}

Bytes encode_amount(Amount a) {
  codec::Writer w(16);
  w.amount(a);
  return w.take();
}

Result<Amount> decode_amount(ByteView payload) {
  return decode_payload<Amount>(payload, [](codec::Reader& r) {
    Amount a = r.amount();
    if (r.ok() && a == 0) r.fail("zero amount is stored as absence");
    return a;
  }, "amount");
}

Bytes encode_unbonding(const std::vector<UnbondingEntry>& entries) {
  codec::Writer w(4 + entries.size() * 80);
  w.list_len(entries.size());
  for (const auto& e : entries) {
    w.fixed(e.owner);
    w.fixed(e.validator);
    w.amount(e.amount);
  }
  return w.take();
}

Result<std::vector<UnbondingEntry>> decode_unbonding(ByteView payload) {
  return decode_payload<std::vector<UnbondingEntry>>(payload, [](codec::Reader& r) {
    std::vector<UnbondingEntry> out;
    const auto n = r.list_len(kMaxUnbondingEntries, 80);
    if (r.ok() && n == 0) r.fail("empty unbonding record");
    for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
      UnbondingEntry e;
      e.owner = r.fixed<32>();
      e.validator = r.fixed<32>();
      e.amount = r.amount();
      if (r.ok() && e.amount == 0) r.fail("zero unbonding entry");
      out.push_back(e);
    }
    return out;
  }, "unbonding");
}

Bytes encode_meta(const ChainMeta& m) {
  codec::Writer w(64);
  w.u64(m.height);
  w.u64(m.last_block_time_ms);
  w.amount(m.genesis_supply);
  w.amount(m.minted);
  w.amount(m.burned);
  return w.take();
}

Result<ChainMeta> decode_meta(ByteView payload) {
  return decode_payload<ChainMeta>(payload, [](codec::Reader& r) {
    ChainMeta m;
    m.height = r.u64();
    m.last_block_time_ms = r.u64();
    m.genesis_supply = r.amount();
    m.minted = r.amount();
    m.burned = r.amount();
    return m;
  }, "chain meta");
}

Bytes encode_params(const Params& p) {
  codec::Writer w(256);
  p.encode(w);
  return w.take();
}

Result<Params> decode_params(ByteView payload) {
  auto p = decode_payload<Params>(payload, [](codec::Reader& r) { return Params::decode(r); }, "params");
  if (!p.ok()) return p;
  if (auto st = p.value().validate(); !st.ok()) return make_error("params: " + st.error().message);
  return p;
}

Bytes encode_valset(const ValidatorSet& vs) {
  codec::Writer w(8 + vs.size() * 48);
  vs.encode(w);
  return w.take();
}

Result<ValidatorSet> decode_valset(ByteView payload) {
  return decode_payload<ValidatorSet>(payload, [](codec::Reader& r) { return ValidatorSet::decode(r); },
                                      "validator set");
}

Bytes encode_index(const std::vector<Address>& index) {
  codec::Writer w(4 + index.size() * 32);
  w.list_len(index.size());
  for (const auto& a : index) w.fixed(a);
  return w.take();
}

Result<std::vector<Address>> decode_index(ByteView payload) {
  return decode_payload<std::vector<Address>>(payload, [](codec::Reader& r) {
    std::vector<Address> out;
    const auto n = r.list_len(codec::kMaxListLen, 32);
    for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
      out.push_back(r.fixed<32>());
      if (out.size() > 1 && !(out[out.size() - 2] < out.back())) r.fail("validator index not sorted");
    }
    return out;
  }, "validator index");
}

namespace {
template <class T>
Status status_of(const Result<T>& r) {
  if (r.ok()) return {};
  return r.error();
}
}  // namespace

Status check_record(const Hash32& key, ByteView value) {
  const auto lk_len = logical_key_len(value);
  if (!lk_len) return make_error("state record of unknown kind");
  const ByteView lk = value.first(*lk_len);
  if (map_key(lk) != key) return make_error("state record does not match its key");
  const ByteView payload = value.subspan(*lk_len);
  switch (static_cast<Kind>(value[0])) {
    case Kind::params: return status_of(decode_params(payload));
    case Kind::chain_meta: return status_of(decode_meta(payload));
    case Kind::validator_set:
    case Kind::last_validator_set: return status_of(decode_valset(payload));
    case Kind::validator_index: return status_of(decode_index(payload));
    case Kind::account: {
      auto a = decode_account(payload);
      if (a.ok() && a.value() == Account{}) return make_error("zero account is stored as absence");
      return status_of(a);
    }
    case Kind::validator: {
      auto v = decode_validator(payload);
      if (v.ok() && !std::equal(v.value().address.data.begin(), v.value().address.data.end(), lk.begin() + 1)) {
        return make_error("validator record under another address");
      }
      return status_of(v);
    }
    case Kind::delegation: return status_of(decode_amount(payload));
    case Kind::unbonding: return status_of(decode_unbonding(payload));
    case Kind::subnet_count: return status_of(decode_count(payload));
    case Kind::subnet: {
      auto sn = decode_subnet(payload);
      if (sn.ok() && subnet_key(sn.value().netuid) != Bytes(lk.begin(), lk.end())) {
        return make_error("subnet record under another netuid");
      }
      return status_of(sn);
    }
    case Kind::neuron: {
      auto n = decode_neuron(payload);
      if (n.ok() && neuron_key(n.value().netuid, n.value().uid) != Bytes(lk.begin(), lk.end())) {
        return make_error("neuron record under another uid");
      }
      return status_of(n);
    }
    case Kind::neuron_hotkey: return status_of(decode_uid(payload));
    case Kind::weights: return status_of(decode_weight_row(payload));
    case Kind::weight_commit: return status_of(decode_weight_commit(payload));
  }
  return make_error("state record of unknown kind");
}

}  // namespace mt::state::records

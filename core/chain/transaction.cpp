#include "core/chain/transaction.hpp"

#include <fmt/format.h>

#include "core/crypto/hash.hpp"

namespace mt {

std::string_view tx_kind_name(TxKind kind) {
  switch (kind) {
    case TxKind::transfer: return "transfer";
    case TxKind::register_validator: return "register_validator";
    case TxKind::bond: return "bond";
    case TxKind::unbond: return "unbond";
    case TxKind::delegate: return "delegate";
    case TxKind::undelegate: return "undelegate";
    case TxKind::unjail: return "unjail";
    case TxKind::create_subnet: return "create_subnet";
    case TxKind::register_neuron: return "register_neuron";
    case TxKind::set_weights: return "set_weights";
    case TxKind::commit_weights: return "commit_weights";
    case TxKind::reveal_weights: return "reveal_weights";
  }
  return "unknown";
}

void encode_weights(codec::Writer& w, const std::vector<WeightEntry>& weights) {
  w.list_len(weights.size());
  for (const auto& e : weights) {
    w.u16(e.uid);
    w.u16(e.weight);
  }
}

// Bounded: at most kMaxWeightsPerTx entries and never more than the bytes left can hold.
std::vector<WeightEntry> decode_weights(codec::Reader& r) {
  std::vector<WeightEntry> out;
  const auto n = r.list_len(kMaxWeightsPerTx, 4);
  if (!r.ok()) return out;
  out.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    WeightEntry e;
    e.uid = r.u16();
    e.weight = r.u16();
    out.push_back(e);
  }
  return out;
}

namespace {

struct PayloadEncoder {
  codec::Writer& w;
  void operator()(const Transfer& p) const { w.fixed(p.to); w.amount(p.amount); }
  void operator()(const RegisterValidator& p) const { w.amount(p.stake); }
  void operator()(const Bond& p) const { w.amount(p.amount); }
  void operator()(const Unbond& p) const { w.amount(p.amount); }
  void operator()(const Delegate& p) const { w.fixed(p.validator); w.amount(p.amount); }
  void operator()(const Undelegate& p) const { w.fixed(p.validator); w.amount(p.amount); }
  void operator()(const Unjail&) const {}
  void operator()(const CreateSubnet& p) const {
    w.str(p.name);
    w.amount(p.min_stake);
    w.u16(p.max_neurons);
    w.u64(p.tempo_blocks);
  }
  void operator()(const RegisterNeuron& p) const {
    w.u32(p.netuid);
    w.fixed(p.hotkey);
    w.str(p.endpoint);
    w.amount(p.stake);
  }
  void operator()(const SetWeights& p) const {
    w.u32(p.netuid);
    encode_weights(w, p.weights);
  }
  void operator()(const CommitWeights& p) const {
    w.u32(p.netuid);
    w.fixed(p.commitment);
  }
  void operator()(const RevealWeights& p) const {
    w.u32(p.netuid);
    encode_weights(w, p.weights);
    w.fixed(p.salt);
  }
};

TxPayload decode_ai_payload(TxKind tag, codec::Reader& r) {
  switch (tag) {
    case TxKind::create_subnet: {
      CreateSubnet p;
      p.name = r.str();
      p.min_stake = r.amount();
      p.max_neurons = r.u16();
      p.tempo_blocks = r.u64();
      return p;
    }
    case TxKind::register_neuron: {
      RegisterNeuron p;
      p.netuid = r.u32();
      p.hotkey = r.fixed<32>();
      p.endpoint = r.str();
      p.stake = r.amount();
      return p;
    }
    case TxKind::set_weights: {
      SetWeights p;
      p.netuid = r.u32();
      p.weights = decode_weights(r);
      return p;
    }
    case TxKind::commit_weights: {
      CommitWeights p;
      p.netuid = r.u32();
      p.commitment = r.fixed<32>();
      return p;
    }
    case TxKind::reveal_weights: {
      RevealWeights p;
      p.netuid = r.u32();
      p.weights = decode_weights(r);
      p.salt = r.fixed<32>();
      return p;
    }
    default: break;
  }
  r.fail("unknown AI-layer transaction kind");
  return Unjail{};
}

TxPayload decode_payload(TxKind tag, codec::Reader& r) {
  switch (tag) {
    case TxKind::transfer: {
      Transfer p;
      p.to = r.fixed<32>();
      p.amount = r.amount();
      return p;
    }
    case TxKind::register_validator: return RegisterValidator{r.amount()};
    case TxKind::bond: return Bond{r.amount()};
    case TxKind::unbond: return Unbond{r.amount()};
    case TxKind::delegate: {
      Delegate p;
      p.validator = r.fixed<32>();
      p.amount = r.amount();
      return p;
    }
    case TxKind::undelegate: {
      Undelegate p;
      p.validator = r.fixed<32>();
      p.amount = r.amount();
      return p;
    }
    case TxKind::unjail: return Unjail{};
    case TxKind::create_subnet:
    case TxKind::register_neuron:
    case TxKind::set_weights:
    case TxKind::commit_weights:
    case TxKind::reveal_weights: return decode_ai_payload(tag, r);
  }
  return Unjail{};
}

}  // namespace

Hash32 weights_commitment(std::uint32_t netuid, const Address& hotkey, const std::vector<WeightEntry>& weights,
                          const Hash32& salt) {
  codec::Writer w(44 + weights.size() * 4);
  w.u32(netuid);
  w.fixed(hotkey);
  encode_weights(w, weights);
  w.fixed(salt);
  return crypto::tagged_hash("mt/weights", w.data());
}

void Transaction::encode_unsigned(codec::Writer& w) const {
  w.str(chain_id);
  w.fixed(sender);
  w.u64(nonce);
  w.amount(fee);
  MT_ASSERT(memo.size() <= kMaxMemoBytes, "Transaction memo above kMaxMemoBytes: it would never decode");
  const bool has_memo = !memo.empty();
  w.u8(static_cast<std::uint8_t>(static_cast<std::uint8_t>(kind()) | (has_memo ? kTxMemoFlag : 0)));
  std::visit(PayloadEncoder{w}, payload);
  if (has_memo) w.bytes(memo);
}

void Transaction::encode(codec::Writer& w) const {
  encode_unsigned(w);
  w.fixed(signature);
}

Transaction Transaction::decode(codec::Reader& r) {
  Transaction tx;
  tx.chain_id = r.str();
  tx.sender = r.fixed<32>();
  tx.nonce = r.u64();
  tx.fee = r.amount();
  const std::uint8_t tag_byte = r.u8();
  const auto kind = static_cast<std::uint8_t>(tag_byte & (kTxMemoFlag - 1));
  if (r.ok() && (kind < 1 || kind > kTxKindMax)) r.fail(fmt::format("unknown transaction kind tag {}", tag_byte));
  if (!r.ok()) return tx;
  tx.payload = decode_payload(static_cast<TxKind>(kind), r);
  if ((tag_byte & kTxMemoFlag) != 0) {
    tx.memo = r.bytes(kMaxMemoBytes);
    if (r.ok() && tx.memo.empty()) r.fail("transaction memo flag set with an empty memo (non-canonical)");
  }
  tx.signature = r.fixed<64>();
  return tx;
}

Hash32 Transaction::signing_hash() const {
  codec::Writer w(128 + memo.size());
  encode_unsigned(w);
  return crypto::tagged_hash("mt/tx", w.data());
}

void Transaction::sign(const crypto::KeyPair& key, crypto::Backend backend) {
  MT_ASSERT(key.public_key() == sender, "Transaction::sign with a key that is not the sender's");
  signature = key.sign(signing_hash().view(), backend);
}

SignedTx::SignedTx(Transaction tx) : tx_(std::move(tx)) {
  codec::Writer w(192 + tx_.memo.size());
  tx_.encode(w);
  encoded_ = w.take();
  hash_ = crypto::tagged_hash("mt/txid", encoded_);
  signing_hash_ = tx_.signing_hash();
}

TxPtr SignedTx::make(Transaction tx) { return TxPtr(new SignedTx(std::move(tx))); }

Result<TxPtr> SignedTx::decode(ByteView bytes) {
  auto tx = codec::decode_all<Transaction>(bytes, Transaction::decode, "transaction");
  if (!tx.ok()) return tx.error();
  return make(std::move(tx).value());
}

bool SignedTx::signature_valid(crypto::Verifier& verifier) const {
  return verifier.verify(tx_.sender, signing_hash_.view(), tx_.signature);
}

bool SignedTx::signature_valid_memo(crypto::Verifier& verifier) const {
  if (verify_memo_ == nullptr) verify_memo_ = std::make_shared<crypto::VerifyMemo>();
  return verifier.verify(tx_.sender, signing_hash_.view(), tx_.signature, *verify_memo_);
}

}  // namespace mt

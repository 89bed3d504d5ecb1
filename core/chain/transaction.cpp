#include "core/chain/transaction.hpp"

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
  }
  return "unknown";
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
};

TxPayload decode_payload(codec::Reader& r) {
  auto tag = static_cast<TxKind>(r.tag(1, kTxKindMax, "transaction kind"));
  if (!r.ok()) return Unjail{};
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
  }
  return Unjail{};
}

}  // namespace

void Transaction::encode_unsigned(codec::Writer& w) const {
  w.str(chain_id);
  w.fixed(sender);
  w.u64(nonce);
  w.amount(fee);
  w.u8(static_cast<std::uint8_t>(kind()));
  std::visit(PayloadEncoder{w}, payload);
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
  tx.payload = decode_payload(r);
  tx.signature = r.fixed<64>();
  return tx;
}

Hash32 Transaction::signing_hash() const {
  codec::Writer w(128);
  encode_unsigned(w);
  return crypto::tagged_hash("mt/tx", w.data());
}

void Transaction::sign(const crypto::KeyPair& key, crypto::Backend backend) {
  MT_ASSERT(key.public_key() == sender, "Transaction::sign with a key that is not the sender's");
  signature = key.sign(signing_hash().view(), backend);
}

SignedTx::SignedTx(Transaction tx) : tx_(std::move(tx)) {
  codec::Writer w(192);
  tx_.encode(w);
  encoded_ = w.take();
  hash_ = crypto::tagged_hash("mt/txid", encoded_);
}

TxPtr SignedTx::make(Transaction tx) { return TxPtr(new SignedTx(std::move(tx))); }

Result<TxPtr> SignedTx::decode(ByteView bytes) {
  auto tx = codec::decode_all<Transaction>(bytes, Transaction::decode, "transaction");
  if (!tx.ok()) return tx.error();
  return make(std::move(tx).value());
}

bool SignedTx::signature_valid(crypto::Verifier& verifier) const {
  return verifier.verify(tx_.sender, tx_.signing_hash().view(), tx_.signature);
}

}  // namespace mt

// Transactions: every state change but block rewards and slashing arrives as one, through a block.
//
// Wire form: chain_id, sender, nonce, fee, payload tag + payload, signature. The signature covers
// the BLAKE2b-256 of everything but itself under the tag "mt/tx". A transaction is immutable once
// wrapped in a SignedTx, which computes its encoding and hash exactly once and is shared (by
// pointer) between the mempools and blocks of every node in a process.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/codec/codec.hpp"
#include "core/crypto/keys.hpp"
#include "core/crypto/verifier.hpp"
#include "core/util/amount.hpp"
#include "core/util/bytes.hpp"
#include "core/util/result.hpp"

namespace mt {

struct Transfer {
  Address to;
  Amount amount = 0;
  bool operator==(const Transfer&) const = default;
};
// Makes the sender a validator candidate with `stake` bonded from its balance.
struct RegisterValidator {
  Amount stake = 0;
  bool operator==(const RegisterValidator&) const = default;
};
// Adds to the sender's own bonded stake as a validator.
struct Bond {
  Amount amount = 0;
  bool operator==(const Bond&) const = default;
};
// Starts unbonding the sender's own stake; released after Params::unbonding_blocks.
struct Unbond {
  Amount amount = 0;
  bool operator==(const Unbond&) const = default;
};
struct Delegate {
  Address validator;
  Amount amount = 0;
  bool operator==(const Delegate&) const = default;
};
struct Undelegate {
  Address validator;
  Amount amount = 0;
  bool operator==(const Undelegate&) const = default;
};
// Ends the sender's jail once the jail period has passed.
struct Unjail {
  bool operator==(const Unjail&) const = default;
};

// The variant index + 1 is the wire tag; append new kinds at the end only.
using TxPayload = std::variant<Transfer, RegisterValidator, Bond, Unbond, Delegate, Undelegate, Unjail>;

enum class TxKind : std::uint8_t {
  transfer = 1,
  register_validator = 2,
  bond = 3,
  unbond = 4,
  delegate = 5,
  undelegate = 6,
  unjail = 7,
};
inline constexpr std::uint8_t kTxKindMax = 7;
std::string_view tx_kind_name(TxKind kind);

struct Transaction {
  std::string chain_id;
  Address sender;
  std::uint64_t nonce = 0;  // must equal the sender's account nonce exactly
  Amount fee = 0;
  TxPayload payload;
  Signature signature;

  [[nodiscard]] TxKind kind() const { return static_cast<TxKind>(payload.index() + 1); }
  // BLAKE2b-256 ("mt/tx") of the encoding without the signature: what the sender signs.
  [[nodiscard]] Hash32 signing_hash() const;
  void sign(const crypto::KeyPair& key, crypto::Backend backend);

  void encode(codec::Writer& w) const;
  void encode_unsigned(codec::Writer& w) const;
  static Transaction decode(codec::Reader& r);

  bool operator==(const Transaction&) const = default;
};

class SignedTx;
using TxPtr = std::shared_ptr<const SignedTx>;

// An immutable transaction with its canonical encoding and hash computed once.
class SignedTx {
 public:
  static TxPtr make(Transaction tx);
  // Strict decode of one whole transaction (no trailing bytes).
  static Result<TxPtr> decode(ByteView bytes);

  [[nodiscard]] const Transaction& tx() const { return tx_; }
  [[nodiscard]] const Hash32& hash() const { return hash_; }
  [[nodiscard]] const Bytes& encoded() const { return encoded_; }
  [[nodiscard]] std::size_t size_bytes() const { return encoded_.size(); }
  // Checks the signature against the sender key (through the shared cache).
  [[nodiscard]] bool signature_valid(crypto::Verifier& verifier) const;

 private:
  explicit SignedTx(Transaction tx);
  Transaction tx_;
  Bytes encoded_;
  Hash32 hash_;
};

}  // namespace mt

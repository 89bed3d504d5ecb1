// Transactions: every state change but block rewards and slashing arrives as one, through a block.
//
// Wire form: chain_id, sender, nonce, fee, payload tag + payload, [memo], signature. The signature
// covers the BLAKE2b-256 of everything but itself under the tag "mt/tx". The memo (opaque padding or
// a note, docs/scenario-reference.md "size") is present only when the tag byte carries kTxMemoFlag,
// so a transaction without one encodes exactly as before memos existed; a flagged memo is never
// empty (one encoding per transaction). Its bound is the chain's max_tx_bytes on the whole
// encoded transaction (mempool admission and block validity), with kMaxMemoBytes as the decoder's. A transaction is immutable once
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

// --- The AI layer (docs/ai-layer.md): subnets, neurons, weights. ---

// At most this many (uid, weight) pairs in one weights transaction (and neurons in one subnet).
inline constexpr std::uint32_t kMaxWeightsPerTx = 4096;

// One validator's score for one neuron: uid in the subnet, weight in [0, 65535] (relative).
struct WeightEntry {
  std::uint16_t uid = 0;
  std::uint16_t weight = 0;
  bool operator==(const WeightEntry&) const = default;
};
// The one encoding of a weight list (count, then u16 uid + u16 weight each), used by the weight
// transactions and the state's weight rows. Decoding is bounded by kMaxWeightsPerTx and the bytes left.
void encode_weights(codec::Writer& w, const std::vector<WeightEntry>& weights);
std::vector<WeightEntry> decode_weights(codec::Reader& r);

// Creates a subnet owned by the sender; the chain assigns the next netuid.
struct CreateSubnet {
  std::string name;                 // 1..64 bytes
  Amount min_stake = 0;             // a neuron needs this much stake to set weights (validator permit)
  std::uint16_t max_neurons = 0;    // 1..Params::max_neurons_per_subnet
  std::uint64_t tempo_blocks = 0;   // blocks between the subnet's epoch steps, >= 1
  bool operator==(const CreateSubnet&) const = default;
};
// Registers `hotkey` as a neuron of `netuid`; the sender is its owner, locks `stake` from its
// balance and receives its emission. When the subnet is full the lowest-scored neuron outside
// its immunity period is replaced (its stake returned to its owner).
struct RegisterNeuron {
  std::uint32_t netuid = 0;
  Address hotkey;
  std::string endpoint;             // 0..256 bytes, opaque to the chain
  Amount stake = 0;
  bool operator==(const RegisterNeuron&) const = default;
};
// Sets the sender's (a neuron hotkey's) weights in `netuid`: uids strictly ascending.
struct SetWeights {
  std::uint32_t netuid = 0;
  std::vector<WeightEntry> weights;
  bool operator==(const SetWeights&) const = default;
};
// Commits to weights revealed later: commitment = weights_commitment(netuid, hotkey, weights, salt).
struct CommitWeights {
  std::uint32_t netuid = 0;
  Hash32 commitment;
  bool operator==(const CommitWeights&) const = default;
};
// Reveals committed weights within Params::reveal_window_blocks after the commit.
struct RevealWeights {
  std::uint32_t netuid = 0;
  std::vector<WeightEntry> weights;
  Hash32 salt;
  bool operator==(const RevealWeights&) const = default;
};

// BLAKE2b-256("mt/weights", netuid, hotkey, weights, salt): what commit_weights carries.
Hash32 weights_commitment(std::uint32_t netuid, const Address& hotkey, const std::vector<WeightEntry>& weights,
                          const Hash32& salt);

// The variant index + 1 is the wire tag; append new kinds at the end only.
using TxPayload = std::variant<Transfer, RegisterValidator, Bond, Unbond, Delegate, Undelegate, Unjail, CreateSubnet,
                               RegisterNeuron, SetWeights, CommitWeights, RevealWeights>;

enum class TxKind : std::uint8_t {
  transfer = 1,
  register_validator = 2,
  bond = 3,
  unbond = 4,
  delegate = 5,
  undelegate = 6,
  unjail = 7,
  create_subnet = 8,
  register_neuron = 9,
  set_weights = 10,
  commit_weights = 11,
  reveal_weights = 12,
};
inline constexpr std::uint8_t kTxKindMax = 12;
// Set on the wire's kind byte when a memo follows the payload (kinds stay below it).
inline constexpr std::uint8_t kTxMemoFlag = 0x80;
static_assert(kTxKindMax < kTxMemoFlag, "a transaction kind would collide with the memo flag");
// The decoder's hard bound on a memo, whatever the chain's max_tx_bytes (which Params::validate
// keeps within the codec's limits): a forged length cannot make a node allocate more.
inline constexpr std::uint32_t kMaxMemoBytes = 4u << 20;
// Wire bytes a memo of `memo_bytes` (> 0) adds to a transaction: u32 length, then the bytes.
[[nodiscard]] constexpr std::size_t memo_wire_bytes(std::size_t memo_bytes) { return 4 + memo_bytes; }
std::string_view tx_kind_name(TxKind kind);

struct Transaction {
  std::string chain_id;
  Address sender;
  std::uint64_t nonce = 0;  // must equal the sender's account nonce exactly
  Amount fee = 0;
  TxPayload payload;
  Signature signature;
  Bytes memo;  // optional padding or note, signed and hashed; empty: none (and not on the wire)

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
  // tx().signing_hash(), computed once: every node checks the signature of every tx it admits.
  [[nodiscard]] const Hash32& signing_hash() const { return signing_hash_; }
  [[nodiscard]] const Bytes& encoded() const { return encoded_; }
  [[nodiscard]] std::size_t size_bytes() const { return encoded_.size(); }
  // Checks the signature against the sender key (through the shared cache).
  [[nodiscard]] bool signature_valid(crypto::Verifier& verifier) const;
  // The same answer, first trying the verification memo this object carries (crypto/verifier.hpp:
  // it compares the whole key, so it never answers for another signature). For callers that
  // share one decoded tx object among many nodes: each admission after the first is one compare
  // instead of a cache-table lookup. Checks meant to be independent (the reference replica) use
  // signature_valid().
  [[nodiscard]] bool signature_valid_memo(crypto::Verifier& verifier) const;

 private:
  explicit SignedTx(Transaction tx);
  Transaction tx_;
  Bytes encoded_;
  Hash32 hash_;
  Hash32 signing_hash_;
  mutable std::shared_ptr<crypto::VerifyMemo> verify_memo_;  // made on first use; one thread per tx
};

}  // namespace mt

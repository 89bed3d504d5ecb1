// The first frames on every testnet connection: who I am, which chain I follow, and proof that I
// hold the node key the genesis gives my index. A peer on another chain id or another genesis (a
// different scenario, seed or build) is refused before any message is exchanged, so two testnets
// on one host can never mix; a process that claims an index without its key is refused too.
//
//   dialer   -> listener   Hello{nonce_d}                      (proof empty)
//   listener -> dialer     Hello{nonce_l, proof = sign_l(listener, nonce_d)}
//   dialer   -> listener   Auth{sign_d(dialer, nonce_l)}       (kAuthKind frame, 64 bytes)
//
// Each proof is an Ed25519 signature (always the real backend, whatever the chain simulates)
// over: domain "mtnode/hello/v2", role (dialer or listener), chain id, genesis hash, the other
// side's fresh nonce, the signer's and the verifier's index. The role keeps a listener's proof
// from being relayed as a dialer's; the fresh nonce keeps any proof from being replayed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/crypto/keys.hpp"
#include "core/util/bytes.hpp"
#include "core/util/result.hpp"

namespace mt::testnet {

inline constexpr std::uint32_t kHelloMagic = 0x4d544e31;  // "MTN1"
inline constexpr std::uint16_t kProtocolVersion = 2;       // 2: authenticated handshake

struct Hello {
  std::uint16_t version = kProtocolVersion;
  std::string chain_id;
  Hash32 genesis_hash;
  std::uint32_t node_index = 0;  // the sender's index in the testnet's peer table
  Hash32 nonce;                  // fresh per connection: the challenge the other side signs
  Signature proof;               // the listener's proof over the dialer's nonce; zero from the dialer
  bool operator==(const Hello&) const = default;
};

Bytes encode_hello(const Hello& hello);
// Strict: magic, lengths, no trailing bytes.
Result<Hello> decode_hello(ByteView payload);

// ok when `theirs` may talk to `ours`; otherwise the reason (for the log).
// `peer_count` bounds the index a peer may claim.
Status check_hello(const Hello& ours, const Hello& theirs, std::uint32_t peer_count);

// Our node key and every node's public key by index (the genesis validators').
struct NodeIdentity {
  crypto::KeyPair key;
  std::vector<PublicKey> keys;
};

enum class HelloRole : std::uint8_t { dialer = 1, listener = 2 };

// The bytes a proof signs (see the top of this file).
Bytes hello_proof_message(HelloRole role, const Hello& ours, const Hash32& challenge, std::uint32_t verifier);
Signature sign_hello_proof(const NodeIdentity& id, HelloRole role, const Hello& ours, const Hash32& challenge,
                           std::uint32_t verifier);
// Checks `proof` from `theirs.node_index` (who signed in `role`) over our `challenge`.
Status verify_hello_proof(const NodeIdentity& id, HelloRole role, const Hello& theirs, const Hash32& challenge,
                          std::uint32_t verifier, const Signature& proof);
// 32 fresh random bytes (std::random_device: the testnet runtime is not deterministic anyway).
Hash32 fresh_nonce();

}  // namespace mt::testnet

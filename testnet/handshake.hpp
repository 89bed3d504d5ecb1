// The first frame on every testnet connection, in both directions: who I am and which chain I
// follow. A peer on another chain id or another genesis (a different scenario, seed or build) is
// refused before any message is exchanged, so two testnets on one host can never mix.
#pragma once

#include <cstdint>
#include <string>

#include "core/util/bytes.hpp"
#include "core/util/result.hpp"

namespace mt::testnet {

inline constexpr std::uint32_t kHelloMagic = 0x4d544e31;  // "MTN1"
inline constexpr std::uint16_t kProtocolVersion = 1;

struct Hello {
  std::uint16_t version = kProtocolVersion;
  std::string chain_id;
  Hash32 genesis_hash;
  std::uint32_t node_index = 0;  // the sender's index in the testnet's peer table
  bool operator==(const Hello&) const = default;
};

Bytes encode_hello(const Hello& hello);
// Strict: magic, lengths, no trailing bytes.
Result<Hello> decode_hello(ByteView payload);

// ok when `theirs` may talk to `ours`; otherwise the reason (for the log).
// `peer_count` bounds the index a peer may claim.
Status check_hello(const Hello& ours, const Hello& theirs, std::uint32_t peer_count);

}  // namespace mt::testnet

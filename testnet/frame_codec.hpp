// Length-prefixed frames on a TCP stream between testnet nodes. A frame is
//   u32 little-endian length N (1..kMaxFrameBytes) | u8 kind | N-1 payload bytes
// where kind is a MsgKind (core/node/wire.hpp) or kHelloKind (the handshake, handshake.hpp).
// The payload is the canonical encoding of the same codec the simulator carries; the node
// decodes it strictly. The framing layer only checks lengths and kinds: anything else is a
// broken stream, and the connection (never the process) is closed.
//
// Each kind has its own payload cap (FrameLimits), checked on the header before the payload is
// buffered, so a peer can make us hold at most one frame of the kind it announced:
//   hello and auth 1 KiB, status and block_request 256 B, vote 4 KiB, evidence 16 KiB,
//   tx max_tx_bytes + 1 KiB, proposal max_block_bytes + 1 MiB (header, commit, evidence),
//   block_response kMaxSyncResponseBytes + one proposal, gossip_batch kMaxBatchBytes + one tx,
//   gossip_control its header and kMaxControlIds ids.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/node/message_codec.hpp"
#include "core/node/wire.hpp"
#include "core/util/bytes.hpp"
#include "core/util/result.hpp"

namespace mt::testnet {

inline constexpr std::uint8_t kHelloKind = 0x80;
inline constexpr std::uint8_t kAuthKind = 0x81;  // the dialer's proof, last frame of the handshake
// A frame carries one kind byte plus at most one full wire payload.
inline constexpr std::size_t kMaxFrameBytes = kMaxWirePayloadBytes + 1;
inline constexpr std::size_t kFrameHeaderBytes = 5;  // length + kind

struct FrameLimits {
  std::array<std::uint32_t, kMsgKindMax + 1> payload{};  // by MsgKind; [0] unused
  std::uint32_t hello = 1024;
  // The caps for a chain with these limits (defaults: Params' defaults).
  static FrameLimits for_chain(std::uint32_t max_tx_bytes = 64u << 10, std::uint32_t max_block_bytes = 4u << 20);
  [[nodiscard]] std::uint32_t cap(std::uint8_t kind) const;  // 0 for an unknown kind
};

struct Frame {
  std::uint8_t kind = 0;
  Bytes payload;
};

// The 5 header bytes of a frame for (kind, payload_size); the payload follows on the wire.
std::array<std::uint8_t, kFrameHeaderBytes> frame_header(std::uint8_t kind, std::size_t payload_size);
// Header and payload in one buffer (tests, the handshake).
Bytes encode_frame(std::uint8_t kind, ByteView payload);

// Incremental decoder: feed whatever the socket returned, take complete frames out. It holds at
// most one partial frame (bounded by kMaxFrameBytes). After an error it stays failed.
class FrameDecoder {
 public:
  explicit FrameDecoder(FrameLimits limits = FrameLimits::for_chain()) : limits_(limits) {}
  // Appends bytes; returns an error (and fails for good) on a bad length or kind.
  Status feed(ByteView bytes);
  // The next complete frame, if any.
  std::optional<Frame> next();
  [[nodiscard]] bool failed() const { return !error_.empty(); }
  [[nodiscard]] std::size_t buffered() const { return buffer_.size() - read_pos_; }
  // Accept kHelloKind and kAuthKind frames (only while handshaking).
  void allow_hello(bool allow) { allow_hello_ = allow; }

 private:
  Status check_header();
  FrameLimits limits_;
  Bytes buffer_;
  std::size_t read_pos_ = 0;
  std::string error_;
  bool allow_hello_ = false;
};

// A decoded frame as the node's wire message (kind must be a MsgKind).
WirePtr to_wire(Frame frame);

}  // namespace mt::testnet

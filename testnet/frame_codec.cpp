#include "testnet/frame_codec.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/util/assert.hpp"

namespace mt::testnet {

namespace {
std::uint32_t read_u32le(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
}  // namespace

FrameLimits FrameLimits::for_chain(std::uint32_t max_tx_bytes, std::uint32_t max_block_bytes) {
  auto clamp = [](std::uint64_t v) {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(v, kMaxFrameBytes - 1));
  };
  FrameLimits l;
  const std::uint64_t proposal = std::uint64_t{max_block_bytes} + (1u << 20);
  const std::uint64_t tx = std::uint64_t{max_tx_bytes} + 1024;
  l.payload[static_cast<std::size_t>(MsgKind::tx)] = clamp(tx);
  l.payload[static_cast<std::size_t>(MsgKind::proposal)] = clamp(proposal);
  l.payload[static_cast<std::size_t>(MsgKind::vote)] = 4u << 10;
  l.payload[static_cast<std::size_t>(MsgKind::evidence)] = 16u << 10;
  l.payload[static_cast<std::size_t>(MsgKind::status)] = 256;
  l.payload[static_cast<std::size_t>(MsgKind::block_request)] = 256;
  l.payload[static_cast<std::size_t>(MsgKind::block_response)] = clamp(kMaxSyncResponseBytes + proposal);
  l.payload[static_cast<std::size_t>(MsgKind::gossip_batch)] = clamp(kMaxBatchBytes + tx);
  l.payload[static_cast<std::size_t>(MsgKind::gossip_control)] = clamp(6 + std::uint64_t{kMaxControlIds} * 32);
  return l;
}

std::uint32_t FrameLimits::cap(std::uint8_t kind) const {
  if (kind == kHelloKind || kind == kAuthKind) return hello;
  return kind >= 1 && kind <= kMsgKindMax ? payload[kind] : 0;
}

std::array<std::uint8_t, kFrameHeaderBytes> frame_header(std::uint8_t kind, std::size_t payload_size) {
  MT_ASSERT(payload_size + 1 <= kMaxFrameBytes, "frame payload too large");
  const auto n = static_cast<std::uint32_t>(payload_size + 1);
  return {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n >> 16),
          static_cast<std::uint8_t>(n >> 24), kind};
}

Bytes encode_frame(std::uint8_t kind, ByteView payload) {
  const auto h = frame_header(kind, payload.size());
  Bytes out(kFrameHeaderBytes + payload.size());
  for (std::size_t i = 0; i < kFrameHeaderBytes; ++i) out[i] = h[i];
  std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(kFrameHeaderBytes));
  return out;
}

Status FrameDecoder::feed(ByteView bytes) {
  if (failed()) return make_error(error_);
  // Drop consumed bytes before growing, so the buffer holds at most one partial frame plus input.
  if (read_pos_ > 0) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(read_pos_));
    read_pos_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  return check_header();
}

Status FrameDecoder::check_header() {
  if (buffered() < kFrameHeaderBytes) return {};
  const std::uint8_t* p = buffer_.data() + read_pos_;
  const std::uint32_t n = read_u32le(p);
  const std::uint8_t kind = p[4];
  if (n == 0 || n > kMaxFrameBytes) {
    error_ = fmt::format("frame length {} outside 1..{}", n, kMaxFrameBytes);
  } else if (kind == kHelloKind || kind == kAuthKind ? !allow_hello_ : (kind == 0 || kind > kMsgKindMax)) {
    error_ = fmt::format("unexpected frame kind {}", kind);
  } else if (n - 1 > limits_.cap(kind)) {
    error_ = fmt::format("kind {} frame of {} payload bytes exceeds its cap {}", kind, n - 1, limits_.cap(kind));
  }
  if (failed()) {
    buffer_.clear();
    buffer_.shrink_to_fit();
    read_pos_ = 0;
    return make_error(error_);
  }
  return {};
}

std::optional<Frame> FrameDecoder::next() {
  if (failed() || buffered() < kFrameHeaderBytes) return std::nullopt;
  const std::uint8_t* p = buffer_.data() + read_pos_;
  const std::uint32_t n = read_u32le(p);
  if (buffered() < 4 + static_cast<std::size_t>(n)) return std::nullopt;
  Frame f;
  f.kind = p[4];
  f.payload.assign(p + kFrameHeaderBytes, p + 4 + n);
  read_pos_ += 4 + static_cast<std::size_t>(n);
  (void)check_header();  // a bad next header fails the decoder; this frame is still whole
  return f;
}

WirePtr to_wire(Frame frame) {
  MT_ASSERT(frame.kind >= 1 && frame.kind <= kMsgKindMax, "to_wire: not a message frame");
  return std::make_shared<WireMessage>(static_cast<MsgKind>(frame.kind), std::move(frame.payload));
}

}  // namespace mt::testnet

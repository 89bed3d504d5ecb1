// libFuzzer target for the testnet frame decoder (testnet/frame_codec.hpp), fed as a peer would:
// the first input byte picks the chunk size and whether hellos are allowed, the rest is the TCP
// stream. The decoder never crashes, never returns a frame over its kind's cap, and never buffers
// more than one capped frame plus one chunk.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "testnet/frame_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + (data[0] & 0x3f);
  mt::testnet::FrameDecoder d(mt::testnet::FrameLimits::for_chain(1024, 4096));
  d.allow_hello((data[0] & 0x40) != 0);
  const auto limits = mt::testnet::FrameLimits::for_chain(1024, 4096);
  std::uint32_t max_cap = limits.hello;
  for (auto c : limits.payload) max_cap = std::max(max_cap, c);
  for (std::size_t at = 1; at < size; at += chunk) {
    const std::size_t n = std::min(chunk, size - at);
    if (!d.feed(mt::ByteView(data + at, n)).ok()) break;
    while (auto f = d.next()) {
      if (f->payload.size() > limits.cap(f->kind)) {
        std::fprintf(stderr, "fuzz property violated: frame of kind %u over its cap\n", f->kind);
        std::abort();
      }
    }
    if (d.buffered() > max_cap + mt::testnet::kFrameHeaderBytes + chunk) {
      std::fprintf(stderr, "fuzz property violated: decoder holds %zu bytes\n", d.buffered());
      std::abort();
    }
  }
  return 0;
}

// The frame codec splits a TCP byte stream into frames however the stream is chunked, and turns
// every malformed header (zero or oversize length, unknown kind, an unexpected hello) into an
// error that fails the decoder for good, never a crash or an unbounded buffer.
#include <doctest/doctest.h>

#include "sim/engine/random.hpp"
#include "testnet/frame_codec.hpp"

namespace mt::testnet {
namespace {

Bytes stream_of(const std::vector<std::pair<std::uint8_t, Bytes>>& frames) {
  Bytes out;
  for (const auto& [kind, payload] : frames) {
    auto f = encode_frame(kind, payload);
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

Bytes header(std::uint32_t length, std::uint8_t kind) {
  return {static_cast<std::uint8_t>(length), static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length >> 16),
          static_cast<std::uint8_t>(length >> 24), kind};
}

TEST_CASE("frames come out whole and in order however the stream is chunked") {
  const std::vector<std::pair<std::uint8_t, Bytes>> sent{
      {1, Bytes{1, 2, 3}}, {3, Bytes(1000, 7)}, {5, Bytes{}}, {7, Bytes(70000, 9)}};
  const Bytes stream = stream_of(sent);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{5}, std::size_t{4096}, stream.size()}) {
    FrameDecoder d;
    std::vector<Frame> got;
    for (std::size_t at = 0; at < stream.size(); at += chunk) {
      const std::size_t n = std::min(chunk, stream.size() - at);
      REQUIRE(d.feed(ByteView(stream.data() + at, n)).ok());
      while (auto f = d.next()) got.push_back(std::move(*f));
    }
    REQUIRE(got.size() == sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
      CHECK(got[i].kind == sent[i].first);
      CHECK(got[i].payload == sent[i].second);
    }
    CHECK(d.buffered() == 0);
  }
}

TEST_CASE("a zero length, an oversize length or an unknown kind fails the decoder for good") {
  for (const Bytes& bad : {header(0, 1), header(static_cast<std::uint32_t>(kMaxFrameBytes + 1), 1), header(4, 0),
                           header(4, kMsgKindMax + 1), header(4, 0xff)}) {
    FrameDecoder d;
    CHECK_FALSE(d.feed(bad).ok());
    CHECK(d.failed());
    CHECK_FALSE(d.next().has_value());
    // Valid bytes afterwards do not revive it: the stream's framing is lost.
    CHECK_FALSE(d.feed(encode_frame(1, Bytes{1})).ok());
    CHECK(d.buffered() == 0);
  }
}

TEST_CASE("each kind has its own cap, checked on the header before any payload is buffered") {
  const FrameLimits l = FrameLimits::for_chain();
  // Today's 16 MiB for every kind: a half-sent vote, status or hello could hold 16 MiB each.
  for (std::uint8_t kind : {std::uint8_t{3}, std::uint8_t{5}, std::uint8_t{6}, kHelloKind}) {
    CAPTURE(int(kind));
    FrameDecoder d;
    d.allow_hello(true);
    CHECK_FALSE(d.feed(header(l.cap(kind) + 2, kind)).ok());
    FrameDecoder ok;
    ok.allow_hello(true);
    CHECK(ok.feed(header(l.cap(kind) + 1, kind)).ok());  // exactly at the cap (length counts the kind byte)
  }
  CHECK(l.cap(kHelloKind) <= 1024);
  CHECK(l.cap(3) <= 4096);
  CHECK(l.cap(5) <= 256);
  CHECK(l.cap(2) >= (4u << 20));  // a full block still fits a proposal
  const FrameLimits small = FrameLimits::for_chain(1000, 10000);
  CHECK(small.cap(1) < 4096);
  CHECK(small.cap(2) < (2u << 20));
}

TEST_CASE("a bad header after a good frame still yields the good frame, then fails") {
  Bytes stream = encode_frame(2, Bytes{4, 5});
  const Bytes bad = header(0, 2);
  stream.insert(stream.end(), bad.begin(), bad.end());
  FrameDecoder d;
  (void)d.feed(stream);
  auto f = d.next();
  REQUIRE(f.has_value());
  CHECK(f->payload == Bytes{4, 5});
  CHECK(d.failed());
  CHECK_FALSE(d.next().has_value());
}

TEST_CASE("hello frames are refused unless the connection is handshaking") {
  const Bytes hello = encode_frame(kHelloKind, Bytes{1, 2});
  FrameDecoder closed;
  CHECK_FALSE(closed.feed(hello).ok());
  FrameDecoder open;
  open.allow_hello(true);
  REQUIRE(open.feed(hello).ok());
  auto f = open.next();
  REQUIRE(f.has_value());
  CHECK(f->kind == kHelloKind);
}

TEST_CASE("random garbage either fails the decoder or waits for more bytes, with a bounded buffer") {
  sim::Rng rng(42);
  for (int trial = 0; trial < 500; ++trial) {
    FrameDecoder d;
    Bytes junk(1 + rng.uniform_u64(64));
    for (auto& b : junk) b = static_cast<std::uint8_t>(rng.uniform_u64(256));
    const bool ok = d.feed(junk).ok();
    while (d.next()) {
    }
    CHECK(d.buffered() <= junk.size());
    if (!ok) CHECK(d.failed());
  }
}

TEST_CASE("a decoded frame becomes the wire message the node decodes strictly") {
  auto w = to_wire(Frame{3, Bytes{9, 9}});
  CHECK(w->kind == MsgKind::vote);
  CHECK(w->payload() == Bytes{9, 9});
  CHECK_FALSE(decode_message(*w).ok());  // garbage payload: the node's strict decode rejects it
}

}  // namespace
}  // namespace mt::testnet

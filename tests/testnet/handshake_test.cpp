// The handshake refuses a peer on another chain id, another genesis, another protocol version or
// with an impossible index, both as a pure check and on real sockets: two transports that
// disagree exchange no message, while two that agree do; a broken frame closes that connection
// only, and the transport goes on accepting others.
#include <doctest/doctest.h>

#include <utility>
#include <boost/asio.hpp>

#include "core/crypto/hash.hpp"
#include "core/node/message_codec.hpp"
#include "testnet/frame_codec.hpp"
#include "testnet/transport.hpp"

#include <optional>

namespace mt::testnet {
namespace {

Hello hello(std::uint32_t index, std::string chain = "moderntensor-testnet", std::uint8_t genesis = 1) {
  Hello h;
  h.chain_id = std::move(chain);
  h.genesis_hash.data[0] = genesis;
  h.node_index = index;
  return h;
}

TEST_CASE("hello round-trips, and trailing bytes or a bad magic are refused") {
  const Hello h = hello(3);
  auto back = decode_hello(encode_hello(h));
  REQUIRE(back.ok());
  CHECK(back.value() == h);
  Bytes longer = encode_hello(h);
  longer.push_back(0);
  CHECK_FALSE(decode_hello(longer).ok());
  Bytes bad = encode_hello(h);
  bad[0] ^= 0xff;
  CHECK_FALSE(decode_hello(bad).ok());
  CHECK_FALSE(decode_hello(Bytes{}).ok());
}

TEST_CASE("check_hello refuses another chain, genesis, version, an out-of-range index and our own index") {
  const Hello ours = hello(0);
  CHECK(check_hello(ours, hello(1), 4).ok());
  CHECK_FALSE(check_hello(ours, hello(1, "other-chain"), 4).ok());
  CHECK_FALSE(check_hello(ours, hello(1, "moderntensor-testnet", 2), 4).ok());
  Hello v1 = hello(1);
  v1.version = 1;  // the unauthenticated protocol
  CHECK_FALSE(check_hello(ours, v1, 4).ok());
  CHECK_FALSE(check_hello(ours, hello(4), 4).ok());
  CHECK_FALSE(check_hello(ours, hello(0), 4).ok());
}

crypto::KeyPair node_key(std::uint32_t index) { return crypto::KeyPair::from_label("node-" + std::to_string(index)); }

NodeIdentity identity(std::uint32_t index, std::uint32_t count = 2) {
  NodeIdentity id{node_key(index), {}};
  for (std::uint32_t i = 0; i < count; ++i) id.keys.push_back(node_key(i).public_key());
  return id;
}

WirePtr status_message(std::uint64_t height) {
  StatusMsg s;
  s.height = height;
  return encode_message(Message{s});
}

// Two transports on one io_context, node 0 sending to node 1.
struct Pair {
  boost::asio::io_context io;
  std::vector<PeerAddress> table{PeerAddress{"127.0.0.1", 0}, PeerAddress{"127.0.0.1", 0}};
  std::unique_ptr<Transport> a, b;
  std::vector<WirePtr> received;

  Pair(const Hello& ha, const Hello& hb) {
    b = std::make_unique<Transport>(io, hb, identity(hb.node_index), table);
    REQUIRE(b->listen().ok());
    table[1].port = b->listen_port();
    a = std::make_unique<Transport>(io, ha, identity(ha.node_index), table);
    b->on_message([this](PeerId from, const WirePtr& m) {
      CHECK(from == 0);
      received.push_back(m);
    });
  }
  void run_for(int ms) { io.run_for(std::chrono::milliseconds(ms)); }
};

TEST_CASE("transports on the same chain deliver messages") {
  Pair p(hello(0), hello(1));
  p.a->send(1, status_message(5));
  p.a->send(1, status_message(6));
  p.run_for(300);
  REQUIRE(p.received.size() == 2);
  CHECK(p.received[0]->payload() == status_message(5)->payload());
  CHECK(p.a->connected_peers() == 1);
  CHECK(p.b->stats().handshakes_refused == 0);
}

TEST_CASE("a transport on another genesis is refused and delivers nothing") {
  Pair p(hello(0, "moderntensor-testnet", 9), hello(1));
  p.a->send(1, status_message(5));
  p.run_for(300);
  CHECK(p.received.empty());
  CHECK(p.b->stats().handshakes_refused >= 1);
  CHECK(p.a->connected_peers() == 0);
}

TEST_CASE("link rules drop messages to a blocked peer and delay others") {
  Pair p(hello(0), hello(1));
  LinkRules r;
  r.blocked_out.insert(1);
  p.a->set_rules(r);
  p.a->send(1, status_message(1));
  p.run_for(200);
  CHECK(p.received.empty());
  CHECK(p.a->stats().dropped_by_rules == 1);
  r.blocked_out.clear();
  r.delay_out[1] = 150 * kUsPerMs;
  p.a->set_rules(r);
  p.a->send(1, status_message(2));
  p.run_for(60);
  CHECK(p.received.empty());  // still held
  p.run_for(400);
  CHECK(p.received.size() == 1);
}

TEST_CASE("a garbage frame closes that connection only; the transport keeps accepting") {
  Pair p(hello(0), hello(1));
  using tcp = boost::asio::ip::tcp;
  tcp::socket raw(p.io);
  raw.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), p.table[1].port));
  Bytes bytes = encode_frame(kHelloKind, encode_hello(hello(0)));
  const Bytes junk{0xff, 0xff, 0xff, 0xff, 0x01, 1, 2, 3};
  bytes.insert(bytes.end(), junk.begin(), junk.end());
  boost::asio::write(raw, boost::asio::buffer(bytes));
  p.run_for(200);
  CHECK(p.b->stats().bad_frames == 1);
  CHECK(p.received.empty());
  // The closed connection reads EOF after the listener's hello.
  Bytes sink(4096);
  boost::system::error_code ec;
  raw.non_blocking(true);
  for (int i = 0; i < 10 && !ec; ++i) (void)raw.read_some(boost::asio::buffer(sink), ec);
  CHECK(ec == boost::asio::error::eof);
  // A proper peer still gets through.
  p.a->send(1, status_message(3));
  p.run_for(300);
  CHECK(p.received.size() == 1);
}

}  // namespace
}  // namespace mt::testnet

namespace mt::testnet {
namespace {

using tcp = boost::asio::ip::tcp;

// A raw client that dials p.b claiming `index` and, holding `key`, runs the handshake by hand,
// then sends `extra`. Returns the socket (closed by p.b if it refused).
std::unique_ptr<tcp::socket> raw_peer(Pair& p, std::uint32_t index, const Bytes& extra = {},
                                      std::optional<crypto::KeyPair> key = std::nullopt) {
  auto s = std::make_unique<tcp::socket>(p.io);
  s->connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), p.table[1].port));
  Hello ours = hello(index);
  ours.nonce = fresh_nonce();
  boost::asio::write(*s, boost::asio::buffer(encode_frame(kHelloKind, encode_hello(ours))));
  p.run_for(100);  // the listener answers into the socket buffer
  FrameDecoder d;
  d.allow_hello(true);
  std::array<std::uint8_t, 1024> buf{};
  boost::system::error_code ec;
  s->non_blocking(true);
  const std::size_t n = s->read_some(boost::asio::buffer(buf), ec);
  if (ec) return s;
  REQUIRE(d.feed(ByteView(buf.data(), n)).ok());
  auto frame = d.next();
  REQUIRE(frame.has_value());
  auto theirs = decode_hello(frame->payload);
  REQUIRE(theirs.ok());
  NodeIdentity id = identity(index);
  if (key) id.key = *key;
  Bytes out = encode_frame(kAuthKind, sign_hello_proof(id, HelloRole::dialer, ours, theirs.value().nonce, 1).view());
  out.insert(out.end(), extra.begin(), extra.end());
  s->non_blocking(false);
  boost::asio::write(*s, boost::asio::buffer(out));
  return s;
}

TEST_CASE("a process claiming a node index without its genesis key is refused") {
  Pair p(hello(0), hello(1));
  auto forged = raw_peer(p, 0, {}, crypto::KeyPair::from_label("mallory"));
  p.run_for(150);
  CHECK(p.b->stats().handshakes_refused == 1);
  CHECK(p.b->inbound_from(0) == 0);
  auto honest = raw_peer(p, 0);
  p.run_for(150);
  CHECK(p.b->inbound_from(0) == 1);
}

TEST_CASE("a listener's proof does not pass as a dialer's, nor over another nonce or chain") {
  const NodeIdentity id = identity(0);
  Hello h = hello(0);
  const Hash32 challenge = fresh_nonce();
  const Signature proof = sign_hello_proof(id, HelloRole::listener, h, challenge, 1);
  CHECK(verify_hello_proof(id, HelloRole::listener, h, challenge, 1, proof).ok());
  CHECK_FALSE(verify_hello_proof(id, HelloRole::dialer, h, challenge, 1, proof).ok());
  CHECK_FALSE(verify_hello_proof(id, HelloRole::listener, h, fresh_nonce(), 1, proof).ok());
  CHECK_FALSE(verify_hello_proof(id, HelloRole::listener, h, challenge, 0, proof).ok());
  h.chain_id = "other";
  CHECK_FALSE(verify_hello_proof(id, HelloRole::listener, h, challenge, 1, proof).ok());
}

TEST_CASE("a half-sent frame is closed at the frame deadline and a silent peer at the idle deadline") {
  Pair p(hello(0), hello(1));
  p.b->set_deadlines(300 * kUsPerMs, 1000 * kUsPerMs);
  // A header announcing a 200-byte status frame (over its cap) fails at once; a 100-byte one is
  // legal, and only its first 10 bytes ever come.
  const Bytes partial{101, 0, 0, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  auto slow = raw_peer(p, 0, partial);
  auto silent = raw_peer(p, 0);
  p.run_for(50);
  CHECK(p.b->inbound_connections() == 2);
  p.run_for(300);
  CHECK(p.b->inbound_connections() == 1);  // the half-sent frame's deadline passed
  p.run_for(900);
  CHECK(p.b->inbound_connections() == 0);  // then the idle one's
  CHECK(p.b->stats().timeouts == 2);
}

TEST_CASE("inbound connections are capped per claimed peer and before the hello") {
  Pair p(hello(0), hello(1));
  std::vector<std::unique_ptr<tcp::socket>> socks;
  for (int i = 0; i < 5; ++i) socks.push_back(raw_peer(p, 0));
  p.run_for(200);
  CHECK(p.b->inbound_from(0) == Transport::kMaxInboundPerPeer);
  CHECK(p.b->stats().inbound_refused == 5 - Transport::kMaxInboundPerPeer);
  // Connections that never say hello: at most kMaxHandshaking are held.
  for (std::size_t i = 0; i < Transport::kMaxHandshaking + 4; ++i) {
    auto s = std::make_unique<tcp::socket>(p.io);
    s->connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), p.table[1].port));
    socks.push_back(std::move(s));
  }
  p.run_for(200);
  CHECK(p.b->inbound_connections() == Transport::kMaxInboundPerPeer + Transport::kMaxHandshaking);
}

TEST_CASE("a peer penalized to the threshold is banned: closed, refused, dropped, then let back") {
  Pair p(hello(0), hello(1));
  p.b->set_ban_duration(700 * kUsPerMs);
  p.a->send(1, status_message(1));
  p.run_for(200);
  REQUIRE(p.received.size() == 1);
  for (int i = 0; i < 9; ++i) p.b->penalize(0, Transport::kInvalidMessageCost);
  CHECK_FALSE(p.b->banned(0));  // -90: still in
  CHECK(p.b->peer_scores().at(0) < -80);
  p.b->penalize(0, Transport::kInvalidMessageCost);
  p.b->penalize(0, Transport::kInvalidMessageCost);  // past -100 whatever it recovered meanwhile
  CHECK(p.b->banned(0));
  CHECK(p.b->stats().bans == 1);
  p.run_for(100);
  CHECK(p.b->inbound_from(0) == 0);  // its connection was closed
  p.a->send(1, status_message(2));
  p.run_for(300);  // a reconnects and is refused while banned
  CHECK(p.received.size() == 1);
  CHECK(p.b->stats().handshakes_refused >= 1);
  p.run_for(1500);  // the ban ends; a's backoff redials
  p.a->send(1, status_message(3));
  p.run_for(2500);
  CHECK_FALSE(p.b->banned(0));
  CHECK(p.received.size() >= 2);
}

TEST_CASE("an oversize hello (16 MiB announced) is refused on its header") {
  Pair p(hello(0), hello(1));
  tcp::socket s(p.io);
  s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), p.table[1].port));
  const Bytes h{0x00, 0x00, 0x00, 0x01, kHelloKind};  // length 16 MiB
  boost::asio::write(s, boost::asio::buffer(h));
  p.run_for(200);
  CHECK(p.b->stats().bad_frames == 1);
  CHECK(p.b->inbound_connections() == 0);
}

}  // namespace
}  // namespace mt::testnet

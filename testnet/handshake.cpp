#include "testnet/handshake.hpp"

#include "core/codec/codec.hpp"

namespace mt::testnet {

Bytes encode_hello(const Hello& hello) {
  codec::Writer w;
  w.u32(kHelloMagic);
  w.u16(hello.version);
  w.str(hello.chain_id);
  w.fixed(hello.genesis_hash);
  w.u32(hello.node_index);
  return w.take();
}

Result<Hello> decode_hello(ByteView payload) {
  codec::Reader r(payload);
  Hello h;
  if (r.u32() != kHelloMagic && r.ok()) return make_error("hello: bad magic");
  h.version = r.u16();
  h.chain_id = r.str();
  h.genesis_hash = r.fixed<32>();
  h.node_index = r.u32();
  if (auto st = r.finish(); !st.ok()) return make_error("hello: " + st.error().message);
  return h;
}

Status check_hello(const Hello& ours, const Hello& theirs, std::uint32_t peer_count) {
  if (theirs.version != ours.version) {
    return make_error("protocol version " + std::to_string(theirs.version) + ", expected " + std::to_string(ours.version));
  }
  if (theirs.chain_id != ours.chain_id) return make_error("chain id '" + theirs.chain_id + "', expected '" + ours.chain_id + "'");
  if (theirs.genesis_hash != ours.genesis_hash) {
    return make_error("genesis " + theirs.genesis_hash.short_hex() + ", expected " + ours.genesis_hash.short_hex());
  }
  if (theirs.node_index >= peer_count) return make_error("node index " + std::to_string(theirs.node_index) + " out of range");
  if (theirs.node_index == ours.node_index) return make_error("peer claims our own node index");
  return {};
}

}  // namespace mt::testnet

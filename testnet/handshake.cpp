#include "testnet/handshake.hpp"

#include <random>

#include <fmt/format.h>

#include "core/codec/codec.hpp"

namespace mt::testnet {

Bytes encode_hello(const Hello& hello) {
  codec::Writer w;
  w.u32(kHelloMagic);
  w.u16(hello.version);
  w.str(hello.chain_id);
  w.fixed(hello.genesis_hash);
  w.u32(hello.node_index);
  w.fixed(hello.nonce);
  w.fixed(hello.proof);
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
  h.nonce = r.fixed<32>();
  h.proof = r.fixed<64>();
  if (auto st = r.finish(); !st.ok()) return make_error("hello: " + st.error().message);
  return h;
}

Status check_hello(const Hello& ours, const Hello& theirs, std::uint32_t peer_count) {
  if (theirs.version != ours.version) {
    return make_error(fmt::format("protocol version {}, expected {}", theirs.version, ours.version));
  }
  if (theirs.chain_id != ours.chain_id) return make_error("chain id '" + theirs.chain_id + "', expected '" + ours.chain_id + "'");
  if (theirs.genesis_hash != ours.genesis_hash) {
    return make_error("genesis " + theirs.genesis_hash.short_hex() + ", expected " + ours.genesis_hash.short_hex());
  }
  if (theirs.node_index >= peer_count) return make_error(fmt::format("node index {} out of range", theirs.node_index));
  if (theirs.node_index == ours.node_index) return make_error("peer claims our own node index");
  return {};
}

Bytes hello_proof_message(HelloRole role, const Hello& signer, const Hash32& challenge, std::uint32_t verifier) {
  codec::Writer w;
  w.str("mtnode/hello/v2");
  w.u8(static_cast<std::uint8_t>(role));
  w.str(signer.chain_id);
  w.fixed(signer.genesis_hash);
  w.fixed(challenge);
  w.u32(signer.node_index);
  w.u32(verifier);
  return w.take();
}

Signature sign_hello_proof(const NodeIdentity& id, HelloRole role, const Hello& ours, const Hash32& challenge,
                           std::uint32_t verifier) {
  return id.key.sign(hello_proof_message(role, ours, challenge, verifier), crypto::Backend::real);
}

Status verify_hello_proof(const NodeIdentity& id, HelloRole role, const Hello& theirs, const Hash32& challenge,
                          std::uint32_t verifier, const Signature& proof) {
  if (theirs.node_index >= id.keys.size()) return make_error("no genesis key for the claimed index");
  const Bytes msg = hello_proof_message(role, theirs, challenge, verifier);
  if (!crypto::verify_uncached(id.keys[theirs.node_index], msg, proof, crypto::Backend::real)) {
    return make_error(fmt::format("node index {}: the proof does not verify under its genesis key", theirs.node_index));
  }
  return {};
}

Hash32 fresh_nonce() {
  static std::random_device rd;
  Hash32 n;
  for (std::size_t i = 0; i < n.data.size(); i += 4) {
    const std::uint32_t v = rd();
    for (std::size_t j = 0; j < 4; ++j) n.data[i + j] = static_cast<std::uint8_t>(v >> (8 * j));
  }
  return n;
}

}  // namespace mt::testnet

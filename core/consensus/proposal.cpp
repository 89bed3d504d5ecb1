#include "core/consensus/proposal.hpp"

#include <memory>
#include <fmt/format.h>

#include "core/crypto/hash.hpp"
#include "core/util/assert.hpp"

namespace mt {

namespace {
std::uint32_t pol_round_to_wire(std::int32_t pol_round) {
  return pol_round < 0 ? kNoPolRoundWire : static_cast<std::uint32_t>(pol_round);
}
}  // namespace

Hash32 Proposal::block_hash() const {
  MT_ASSERT(block != nullptr, "proposal without a block");
  return block->hash();
}

Hash32 Proposal::signing_hash(std::string_view chain_id) const {
  codec::Writer w(96);
  w.str(chain_id);
  w.u64(height);
  w.u32(round);
  w.u32(pol_round_to_wire(pol_round));
  w.fixed(block_hash());
  return crypto::tagged_hash("mt/proposal", w.data());
}

void Proposal::sign(const crypto::KeyPair& key, std::string_view chain_id, crypto::Backend backend) {
  MT_ASSERT(key.public_key() == proposer, "Proposal::sign with another validator's key");
  signature = key.sign(signing_hash(chain_id).view(), backend);
}

bool Proposal::signature_valid(std::string_view chain_id, crypto::Verifier& v) const {
  return block != nullptr && v.verify(proposer, signing_hash(chain_id).view(), signature);
}

void Proposal::encode(codec::Writer& w) const {
  MT_ASSERT(block != nullptr, "encoding a proposal without a block");
  MT_ASSERT(pol_round >= -1 && (pol_round < 0 || static_cast<std::uint32_t>(pol_round) < round),
            "proposal pol_round must be -1 or below round");
  w.u64(height);
  w.u32(round);
  w.u32(pol_round_to_wire(pol_round));
  w.fixed(proposer);
  w.fixed(signature);
  block->encode(w);
}

Proposal Proposal::decode(codec::Reader& r) {
  Proposal p;
  p.height = r.u64();
  p.round = r.u32();
  const std::uint32_t pol = r.u32();
  if (r.ok()) {
    if (pol == kNoPolRoundWire) {
      p.pol_round = -1;
    } else if (pol < p.round) {
      p.pol_round = static_cast<std::int32_t>(pol);
    } else {
      r.fail(fmt::format("proposal pol_round {} not below round {}", pol, p.round));
    }
  }
  p.proposer = r.fixed<32>();
  p.signature = r.fixed<64>();
  Block b = Block::decode(r);
  if (r.ok() && b.header.height != p.height) r.fail("proposal block height differs from the proposal's");
  p.block = std::make_shared<const Block>(std::move(b));
  return p;
}

Bytes Proposal::encode() const {
  codec::Writer w(512);
  encode(w);
  return w.take();
}

Result<Proposal> Proposal::decode(ByteView bytes) {
  return codec::decode_all<Proposal>(bytes, [](codec::Reader& r) { return Proposal::decode(r); }, "proposal");
}

bool Proposal::operator==(const Proposal& o) const {
  if (height != o.height || round != o.round || pol_round != o.pol_round || proposer != o.proposer ||
      signature != o.signature) {
    return false;
  }
  if (block == nullptr || o.block == nullptr) return block == o.block;
  return block == o.block || block->hash() == o.block->hash();
}

}  // namespace mt

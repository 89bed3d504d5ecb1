#include "core/consensus/consensus_record.hpp"

#include <map>
#include <memory>
#include <string>

#include "core/util/assert.hpp"

namespace mt {

namespace {
constexpr std::uint8_t kVersion = 1;
constexpr std::uint32_t kNoBlock = 0xFFFFFFFFu;
constexpr std::uint32_t kNoRound = 0xFFFFFFFFu;
constexpr std::size_t kMinVoteBytes = 1 + 8 + 4 + 32 + 32 + 64;

std::uint32_t round_to_wire(std::int32_t round) {
  return round < 0 ? kNoRound : static_cast<std::uint32_t>(round);
}

// Distinct blocks by hash, in first-reference order.
class BlockTable {
 public:
  std::uint32_t ref(const BlockPtr& b) {
    if (b == nullptr) return kNoBlock;
    const Hash32 h = b->hash();
    auto it = index_.find(h);
    if (it != index_.end()) return it->second;
    const auto i = static_cast<std::uint32_t>(blocks_.size());
    index_.emplace(h, i);
    blocks_.push_back(b);
    return i;
  }
  [[nodiscard]] const std::vector<BlockPtr>& blocks() const { return blocks_; }

 private:
  std::map<Hash32, std::uint32_t> index_;
  std::vector<BlockPtr> blocks_;
};

void encode_votes(codec::Writer& w, const std::vector<Vote>& votes) {
  w.list_len(votes.size());
  for (const Vote& v : votes) v.encode(w);
}

std::vector<Vote> decode_votes(codec::Reader& r) {
  const std::uint32_t n = r.list_len(ConsensusRecord::kMaxVotes, kMinVoteBytes);
  std::vector<Vote> out;
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) out.push_back(Vote::decode(r));
  return out;
}

std::int32_t decode_round(codec::Reader& r) {
  const std::uint32_t wire = r.u32();
  if (wire == kNoRound) return -1;
  if (wire > static_cast<std::uint32_t>(INT32_MAX)) {
    r.fail("consensus record: round out of range");
    return -1;
  }
  return static_cast<std::int32_t>(wire);
}

BlockPtr block_at(codec::Reader& r, const std::vector<BlockPtr>& blocks, std::uint32_t index) {
  if (index == kNoBlock) return nullptr;
  if (index >= blocks.size()) {
    r.fail("consensus record: block reference out of range");
    return nullptr;
  }
  return blocks[index];
}
}  // namespace

ConsensusRecord::Split ConsensusRecord::encode_split() const {
  MT_ASSERT((locked_round < 0) == (locked_value == nullptr), "record lock without a value (or the reverse)");
  MT_ASSERT((valid_round < 0) == (valid_value == nullptr), "record valid round without a value (or the reverse)");
  BlockTable table;
  const std::uint32_t locked = table.ref(locked_value);
  const std::uint32_t valid = table.ref(valid_value);
  std::vector<std::uint32_t> proposal_blocks;
  for (const Proposal& p : own_proposals) proposal_blocks.push_back(table.ref(p.block));
  codec::Writer w(512 + 160 * (polka.size() + own_votes.size()));
  w.u8(kVersion);
  signing.encode(w);
  w.list_len(table.blocks().size());
  w.u32(round_to_wire(locked_round));
  w.u32(locked);
  w.u32(round_to_wire(valid_round));
  w.u32(valid);
  encode_votes(w, polka);
  encode_votes(w, own_votes);
  w.list_len(own_proposals.size());
  for (std::size_t i = 0; i < own_proposals.size(); ++i) {
    const Proposal& p = own_proposals[i];
    w.u64(p.height);
    w.u32(p.round);
    w.u32(round_to_wire(p.pol_round));
    w.fixed(p.proposer);
    w.fixed(p.signature);
    w.u32(proposal_blocks[i]);
  }
  return Split{w.take(), table.blocks()};
}

void ConsensusRecord::encode(codec::Writer& w) const {
  const Split split = encode_split();
  w.raw(split.head);
  for (const BlockPtr& b : split.blocks) b->encode(w);
}

Bytes ConsensusRecord::encode() const {
  codec::Writer w(1024);
  encode(w);
  return w.take();
}

ConsensusRecord ConsensusRecord::decode(codec::Reader& r, const std::vector<BlockPtr>* given) {
  ConsensusRecord rec;
  if (r.u8() != kVersion && r.ok()) r.fail("consensus record: unknown version");
  rec.signing = SigningState::decode(r);
  const std::uint32_t nblocks = r.list_len(kMaxBlocks, 0);
  if (r.ok() && given != nullptr && given->size() != nblocks) r.fail("consensus record: wrong number of blocks");
  struct Ref {
    std::int32_t round;
    std::uint32_t block;
  };
  const Ref locked{decode_round(r), r.u32()};
  const Ref valid{decode_round(r), r.u32()};
  rec.polka = decode_votes(r);
  rec.own_votes = decode_votes(r);
  const std::uint32_t nproposals = r.list_len(kMaxBlocks);
  std::vector<std::uint32_t> proposal_blocks;
  for (std::uint32_t i = 0; i < nproposals && r.ok(); ++i) {
    Proposal p;
    p.height = r.u64();
    p.round = r.u32();
    p.pol_round = decode_round(r);
    p.proposer = r.fixed<32>();
    p.signature = r.fixed<64>();
    proposal_blocks.push_back(r.u32());
    rec.own_proposals.push_back(std::move(p));
  }
  std::vector<BlockPtr> inline_blocks;
  if (given == nullptr) {
    for (std::uint32_t i = 0; i < nblocks && r.ok(); ++i) {
      inline_blocks.push_back(std::make_shared<const Block>(Block::decode(r)));
    }
  }
  const std::vector<BlockPtr>& blocks = given != nullptr ? *given : inline_blocks;
  rec.locked_round = locked.round;
  rec.locked_value = block_at(r, blocks, locked.block);
  rec.valid_round = valid.round;
  rec.valid_value = block_at(r, blocks, valid.block);
  if (r.ok() && ((rec.locked_round < 0) != (rec.locked_value == nullptr) ||
                 (rec.valid_round < 0) != (rec.valid_value == nullptr))) {
    r.fail("consensus record: a round without its value (or the reverse)");
  }
  for (std::size_t i = 0; i < rec.own_proposals.size() && r.ok(); ++i) {
    Proposal& p = rec.own_proposals[i];
    p.block = block_at(r, blocks, proposal_blocks[i]);
    if (r.ok() && (p.block == nullptr || (p.pol_round >= 0 && static_cast<std::uint32_t>(p.pol_round) >= p.round))) {
      r.fail("consensus record: malformed proposal");
    }
  }
  return rec;
}

Result<ConsensusRecord> ConsensusRecord::decode(ByteView bytes) {
  return codec::decode_all<ConsensusRecord>(
      bytes, [](codec::Reader& r) { return ConsensusRecord::decode(r, nullptr); }, "consensus record");
}

Result<ConsensusRecord> ConsensusRecord::decode_split(ByteView head, const std::vector<BlockPtr>& blocks) {
  for (const BlockPtr& b : blocks) MT_ASSERT(b != nullptr, "decode_split with a null block");
  return codec::decode_all<ConsensusRecord>(
      head, [&](codec::Reader& r) { return ConsensusRecord::decode(r, &blocks); }, "consensus record");
}

}  // namespace mt

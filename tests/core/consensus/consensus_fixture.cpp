#include "consensus_fixture.hpp"

#include <algorithm>

namespace mt::test {

BlockPtr RecordingHost::propose_block(std::uint64_t height, std::uint32_t round) {
  ++blocks_built;
  return make_block(height, 1000 * height + 10 * round + blocks_built, chain_id);
}

bool RecordingHost::validate_block(const Block& block) {
  ++validate_calls;
  return std::find(invalid_blocks.begin(), invalid_blocks.end(), block.hash()) == invalid_blocks.end();
}

void RecordingHost::broadcast_proposal(const Proposal& p) {
  REQUIRE_FALSE(persisted.empty());
  const SigningState& s = persisted.back().signing;
  CHECK((s.height == p.height && s.round == p.round && s.step == ConsensusStep::propose &&
         s.block_hash == p.block_hash()));
  const auto& mine = persisted.back().own_proposals;
  CHECK(std::find(mine.begin(), mine.end(), p) != mine.end());
  proposals.push_back(p);
}

void RecordingHost::broadcast_vote(const Vote& v) {
  REQUIRE_FALSE(persisted.empty());
  const SigningState& s = persisted.back().signing;
  const auto& mine = persisted.back().own_votes;
  CHECK(std::find(mine.begin(), mine.end(), v) != mine.end());
  const auto step = v.type == VoteType::prevote ? ConsensusStep::prevote : ConsensusStep::precommit;
  CHECK((s.height == v.height && s.round == v.round && s.step == step && s.block_hash == v.block_hash));
  votes.push_back(v);
}

void RecordingHost::decide(std::uint64_t h, std::uint32_t r, BlockPtr block, const Commit& commit) {
  decisions.push_back({h, r, std::move(block), commit});
  if (on_decide) on_decide(decisions.back());
}

std::vector<Vote> RecordingHost::votes_of(VoteType type) const {
  std::vector<Vote> out;
  for (const auto& v : votes) {
    if (v.type == type) out.push_back(v);
  }
  return out;
}

const TimeoutCall* RecordingHost::last_timeout(ConsensusStep step) const {
  for (auto it = timeouts.rbegin(); it != timeouts.rend(); ++it) {
    if (it->step == step) return &*it;
  }
  return nullptr;
}

BlockPtr make_block(std::uint64_t height, std::uint64_t tag, const std::string& chain_id) {
  auto b = std::make_shared<Block>();
  b->header.chain_id = chain_id;
  b->header.height = height;
  b->header.timestamp_ms = tag;
  b->header.tx_root = b->compute_tx_root();
  b->header.evidence_root = b->compute_evidence_root();
  b->header.last_commit_hash = b->last_commit.hash();
  return b;
}

Validators::Validators(std::size_t n, std::vector<std::uint64_t> powers) {
  std::vector<std::pair<Address, std::uint64_t>> entries;
  for (std::size_t i = 0; i < n; ++i) {
    keys_.push_back(crypto::KeyPair::from_label("v" + std::to_string(i)));
    entries.emplace_back(keys_.back().public_key(), powers.empty() ? 1 : powers.at(i));
  }
  set_ = ValidatorSet::genesis(entries);
}

std::size_t Validators::index_of(const Address& a) const {
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i].public_key() == a) return i;
  }
  FAIL("address is not one of the test validators");
  return 0;
}

std::size_t Validators::proposer_index(std::uint32_t round) const { return index_of(set_.proposer_for_round(round)); }

Vote Validators::vote(std::size_t i, VoteType type, std::uint64_t h, std::uint32_t r, const Hash32& hash) const {
  Vote v;
  v.type = type;
  v.height = h;
  v.round = r;
  v.block_hash = hash;
  v.validator = addr(i);
  v.sign(key(i), Params{}.chain_id, crypto::Backend::real);
  return v;
}

Proposal Validators::proposal(std::size_t i, std::uint64_t h, std::uint32_t r, std::int32_t pol,
                              BlockPtr block) const {
  Proposal p;
  p.height = h;
  p.round = r;
  p.pol_round = pol;
  p.block = std::move(block);
  p.proposer = addr(i);
  p.sign(key(i), Params{}.chain_id, crypto::Backend::real);
  return p;
}

ConsensusConfig Validators::config(std::size_t i, Params params) const {
  ConsensusConfig c;
  c.params = std::move(params);
  if (i < keys_.size()) c.key = keys_[i];
  return c;
}

SingleNode::SingleNode(std::size_t me_index, Params params, ConsensusRecord restored, std::size_t n)
    : vals(n), me(me_index) {
  node = std::make_unique<Consensus>(vals.config(me, std::move(params)), host, verifier, restored);
}

std::vector<std::size_t> SingleNode::others() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < vals.size(); ++i) {
    if (i != me) out.push_back(i);
  }
  return out;
}

}  // namespace mt::test

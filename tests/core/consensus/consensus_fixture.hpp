// Shared scaffolding for the consensus tests: real Ed25519 validators, a recording host, and
// helpers that sign votes and proposals on behalf of the other validators.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/consensus/consensus.hpp"
#include "core/crypto/keys.hpp"

namespace mt::test {

struct TimeoutCall {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  ConsensusStep step = ConsensusStep::propose;
  TimeUs delay = 0;
};

struct Decision {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  BlockPtr block;
  Commit commit;
};

// Records every output; checks that each vote or proposal was persisted (signing state and the
// message itself in the record) before its release.
class RecordingHost : public ConsensusHost {
 public:
  TimeUs now_us = 0;
  std::string chain_id = "moderntensor-testnet";
  std::vector<Proposal> proposals;
  std::vector<Vote> votes;
  std::vector<TimeoutCall> timeouts;
  std::vector<Decision> decisions;
  std::vector<DuplicateVoteEvidence> evidence;
  std::vector<ConsensusRecord> persisted;
  std::vector<Hash32> invalid_blocks;      // validate_block says no to these
  std::uint64_t validate_calls = 0;
  std::function<void(const Decision&)> on_decide;  // optional: e.g. start the next height
  std::uint64_t blocks_built = 0;

  [[nodiscard]] TimeUs now() const override { return now_us; }
  BlockPtr propose_block(std::uint64_t height, std::uint32_t round) override;
  bool validate_block(const Block& block) override;
  void persist_consensus_record(const ConsensusRecord& record) override { persisted.push_back(record); }
  void broadcast_proposal(const Proposal& p) override;
  void broadcast_vote(const Vote& v) override;
  void schedule_timeout(std::uint64_t h, std::uint32_t r, ConsensusStep s, TimeUs delay) override {
    timeouts.push_back({h, r, s, delay});
  }
  void decide(std::uint64_t h, std::uint32_t r, BlockPtr block, const Commit& commit) override;
  void evidence_found(const DuplicateVoteEvidence& e) override { evidence.push_back(e); }

  // Votes this host released of a type, in order.
  [[nodiscard]] std::vector<Vote> votes_of(VoteType type) const;
  [[nodiscard]] const TimeoutCall* last_timeout(ConsensusStep step) const;
};

// A record holding only a signing state (what a restart restores when nothing else was kept).
inline ConsensusRecord record_of(const SigningState& s) {
  ConsensusRecord r;
  r.signing = s;
  return r;
}

// A block at `height` that differs by `tag` (its timestamp), for chain `chain_id`.
BlockPtr make_block(std::uint64_t height, std::uint64_t tag, const std::string& chain_id = "moderntensor-testnet");

// N validators with real keys named v0..v{N-1} and the given powers (all 1 by default).
class Validators {
 public:
  explicit Validators(std::size_t n, std::vector<std::uint64_t> powers = {});

  [[nodiscard]] const crypto::KeyPair& key(std::size_t i) const { return keys_.at(i); }
  [[nodiscard]] const Address& addr(std::size_t i) const { return keys_.at(i).public_key(); }
  [[nodiscard]] const ValidatorSet& set() const { return set_; }
  [[nodiscard]] std::size_t size() const { return keys_.size(); }
  // Index of the proposer of (this set's height, round).
  [[nodiscard]] std::size_t proposer_index(std::uint32_t round) const;
  [[nodiscard]] std::size_t index_of(const Address& a) const;

  [[nodiscard]] Vote vote(std::size_t i, VoteType type, std::uint64_t h, std::uint32_t r, const Hash32& hash) const;
  [[nodiscard]] Proposal proposal(std::size_t i, std::uint64_t h, std::uint32_t r, std::int32_t pol,
                                  BlockPtr block) const;

  // A consensus instance for validator i (or a non-validator follower when i >= size()).
  [[nodiscard]] ConsensusConfig config(std::size_t i, Params params = {}) const;

 private:
  std::vector<crypto::KeyPair> keys_;
  ValidatorSet set_;
};

// One consensus instance (validator `me` of `vals`) driven by hand, at height `height`.
struct SingleNode {
  Validators vals;
  std::size_t me;
  RecordingHost host;
  crypto::Verifier verifier;
  std::unique_ptr<Consensus> node;
  std::uint64_t height = 1;

  explicit SingleNode(std::size_t me_index, Params params = {}, ConsensusRecord restored = {}, std::size_t n = 4);
  void start() { node->start_height(height, vals.set()); }
  // The validators other than `me`, in index order.
  [[nodiscard]] std::vector<std::size_t> others() const;
  InputResult prevote(std::size_t i, std::uint32_t r, const Hash32& hash) {
    return node->on_vote(vals.vote(i, VoteType::prevote, height, r, hash));
  }
  InputResult precommit(std::size_t i, std::uint32_t r, const Hash32& hash) {
    return node->on_vote(vals.vote(i, VoteType::precommit, height, r, hash));
  }
  // A signed proposal from the rightful proposer of round r.
  InputResult propose(std::uint32_t r, std::int32_t pol, BlockPtr block) {
    return node->on_proposal(vals.proposal(vals.proposer_index(r), height, r, pol, std::move(block)));
  }
};

}  // namespace mt::test

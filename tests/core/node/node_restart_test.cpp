// A node restarted from its Store resumes the height it was deciding where it had signed (round,
// lock, its own votes) and sends those votes again at once; a node whose stored consensus record
// cannot be read follows the chain without signing anything; a proposal stamped at the end of
// time is refused and the chain goes on; a message consensus cannot keep yet is not remembered
// as seen.
#include <doctest/doctest.h>

#include <limits>

#include "core/node/message_codec.hpp"
#include "core/state/transition.hpp"
#include "tests/core/node/node_harness.hpp"

using namespace mt;
using namespace mt::test;

namespace {

constexpr TimeUs kLongDeadline = sec(600);  // of simulated time, from the call

std::size_t votes_cast(NodeHarness& h, PeerId id) {
  std::size_t n = 0;
  for (const auto& e : h.ctx(id).events) n += std::holds_alternative<VoteCast>(e) ? 1u : 0u;
  return n;
}

}  // namespace

TEST_CASE("a validator restarted after its precommit resumes its round locked and re-sends its votes") {
  NodeHarness h({});
  h.start_all();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= 2; }, kLongDeadline));
  // Stop validator 1 right after it locked (and so precommitted) at the height it is deciding.
  REQUIRE(h.run_until(
      [&] {
        const Consensus* c = h.node(1).consensus();
        return c->locked_round() >= 0 && !c->decided() && c->step() == ConsensusStep::precommit;
      },
      kLongDeadline));
  const Consensus& before = *h.node(1).consensus();
  const std::uint64_t height = before.height();
  const std::uint32_t round = before.round();
  const Hash32 locked = before.locked_value()->hash();
  h.crash(1);
  h.restart(1);
  const Consensus& after = *h.node(1).consensus();
  CHECK(after.height() == height);
  CHECK(after.round() == round);
  CHECK(after.step() == ConsensusStep::precommit);
  REQUIRE(after.locked_value() != nullptr);
  CHECK(after.locked_value()->hash() == locked);
  CHECK(after.votes(round, VoteType::precommit)->vote_of(*h.node(1).address()) != nullptr);
  CHECK(h.node(1).stats().retransmitted >= 2);  // its prevote and precommit, sent again at once
  CHECK(after.stats().signing_refused == 0);
  REQUIRE(h.run_until([&] { return h.min_live_height() >= height + 3; }, kLongDeadline));
  for (PeerId i = 1; i < 4; ++i) CHECK(h.committed(i).at(height) == h.committed(0).at(height));
}

TEST_CASE("a validator whose stored consensus record does not decode follows the chain and signs nothing") {
  NodeHarness h({});
  h.start_all();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= 2; }, kLongDeadline));
  h.crash(2);
  REQUIRE(h.ctx(2).storage().write_consensus_record(Bytes{0x01, 0x02, 0x03}, {}, nullptr).ok());  // checksummed garbage
  const std::size_t cast = votes_cast(h, 2);
  h.restart(2);
  CHECK(h.node(2).signing_disabled());
  const std::uint64_t start = h.node(0).height();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= start + 4; }, kLongDeadline));  // 3 of 4 carry it
  CHECK(votes_cast(h, 2) == cast);
  CHECK(h.committed(2).at(start + 3) == h.committed(0).at(start + 3));
}

TEST_CASE("a proposal stamped 2^64-1 gets nil prevotes and the chain keeps finalizing") {
  // The proposer of the next height is down; in its place a forged-but-signed proposal of it
  // reaches everyone, a block valid in every way but its timestamp (the largest there is).
  NodeHarness h({});
  h.start_all();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= 3; }, kLongDeadline));
  REQUIRE(h.run_until([&] { return h.node(0).consensus()->height() == h.node(0).height() + 1; }, kLongDeadline));
  const std::uint64_t height = h.node(0).height() + 1;
  const state::StatePtr parent = h.node(0).state();
  const Address proposer = parent->validator_set().proposer_for_round(0);
  PeerId byz = 0;
  for (PeerId i = 0; i < 4; ++i) {
    if (h.node(i).address() == proposer) byz = i;
  }
  if (h.node(byz).height() + 1 == height && h.alive(byz)) h.crash(byz);
  BlockHeader tmpl;
  tmpl.chain_id = parent->params().chain_id;
  tmpl.height = height;
  tmpl.parent_hash = parent->last_block_hash();
  tmpl.timestamp_ms = std::numeric_limits<std::uint64_t>::max();
  tmpl.proposer = proposer;
  auto commit_bytes = h.ctx(0).storage().commit_at(height - 1);
  REQUIRE((commit_bytes.ok() && commit_bytes.value().has_value()));
  auto commit = codec::decode_all<Commit>(*commit_bytes.value(), [](codec::Reader& r) { return Commit::decode(r); },
                                          "commit");
  REQUIRE(commit.ok());
  auto built = state::build_block(parent, tmpl, {}, {}, commit.value(), h.verifier());
  REQUIRE(built.ok());
  Proposal p;
  p.height = height;
  p.round = 0;
  p.block = built.value().block;
  p.proposer = proposer;
  p.sign(h.validator_key(byz), tmpl.chain_id, crypto::Backend::real);
  for (PeerId i = 0; i < 4; ++i) {
    if (i != byz) h.inject(byz, i, encode_message(Message(p)));
  }
  h.restart(byz);
  REQUIRE(h.run_until([&] { return h.min_live_height() >= height + 3; }, kLongDeadline));
  for (PeerId i = 0; i < 4; ++i) {
    CHECK(h.committed(i).at(height) != p.block->hash());
    CHECK(h.node(i).state()->last_block_time_ms() < std::numeric_limits<std::uint64_t>::max());
  }
}

TEST_CASE("a next-height vote consensus could not keep is neither relayed nor remembered as seen") {
  for (bool memoise : {true, false}) {
    HarnessOptions options;
    options.memoise_decode = memoise;
    NodeHarness h(options);
    h.start_all();
    REQUIRE(h.run_until([&] { return h.min_live_height() >= 2; }, kLongDeadline));
    const std::uint64_t next = h.node(1).consensus()->height() + 1;
    auto vote = [&](std::uint32_t round) {
      Vote v;
      v.type = VoteType::precommit;
      v.height = next;
      v.round = round;
      v.block_hash.data[0] = 9;
      v.validator = h.validator_key(3).public_key();
      v.sign(h.validator_key(3), "node-test", crypto::Backend::real);
      return encode_message(Message(v));
    };
    const NodeStats before = h.node(1).stats();
    for (std::uint32_t r = 0; r < Consensus::kMaxNextHeightVotesPerSender; ++r) h.inject(0, 1, vote(r));
    CHECK(h.node(1).stats().messages_relayed == before.messages_relayed + Consensus::kMaxNextHeightVotesPerSender);
    const WirePtr extra = vote(40);
    h.inject(0, 1, extra);
    h.inject(0, 1, extra);  // the same object again
    h.inject(2, 1, vote(40));  // and the same bytes in another object
    const NodeStats after = h.node(1).stats();
    CHECK(after.messages_relayed == before.messages_relayed + Consensus::kMaxNextHeightVotesPerSender);
    CHECK(after.messages_duplicate == before.messages_duplicate);
    CHECK(after.messages_rejected == before.messages_rejected);
    CHECK(h.node(1).consensus()->stats().next_height_dropped == 3);
    REQUIRE(h.run_until([&] { return h.min_live_height() >= next + 2; }, kLongDeadline));
  }
}

TEST_CASE("a vote for a height beyond the next is neither relayed nor remembered as seen, so it counts later") {
  // Explore seed 171 (issue #18): a validator syncing two heights behind dropped the others'
  // prevotes of the live height as stale but kept them as seen; once there, the peers' re-sends
  // were duplicates to it and it never saw the quorum it needed to move on.
  for (bool memoise : {true, false}) {
    HarnessOptions options;
    options.memoise_decode = memoise;
    NodeHarness h(options);
    h.start_all();
    REQUIRE(h.run_until([&] { return h.min_live_height() >= 2; }, kLongDeadline));
    const std::uint64_t later = h.node(1).consensus()->height() + 2;
    Vote v;
    v.type = VoteType::prevote;
    v.height = later;
    v.block_hash.data[0] = 9;
    v.validator = h.validator_key(3).public_key();
    v.sign(h.validator_key(3), "node-test", crypto::Backend::real);
    const NodeStats before = h.node(1).stats();
    const std::uint64_t stale_before = h.node(1).consensus()->stats().messages_stale;
    const WirePtr wire = encode_message(Message(v));
    h.inject(0, 1, wire);
    h.inject(0, 1, wire);  // the same object again
    h.inject(2, 1, encode_message(Message(v)));  // and the same bytes in another object
    const NodeStats after = h.node(1).stats();
    CHECK(after.messages_relayed == before.messages_relayed);
    CHECK(after.messages_duplicate == before.messages_duplicate);
    CHECK(after.messages_rejected == before.messages_rejected);
    CHECK(h.node(1).consensus()->stats().messages_stale == stale_before + 3);  // each copy reached consensus
    REQUIRE(h.run_until([&] { return h.min_live_height() >= later + 1; }, kLongDeadline));
  }
}

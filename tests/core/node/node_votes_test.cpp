// Under gossipsub a node deduplicates votes by what they are, in the vote set (node_votes.cpp): a
// vote new to the set is relayed once and a copy of it (another object, same vote) is not; a second,
// different vote of one validator becomes evidence and is relayed once; votes of old heights are
// dropped without being counted or remembered; and four validators still agree on every block.
#include <doctest/doctest.h>

#include "core/node/message_codec.hpp"
#include "tests/core/node/node_harness.hpp"

using namespace mt;
using namespace mt::test;

namespace {

constexpr TimeUs kLongDeadline = sec(600);  // of simulated time, from the call

HarnessOptions gossipsub_options() {
  HarnessOptions o;
  o.gossip = GossipMode::gossipsub;
  return o;
}

// A prevote of validator `signer` at node 0's open height for `round`, for block byte `b`.
WirePtr prevote(NodeHarness& h, std::size_t signer, std::uint32_t round, std::uint8_t b, std::uint64_t height) {
  const auto& key = h.validator_key(signer);
  Vote v;
  v.type = VoteType::prevote;
  v.height = height;
  v.round = round;
  v.block_hash.data[0] = b;
  v.validator = key.public_key();
  v.sign(key, "node-test", crypto::Backend::real);
  return encode_message(Message(v));  // a new object each call: copies share no memo
}

std::uint64_t vote_stat(const std::array<std::uint64_t, kMsgKindMax + 1>& a) {
  return a[static_cast<std::size_t>(MsgKind::vote)];
}

}  // namespace

TEST_CASE("gossipsub: four validators agree for 10 heights with votes deduplicated by the vote set") {
  NodeHarness h(gossipsub_options());
  h.start_all();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= 10; }, kLongDeadline));
  const auto ref = h.committed(0);
  for (PeerId i = 1; i < h.size(); ++i) {
    for (const auto& [height, hash] : h.committed(i)) {
      if (ref.contains(height)) CHECK(ref.at(height) == hash);
    }
    // Every vote a node counted reached it at least once, and duplicates were recognised.
    const NodeStats& s = h.node(i).stats();
    CHECK(vote_stat(s.gossip_unique) > 0);
    CHECK(vote_stat(s.gossip_received) > vote_stat(s.gossip_unique));
  }
}

TEST_CASE("gossipsub: a vote new to the vote set is relayed once; a copy of it is a duplicate") {
  NodeHarness h(gossipsub_options());
  h.start_all();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= 2; }, kLongDeadline));
  Node& n = h.node(0);
  const std::uint64_t height = n.consensus()->height();
  const std::uint32_t ahead = n.consensus()->round() + 1;  // a round validator 3 has not voted in
  const NodeStats before = n.stats();
  h.inject(3, 0, prevote(h, 3, ahead, 7, height));
  CHECK(n.stats().messages_relayed == before.messages_relayed + 1);
  CHECK(vote_stat(n.stats().gossip_unique) == vote_stat(before.gossip_unique) + 1);
  // The same vote as another object, from another peer: the vote set knows it.
  h.inject(2, 0, prevote(h, 3, ahead, 7, height));
  CHECK(n.stats().messages_relayed == before.messages_relayed + 1);
  CHECK(n.stats().messages_duplicate == before.messages_duplicate + 1);
  CHECK(vote_stat(n.stats().gossip_unique) == vote_stat(before.gossip_unique) + 1);
  CHECK(vote_stat(n.stats().gossip_received) == vote_stat(before.gossip_received) + 2);
}

TEST_CASE("gossipsub: a second, different vote of one validator becomes evidence and is relayed once") {
  NodeHarness h(gossipsub_options());
  h.start_all();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= 2; }, kLongDeadline));
  Node& n = h.node(0);
  const std::uint64_t height = n.consensus()->height();
  const std::uint32_t ahead = n.consensus()->round() + 1;
  const std::uint64_t relayed = n.stats().messages_relayed;
  h.inject(3, 0, prevote(h, 3, ahead, 1, height));
  h.inject(3, 0, prevote(h, 3, ahead, 2, height));  // the equivocation: evidence, relayed
  CHECK(n.evidence_pool().size() == 1);
  CHECK(n.stats().messages_relayed == relayed + 2);
  h.inject(2, 0, prevote(h, 3, ahead, 2, height));  // the same equivocating vote again: not relayed
  CHECK(n.stats().messages_relayed == relayed + 2);
  CHECK(n.evidence_pool().size() == 1);
  // The evidence reaches the others, who see the equivocation themselves or by the evidence.
  const auto& key = h.validator_key(3);
  auto tombstoned = [&](PeerId i) {
    auto v = h.node(i).state()->validator(key.public_key());
    return v.has_value() && v->tombstoned;
  };
  REQUIRE(h.run_until([&] { return tombstoned(0) && tombstoned(1) && tombstoned(2); }, kLongDeadline));
}

TEST_CASE("gossipsub: a vote of an old height is dropped, neither counted nor relayed nor remembered") {
  NodeHarness h(gossipsub_options());
  h.start_all();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= 3; }, kLongDeadline));
  Node& n = h.node(0);
  const std::uint64_t old_height = n.consensus()->height() - 2;
  const NodeStats before = n.stats();
  for (int copy = 0; copy < 3; ++copy) h.inject(3, 0, prevote(h, 3, 5, 9, old_height));
  CHECK(n.stats().messages_relayed == before.messages_relayed);
  CHECK(n.stats().messages_rejected == before.messages_rejected);
  CHECK(vote_stat(n.stats().gossip_received) == vote_stat(before.gossip_received));
  CHECK(vote_stat(n.stats().gossip_unique) == vote_stat(before.gossip_unique));
}

TEST_CASE("flood keeps the id path: an old height's vote counts once as unique, its copies as duplicates") {
  NodeHarness h({});
  h.start_all();
  REQUIRE(h.run_until([&] { return h.min_live_height() >= 3; }, kLongDeadline));
  Node& n = h.node(0);
  const std::uint64_t old_height = n.consensus()->height() - 2;
  const NodeStats before = n.stats();
  for (int copy = 0; copy < 3; ++copy) h.inject(3, 0, prevote(h, 3, 5, 9, old_height));
  CHECK(vote_stat(n.stats().gossip_received) == vote_stat(before.gossip_received) + 3);
  CHECK(vote_stat(n.stats().gossip_unique) == vote_stat(before.gossip_unique) + 1);
  CHECK(n.stats().messages_relayed == before.messages_relayed);
}

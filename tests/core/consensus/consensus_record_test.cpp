// The consensus record round-trips through its encoding with each block stored once, and
// malformed bytes (a bad block reference, a round without its value, trailing bytes) are refused.
#include <doctest/doctest.h>

#include "consensus_fixture.hpp"

using namespace mt;
using namespace mt::test;

namespace {

ConsensusRecord sample(const Validators& vals, const BlockPtr& x) {
  ConsensusRecord rec;
  rec.signing = SigningState{5, 2, ConsensusStep::precommit, x->hash()};
  rec.locked_round = 2;
  rec.locked_value = x;
  rec.valid_round = 2;
  rec.valid_value = x;
  for (std::size_t i = 0; i < 3; ++i) rec.polka.push_back(vals.vote(i, VoteType::prevote, 5, 2, x->hash()));
  rec.own_votes = {vals.vote(0, VoteType::prevote, 5, 2, x->hash()), vals.vote(0, VoteType::precommit, 5, 2, x->hash())};
  rec.own_proposals = {vals.proposal(0, 5, 2, 1, x)};
  return rec;
}

}  // namespace

TEST_CASE("a consensus record round-trips and stores a block referred to three times once") {
  Validators vals(4);
  const BlockPtr x = make_block(5, 7);
  const ConsensusRecord rec = sample(vals, x);
  const Bytes bytes = rec.encode();
  CHECK(bytes.size() < 2 * x->encode().size() + 1024);  // one copy of x, not three
  auto back = ConsensusRecord::decode(bytes);
  REQUIRE(back.ok());
  const ConsensusRecord& r = back.value();
  CHECK(r.signing == rec.signing);
  CHECK(r.locked_round == 2);
  CHECK(r.locked_value->hash() == x->hash());
  CHECK(r.valid_value->hash() == x->hash());
  CHECK(r.polka == rec.polka);
  CHECK(r.own_votes == rec.own_votes);
  REQUIRE(r.own_proposals.size() == 1);
  CHECK(r.own_proposals[0] == rec.own_proposals[0]);
  CHECK(r.encode() == bytes);

  // Split for storage: the head and the one distinct block, decoded back with the block given.
  const ConsensusRecord::Split split = rec.encode_split();
  REQUIRE(split.blocks.size() == 1);
  CHECK(split.blocks[0]->hash() == x->hash());
  auto joined = ConsensusRecord::decode_split(split.head, split.blocks);
  REQUIRE(joined.ok());
  CHECK(joined.value().encode() == bytes);
  CHECK_FALSE(ConsensusRecord::decode_split(split.head, {}).ok());
  CHECK_FALSE(ConsensusRecord::decode_split(split.head, {x, x}).ok());

  ConsensusRecord empty;
  auto none = ConsensusRecord::decode(empty.encode());
  REQUIRE(none.ok());
  CHECK(none.value().locked_value == nullptr);
  CHECK(none.value().valid_round == -1);
}

TEST_CASE("a malformed consensus record is refused, never half-read") {
  Validators vals(4);
  const BlockPtr x = make_block(5, 7);
  Bytes bytes = sample(vals, x).encode();
  Bytes trailing = bytes;
  trailing.push_back(0);
  CHECK_FALSE(ConsensusRecord::decode(trailing).ok());
  CHECK_FALSE(ConsensusRecord::decode(ByteView(bytes.data(), bytes.size() / 2)).ok());
  Bytes version = bytes;
  version[0] = 9;
  CHECK_FALSE(ConsensusRecord::decode(version).ok());
  // The locked round is the u32 after the version, signing state and the block count: point the
  // locked value at block 5 of 1.
  codec::Writer head;
  head.u8(1);
  sample(vals, x).signing.encode(head);
  head.list_len(1);
  const std::size_t locked_ref = head.data().size() + 4;
  Bytes bad_ref = bytes;
  bad_ref[locked_ref] = 5;
  CHECK_FALSE(ConsensusRecord::decode(bad_ref).ok());
  Bytes no_value = bytes;  // a locked round without its block
  for (std::size_t i = 0; i < 4; ++i) no_value[locked_ref + i] = 0xFF;
  CHECK_FALSE(ConsensusRecord::decode(no_value).ok());
}

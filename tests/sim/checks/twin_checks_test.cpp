// A twinned key (one key on two honest nodes) counts as byzantine stake: honest_signs_once lets it
// sign two values at one slot, honest_never_slashed lets it be slashed, and only_double_signers_slashed
// accepts a slash whose two votes were cast one by each twin, but still fires on a vote neither cast.
#include <doctest/doctest.h>

#include <memory>

#include "sim/checks/honest_signs_once.hpp"
#include "sim/checks/only_double_signers_slashed.hpp"
#include "sim/checks/slashing_checks.hpp"
#include "tests/sim/checks/check_events.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::test;

namespace {
const char* kChain = "test";

// v[0..2] and v[3], the twin of v[1]: one address on two nodes.
RunView twin_view() {
  RunView view = make_view(4);
  view.nodes[3].name = "v_twin[1]";
  view.nodes[3].address = view.nodes[1].address;
  view.nodes[1].twinned = view.nodes[3].twinned = true;
  return view;
}

Vote signed_vote(const std::string& label, const std::string& block) {
  Vote v;
  v.type = VoteType::prevote;
  v.height = 5;
  v.block_hash = h(block);
  auto key = crypto::KeyPair::from_label(label);
  v.validator = key.public_key();
  v.sign(key, kChain, crypto::Backend::real);
  return v;
}

Event block_with(std::uint64_t height, const Vote& a, const Vote& b) {
  auto blk = std::make_shared<Block>();
  blk->header.height = height;
  blk->evidence.push_back(*DuplicateVoteEvidence::from_votes(a, b));
  BlockCommitted c;
  c.height = height;
  c.block_hash = blk->hash();
  c.block = blk;
  return c;
}
}  // namespace

TEST_CASE("twins: the twinned key may sign twice and be slashed; an untwinned honest key may not") {
  const RunView view = twin_view();
  HonestSignsOnce signs(view);
  signs.on_event(1, 100, VoteCast{VoteType::prevote, 5, 0, h("X")});
  signs.on_event(3, 100, VoteCast{VoteType::prevote, 5, 0, h("Y")});  // the twin: another value, same slot
  signs.on_event(3, 200, VoteCast{VoteType::prevote, 5, 0, h("Z")});
  CHECK_FALSE(signs.failed());
  signs.on_event(2, 100, VoteCast{VoteType::prevote, 5, 0, h("X")});
  signs.on_event(2, 200, VoteCast{VoteType::prevote, 5, 0, h("Y")});
  CHECK(signs.failed());

  HonestNeverSlashed slashed(view);
  slashed.on_event(0, 300, SlashApplied{view.nodes[1].address, 6, true, 10});
  CHECK_FALSE(slashed.failed());
  slashed.on_event(0, 300, SlashApplied{view.nodes[2].address, 6, true, 10});
  CHECK(slashed.failed());
}

TEST_CASE("twins: a slash of the twinned key rests on votes its two nodes cast, and only on those") {
  const RunView view = twin_view();
  OnlyDoubleSignersSlashed check(view, kChain, crypto::Backend::real);
  check.on_event(1, 10, VoteCast{VoteType::prevote, 5, 0, h("X")});
  check.on_event(3, 10, VoteCast{VoteType::prevote, 5, 0, h("Y")});
  check.on_event(0, 20, block_with(8, signed_vote("v[1]", "X"), signed_vote("v[1]", "Y")));
  CHECK_FALSE(check.failed());
  check.on_event(0, 30, block_with(9, signed_vote("v[1]", "X"), signed_vote("v[1]", "W")));  // W: nobody cast it
  REQUIRE(check.failed());
  CHECK(check.violation()->detail.find("never cast") != std::string::npos);
}

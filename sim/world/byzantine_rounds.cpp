// The byzantine behaviour that pulls rounds forward: with each own vote and each proposal it sends
// on, a validly signed nil prevote for a round far ahead of that message's round, at its height.
// One validator's vote in a higher round proves nothing (line 55 skips only on more than 1/3 of
// the power), so honest nodes buffer it and carry on; a node that skips on less follows it into a
// new round before the votes of the round it left can gather, every time a proposal goes round.
#include "core/consensus/consensus.hpp"
#include "sim/world/byzantine_context.hpp"

namespace mt::sim {

namespace {
// Half the rounds a node buffers beyond its own: far enough ahead that honest validators do not
// reach the round by timeouts in a run, near enough that a node one round behind still keeps it.
constexpr std::uint32_t kFutureRoundsAhead = Consensus::kMaxRoundsAhead / 2;
static_assert(kFutureRoundsAhead > 1 && kFutureRoundsAhead < Consensus::kMaxRoundsAhead);
}  // namespace

void ByzantineContext::vote_far_ahead(std::uint64_t height, std::uint32_t round) {
  if (round > Consensus::kMaxRound - kFutureRoundsAhead) return;
  Vote ahead;
  ahead.type = VoteType::prevote;
  ahead.height = height;
  ahead.round = round + kFutureRoundsAhead;
  ahead.block_hash = Hash32{};  // nil
  ++stats_.future_votes_sent;
  took("vote_far_ahead", ahead.height, ahead.round);
  raw_gossip(sign_vote(std::move(ahead)), std::nullopt);
}

}  // namespace mt::sim

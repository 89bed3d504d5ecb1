#include "core/consensus/signing_state.hpp"

#include <tuple>

namespace mt {

std::string_view consensus_step_name(ConsensusStep step) {
  switch (step) {
    case ConsensusStep::propose: return "propose";
    case ConsensusStep::prevote: return "prevote";
    case ConsensusStep::precommit: return "precommit";
    case ConsensusStep::commit: return "commit";
  }
  return "unknown";
}

bool SigningState::allows(const SigningState& next) const {
  const auto mine = std::make_tuple(height, round, static_cast<std::uint8_t>(step));
  const auto theirs = std::make_tuple(next.height, next.round, static_cast<std::uint8_t>(next.step));
  if (height == 0) return true;  // nothing signed yet
  if (theirs > mine) return true;
  return theirs == mine && next.block_hash == block_hash;
}

void SigningState::encode(codec::Writer& w) const {
  w.u64(height);
  w.u32(round);
  w.u8(static_cast<std::uint8_t>(step));
  w.fixed(block_hash);
}

SigningState SigningState::decode(codec::Reader& r) {
  SigningState s;
  s.height = r.u64();
  s.round = r.u32();
  s.step = static_cast<ConsensusStep>(r.tag(1, 3, "signing step"));
  s.block_hash = r.fixed<32>();
  return s;
}

}  // namespace mt

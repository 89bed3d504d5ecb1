// The last (height, round, step) a validator signed, and for what block. It is made durable
// before any vote or proposal leaves the node; a restarted validator restores it and refuses to
// sign anything at or below it, except the identical statement again. So a crash can never turn
// an honest validator into a double signer.
#pragma once

#include <cstdint>

#include "core/codec/codec.hpp"
#include "core/util/bytes.hpp"

namespace mt {

// Steps of one consensus round, in the order they happen. `commit` is the wait between deciding a
// height and starting round 0 of the next one (it paces blocks); nothing is signed in it.
enum class ConsensusStep : std::uint8_t { propose = 1, prevote = 2, precommit = 3, commit = 4 };
std::string_view consensus_step_name(ConsensusStep step);

struct SigningState {
  std::uint64_t height = 0;  // 0: nothing signed yet
  std::uint32_t round = 0;
  ConsensusStep step = ConsensusStep::propose;
  Hash32 block_hash;         // zero: nil vote

  // True when signing `next` cannot conflict with what this state records: strictly later in
  // (height, round, step) order, or the very same statement (same position and block hash).
  [[nodiscard]] bool allows(const SigningState& next) const;

  void encode(codec::Writer& w) const;
  static SigningState decode(codec::Reader& r);
  bool operator==(const SigningState&) const = default;
};

}  // namespace mt

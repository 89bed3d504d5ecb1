// What the consensus state machine tells an observer about its own steps: heights, rounds and why
// they began, proposals judged, polkas, locks, timeouts and decisions. Plain structs of integers
// and hashes; Consensus builds one only when ConsensusConfig::emit_events is on (so a run without
// a listener pays one branch per step), hands it to ConsensusHost::consensus_event, and the node
// passes it on through Context::emit (core/node/events.hpp). docs/events.md is the schema of
// their JSON form.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "core/chain/vote.hpp"
#include "core/consensus/signing_state.hpp"
#include "core/util/bytes.hpp"
#include "core/util/time.hpp"

namespace mt {

// Why a round began (paper lines 11, 55, 65 and the restart path).
enum class RoundReason : std::uint8_t {
  first,      // round 0 of a new height
  timeout,    // the previous round's precommit timeout fired (line 65)
  skip,       // more than 1/3 of the power was already in this round (line 55)
  restored,   // a restarted validator resumed the round it had signed in
};
std::string_view round_reason_name(RoundReason reason);

// How a received (or our own) proposal was judged.
enum class ProposalVerdict : std::uint8_t {
  accepted,        // signature and proposer check out: kept for its round
  malformed,       // no block, or a POL round not below the round
  wrong_proposer,  // signed by someone not the proposer of its round
  conflicting,     // a second, different proposal of the proposer for the round: the first is kept
  bad_signature,
};
std::string_view proposal_verdict_name(ProposalVerdict verdict);

// Why a node prevoted what it did on a proposal (lines 22 and 28).
enum class PrevoteReason : std::uint8_t {
  valid,            // prevoted the block
  invalid,          // the state transition rejected it (or a wrong height / chain)
  untimely,         // stamped too far ahead of our clock
  locked_on_other,  // we are locked on another block in a later round than the proposal's POL
};
std::string_view prevote_reason_name(PrevoteReason reason);

struct HeightStarted {
  std::uint64_t height = 0;
  std::uint32_t validators = 0;
  std::uint64_t total_power = 0;
  TimeUs round0_at = 0;  // the node's clock: when round 0 starts (after the pacing wait)
};

struct RoundStarted {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  RoundReason reason = RoundReason::first;
  Address proposer;
};

struct ProposalReceived {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  std::int32_t pol_round = -1;
  Address proposer;
  Hash32 block_hash;
  ProposalVerdict verdict = ProposalVerdict::accepted;
};

struct PrevoteJudged {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  Hash32 block_hash;  // the proposal's block
  PrevoteReason reason = PrevoteReason::valid;
  std::int32_t locked_round = -1;
};

// A quorum of prevotes for one value of the current round (zero hash: nil), first time seen.
struct PolkaSeen {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  Hash32 block_hash;
};

// The lock moved (line 36), or was dropped with its height (`block_hash` zero, round -1).
struct LockChanged {
  std::uint64_t height = 0;
  std::int32_t round = -1;
  Hash32 block_hash;
};

struct ValidValueSet {
  std::uint64_t height = 0;
  std::int32_t round = -1;
  Hash32 block_hash;
};

struct TimeoutScheduled {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  ConsensusStep step = ConsensusStep::propose;
  TimeUs delay_us = 0;
};

// A timeout that changed something (a stale one is ignored and not reported).
struct TimeoutFired {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  ConsensusStep step = ConsensusStep::propose;
};

struct Decided {
  std::uint64_t height = 0;
  std::uint32_t round = 0;
  Hash32 block_hash;
};

using ConsensusEvent = std::variant<HeightStarted, RoundStarted, ProposalReceived, PrevoteJudged, PolkaSeen,
                                    LockChanged, ValidValueSet, TimeoutScheduled, TimeoutFired, Decided>;

}  // namespace mt

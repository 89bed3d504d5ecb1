#include "core/consensus/consensus_events.hpp"

namespace mt {

std::string_view round_reason_name(RoundReason reason) {
  switch (reason) {
    case RoundReason::first: return "first";
    case RoundReason::timeout: return "timeout";
    case RoundReason::skip: return "skip";
    case RoundReason::restored: return "restored";
  }
  return "unknown";
}

std::string_view proposal_verdict_name(ProposalVerdict verdict) {
  switch (verdict) {
    case ProposalVerdict::accepted: return "accepted";
    case ProposalVerdict::malformed: return "malformed";
    case ProposalVerdict::wrong_proposer: return "wrong_proposer";
    case ProposalVerdict::conflicting: return "conflicting";
    case ProposalVerdict::bad_signature: return "bad_signature";
  }
  return "unknown";
}

std::string_view prevote_reason_name(PrevoteReason reason) {
  switch (reason) {
    case PrevoteReason::valid: return "valid";
    case PrevoteReason::invalid: return "invalid";
    case PrevoteReason::untimely: return "untimely";
    case PrevoteReason::locked_on_other: return "locked_on_other";
  }
  return "unknown";
}

}  // namespace mt

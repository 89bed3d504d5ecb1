// Node: votes taken in by what they are (issue #20). Under gossipsub a vote is not looked up by
// its message id: consensus answers whether it is new, by (height, round, type, validator) in
// the vote set of the open height (core/consensus/vote_set.hpp):
//
//   open height      new to its vote set -> counted and relayed; the same vote again -> a
//                    duplicate; a second, different vote of one validator -> evidence, and the
//                    vote is relayed the first time (so others see the equivocation), not after
//   the decided one  late precommits for the decided block join the last commit's set, the same
//   next height      the bounded next-height buffer (Consensus::kMaxNextHeightVotes) dedups by
//                    equality; full -> dropped, not remembered
//   older / ahead    dropped at once, nothing remembered: the answer costs a height compare
//
// The seen set still holds the ids of the votes this node relayed (or signed): an IHAVE names a
// message by id. Duplicates never insert there; the relay a duplicate finds waiting in the
// outbox is found by object identity among the newest items first. A vote's memo carries no
// per-node mark. Under `flood` votes keep the id
// path (node.cpp) so that old runs replay as they were.
#include "core/node/node.hpp"

#include <algorithm>

namespace mt {

namespace {
// How far back take_vote looks for a duplicate's relay by identity before asking the seen set.
constexpr std::size_t kOutboxScanItems = 64;
}  // namespace

bool Node::votes_by_vote_set() const { return router_ != nullptr; }

void Node::take_vote(PeerId from, const WirePtr& message) {
  std::shared_ptr<const DecodeMemo> keep;
  const DecodeMemo& memo = decode_message_ref(*message, config_.memoise_decode, keep);
  if (!memo.result.ok()) {
    reject(from, MsgKind::vote);
    return;
  }
  // The vote set keeps the decoded vote itself, with the memo that holds it.
  const std::shared_ptr<const DecodeMemo>& holder = keep != nullptr ? keep : message->memo().decoded_shared();
  auto vote = std::shared_ptr<const Vote>(holder, &std::get<Vote>(memo.result.value()));
  evidence_from_input_ = false;
  const InputResult r =
      consensus_->on_vote(std::move(vote), config_.memoise_decode ? &message->memo().verify_memo() : nullptr);
  const bool relayed = r == InputResult::accepted || r == InputResult::buffered ||
                       (r == InputResult::equivocation && evidence_from_input_);
  note_vote_outcome(r, relayed);
  if (r == InputResult::duplicate && !outbox_.empty()) {
    // The simulator hands every receiver one object: the relay waiting for it is found by
    // identity among the newest outbox items, the usual place. Else (another object with the
    // same bytes, as a real network delivers, or an older item) by id in the seen set.
    const std::size_t scan = std::min(outbox_.size(), kOutboxScanItems);
    for (auto it = outbox_.rbegin(); it != outbox_.rbegin() + static_cast<std::ptrdiff_t>(scan); ++it) {
      if (it->wire == message) {
        it->has.add(from);
        return;
      }
    }
    // With decoding memoised every copy is that one object, so a fully scanned outbox is the answer.
    if (config_.memoise_decode && scan == outbox_.size()) return;
    if (const auto seen = seen_.serial_of(memo.id)) note_duplicate(*seen, from);
    return;
  }
  if (r == InputResult::rejected) {
    reject(from, MsgKind::vote);
    return;
  }
  if (!relayed) return;
  // A vote the vote set took in is relayed once: if this id was relayed before (a next-height
  // vote that left the buffer and came back), it is not sent again.
  const SeenSet::Insert taken = seen_.insert_or_find(memo.id);
  if (taken.inserted) relay(message, taken.serial, from);
}

void Node::note_vote_outcome(InputResult r, bool relayed) {
  // Copies of votes for other heights are counted in neither total: without memory of them the
  // node cannot tell the first copy from the tenth.
  const auto kind = static_cast<std::size_t>(MsgKind::vote);
  switch (r) {
    case InputResult::stale:
    case InputResult::ahead:
    case InputResult::overflow: return;
    case InputResult::duplicate:  // take_vote tells the outbox
      ++stats_.gossip_received[kind];
      ++stats_.messages_duplicate;
      return;
    default: break;
  }
  // Signature checked (accepted, buffered, equivocation, rejected): charge it.
  ctx_.charge_cpu(config_.costs.verify_us);
  ++stats_.gossip_received[kind];
  if (relayed) {
    ++stats_.gossip_unique[kind];
  } else if (r == InputResult::equivocation) {
    ++stats_.messages_duplicate;  // a known equivocation again
  }
}

}  // namespace mt

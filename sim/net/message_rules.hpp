// Message rules: a fault that drops or delays one kind of message on chosen links, for a range of
// heights and rounds ("drop the round-0 precommits from v[0] to v[1..3] at heights 5 to 7").
// The network asks them on every send while any rule is active (and not at all otherwise): the
// message is decoded (its memo is shared with the receivers, so this costs one decode per
// message, not per link) and its height, round and vote type compared; a gossip batch is judged
// item by item, so a rule takes its items out and lets the rest through. A rule may name the
// message's signers instead of the link's senders (`signer: true`), so relays match too.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "core/chain/vote.hpp"
#include "core/node/wire.hpp"
#include "core/util/time.hpp"

namespace mt::sim {

struct MessageRule {
  MsgKind kind = MsgKind::vote;
  std::optional<VoteType> vote_type;  // vote: prevotes or precommits only
  std::uint64_t min_height = 0;
  std::uint64_t max_height = std::numeric_limits<std::uint64_t>::max();
  std::uint32_t min_round = 0;
  std::uint32_t max_round = std::numeric_limits<std::uint32_t>::max();
  bool any_height = true;  // false: the message must carry a height in range (a tx carries none)
  bool any_round = true;
  std::vector<bool> from, to;  // by peer; a peer past the end is not matched
  // by_signer: `from` names who signed the message (a vote's validator, a proposal's proposer),
  // whichever peer relays it; the link's sender is then any. `signers` are their addresses,
  // filled in when the rule starts (FaultInjector); a message without a signer never matches.
  bool by_signer = false;
  std::vector<Address> signers;
  bool drop = false;
  TimeUs delay_us = 0;
};

// What the rules do to one message (one item of a batch) on one link.
struct RuleVerdict {
  bool drop = false;
  TimeUs delay_us = 0;  // the longest delay of the matching delay rules
  [[nodiscard]] bool any() const { return drop || delay_us > 0; }
};

class MessageRules {
 public:
  using Id = std::uint64_t;
  Id add(MessageRule rule);
  bool remove(Id id);
  [[nodiscard]] bool empty() const { return rules_.empty(); }
  // Whether any rule covers the link (from, to) at all: the cheap test before decoding.
  [[nodiscard]] bool covers(PeerId from, PeerId to) const;
  // The verdict for a message that is not a gossip batch.
  [[nodiscard]] RuleVerdict judge(PeerId from, PeerId to, const WireMessage& message) const;

 private:
  struct Entry {
    Id id = 0;
    MessageRule rule;
  };
  std::vector<Entry> rules_;  // in the order added: deterministic
  Id next_ = 1;
};

}  // namespace mt::sim

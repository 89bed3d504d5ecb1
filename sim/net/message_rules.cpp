#include "sim/net/message_rules.hpp"

#include <algorithm>

#include "core/node/message_codec.hpp"

namespace mt::sim {

namespace {

// The height, round and vote type a message carries, where it carries them.
struct MessagePoint {
  std::optional<std::uint64_t> height;
  std::optional<std::uint32_t> round;
  std::optional<VoteType> vote_type;
  std::optional<Address> signer;
};

MessagePoint point_of(const Message& m) {
  MessagePoint p;
  if (const auto* v = std::get_if<Vote>(&m)) {
    p = {v->height, v->round, v->type, v->validator};
  } else if (const auto* pr = std::get_if<Proposal>(&m)) {
    p = {pr->height, pr->round, std::nullopt, pr->proposer};
  } else if (const auto* e = std::get_if<Evidence>(&m)) {
    p = {e->a.height, e->a.round, e->a.type, std::nullopt};
  } else if (const auto* s = std::get_if<StatusMsg>(&m)) {
    p.height = s->height;
  } else if (const auto* q = std::get_if<BlockRequestMsg>(&m)) {
    p.height = q->from_height;
  } else if (const auto* r = std::get_if<BlockResponseMsg>(&m)) {
    if (!r->blocks.empty() && r->blocks.front().block != nullptr) p.height = r->blocks.front().block->header.height;
  }
  return p;
}

bool in(const std::vector<bool>& set, PeerId peer) { return peer < set.size() && set[peer]; }

bool matches(const MessageRule& r, MsgKind kind, const MessagePoint& p) {
  if (r.kind != kind) return false;
  if (r.vote_type && p.vote_type != r.vote_type) return false;
  if (!r.any_height && (!p.height || *p.height < r.min_height || *p.height > r.max_height)) return false;
  if (!r.any_round && (!p.round || *p.round < r.min_round || *p.round > r.max_round)) return false;
  if (r.by_signer && (!p.signer || std::find(r.signers.begin(), r.signers.end(), *p.signer) == r.signers.end())) {
    return false;
  }
  return true;
}

}  // namespace

MessageRules::Id MessageRules::add(MessageRule rule) {
  const Id id = next_++;
  rules_.push_back({id, std::move(rule)});
  return id;
}

bool MessageRules::remove(Id id) {
  const auto it = std::find_if(rules_.begin(), rules_.end(), [id](const Entry& e) { return e.id == id; });
  if (it == rules_.end()) return false;
  rules_.erase(it);
  return true;
}

bool MessageRules::covers(PeerId from, PeerId to) const {
  return std::any_of(rules_.begin(), rules_.end(),
                     [&](const Entry& e) { return (e.rule.by_signer || in(e.rule.from, from)) && in(e.rule.to, to); });
}

RuleVerdict MessageRules::judge(PeerId from, PeerId to, const WireMessage& message) const {
  RuleVerdict verdict;
  std::shared_ptr<const DecodeMemo> keep;
  const DecodeMemo& memo = decode_message_ref(message, /*memoise=*/true, keep);
  if (!memo.result.ok()) return verdict;  // garbage is the receiver's to drop
  const MessagePoint point = point_of(memo.result.value());
  for (const auto& e : rules_) {
    if ((!e.rule.by_signer && !in(e.rule.from, from)) || !in(e.rule.to, to) || !matches(e.rule, message.kind, point)) {
      continue;
    }
    verdict.drop = verdict.drop || e.rule.drop;
    verdict.delay_us = std::max(verdict.delay_us, e.rule.delay_us);
  }
  return verdict;
}

}  // namespace mt::sim

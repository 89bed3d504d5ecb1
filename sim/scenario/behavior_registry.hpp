// The byzantine behaviours a validator group may take, declared once: name, its one parameter
// and one doc line each. The loader and writer read names and parameters from it, the world's
// byzantine wrapper switches on the enum (never a string compare on the message path), and
// docs/scenario-reference.md's table is tested against it (tests/sim/scenario/registry_test.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mt::sim {

enum class ByzantineBehavior : std::uint8_t {
  equivocate_vote,
  equivocate_proposal,
  withhold_votes,
  delay_votes,
  censor,
  invalid_block,
  amnesia,
  propose_out_of_turn,
  selective_gossip,
  spam,
  timestamp_skew,
  forge_evidence,
  proposer_mismatch,
  next_height_spam,
  unbond_then_equivocate,
  double_evidence,
  stale_evidence,
  propose_own_block,
  forge_sync,
  future_rounds,
};

struct BehaviorSpec {
  ByzantineBehavior kind;
  std::string_view name;
  std::string_view param;      // the key it needs ("by", "fraction", "rate", "to"), or empty
  std::string_view param_doc;  // the docs table's "parameter" cell
  std::string_view doc;        // the docs table's "what it does" cell
};

const std::vector<BehaviorSpec>& behavior_registry();
// nullptr for an unknown name.
const BehaviorSpec* find_behavior(std::string_view name);
const BehaviorSpec& behavior_spec(ByzantineBehavior kind);
std::vector<std::string> behavior_names();

}  // namespace mt::sim

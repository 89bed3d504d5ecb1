#include "sim/explore/kinds.hpp"

#include <algorithm>
#include <map>

#include "sim/scenario/scenario.hpp"

namespace mt::sim::explore {

const std::vector<std::string> kFaultKinds{"crash",      "partition", "split", "one_way", "pause",
                                           "clock_skew", "link_delay", "link_loss", "stake", "join",
                                           "leave",      "messages",  "nemesis",
                                           "lock",       "slow",      "storage",   "twins"};

const std::vector<std::string>& behaviour_kinds() { return kByzantineBehaviors; }

const std::vector<std::string> kCoverageEvents{
    "second_round",         // a vote in round >= 1
    "round_3_plus",         // a vote in round >= 3
    "nil_precommit",        // an honest precommit for nil
    "commit_in_later_round",// a height decided in round >= 1
    "pol_reproposal",       // a block proposed again in a later round of its height (valid value)
    "lock_change",          // an honest node precommits a block, then a different one at that height
    "evidence_found",
    "evidence_committed",
    "slash_double_sign",
    "slash_downtime",
    "sync_started",
    "sync_after_restart",   // a node that crashed and restarted catches up by block sync
    "commit_via_sync",
    "message_rejected",
    "set_change_mid_height",     // a stake / join / leave lands while a height is open
    "set_change_in_later_round", // ... and that height needed round >= 1
};

namespace {

const std::map<std::string, std::vector<std::string>>& reach_table() {
  static const std::map<std::string, std::vector<std::string>> table{
      {"second_round",
       {"lock", "partition", "split", "link_delay", "link_loss", "pause", "withhold_votes", "invalid_block", "messages",
        "timestamp_skew", "proposer_mismatch", "twins"}},
      {"round_3_plus", {"slow", "split", "partition", "link_loss", "delay_votes", "withhold_votes"}},
      {"nil_precommit", {"lock", "split", "link_delay", "invalid_block", "delay_votes"}},
      {"commit_in_later_round", {"lock", "split", "link_delay", "invalid_block", "crash", "messages", "timestamp_skew"}},
      {"pol_reproposal", {"lock", "twins", "split", "one_way", "link_delay", "delay_votes", "amnesia", "equivocate_proposal"}},
      {"lock_change", {"lock", "twins", "split", "one_way", "link_delay", "delay_votes", "amnesia", "equivocate_proposal"}},
      {"evidence_found", {"equivocate_vote", "unbond_then_equivocate", "twins"}},
      {"evidence_committed", {"equivocate_vote", "unbond_then_equivocate", "double_evidence", "twins"}},
      {"slash_double_sign", {"equivocate_vote", "unbond_then_equivocate", "double_evidence", "twins"}},
      {"slash_downtime", {"withhold_votes", "selective_gossip"}},
      {"sync_started", {"crash", "partition", "pause", "join", "forge_sync"}},
      {"sync_after_restart", {"crash", "nemesis", "storage"}},
      {"commit_via_sync", {"crash", "partition", "pause", "join"}},
      {"message_rejected",
       {"spam", "invalid_block", "propose_out_of_turn", "forge_evidence", "next_height_spam", "propose_own_block", "forge_sync"}},
      {"set_change_mid_height", {"stake", "join", "leave"}},
      {"set_change_in_later_round", {"stake", "join", "leave", "link_delay", "split"}},
  };
  return table;
}

}  // namespace

std::vector<std::string> kinds_reaching(const std::string& event) {
  const auto& table = reach_table();
  auto it = table.find(event);
  return it == table.end() ? std::vector<std::string>{} : it->second;
}

bool breaks_agreement_above_third(const std::string& behaviour) {
  static const std::vector<std::string> kBreaking{"equivocate_vote", "equivocate_proposal", "amnesia",
                                                  "unbond_then_equivocate"};
  return std::find(kBreaking.begin(), kBreaking.end(), behaviour) != kBreaking.end();
}

}  // namespace mt::sim::explore

#include "sim/inspect/inspection_json.hpp"

namespace mt::sim {

namespace {

using Json = nlohmann::ordered_json;

Json hash_or_nil(const Hash32& h) { return h.is_zero() ? Json("nil") : Json(h.hex()); }

Json value_json(std::int32_t round, const Hash32& hash) {
  if (round < 0) return nullptr;
  return Json{{"round", round}, {"block", hash.hex()}};
}

Json votes_json(const NodeInspection& in, const VoteSetSnapshot& set) {
  Json votes = Json::array();
  for (const auto& v : set.votes) {
    Json j{{"validator", in.name_of(v.validator)}, {"address", v.validator.hex()}, {"power", v.power},
           {"block", hash_or_nil(v.block_hash)}};
    if (v.counted_conflict) j["counted_conflict"] = true;
    votes.push_back(std::move(j));
  }
  return Json{{"round", set.round},           {"type", std::string(vote_type_name(set.type))},
              {"total_power", set.total_power}, {"voted_power", set.voted_power},
              {"votes", std::move(votes)}};
}

Json consensus_json(const NodeInspection& in, const ConsensusSnapshot& c) {
  Json proposals = Json::array();
  for (const auto& p : c.proposals) {
    proposals.push_back(Json{{"round", p.round},
                             {"pol_round", p.pol_round},
                             {"proposer", in.name_of(p.proposer)},
                             {"block", p.block_hash.hex()},
                             {"block_height", p.block_height},
                             {"timestamp_ms", p.timestamp_ms},
                             {"txs", p.txs}});
  }
  Json vote_sets = Json::array();
  for (const auto& set : c.vote_sets) vote_sets.push_back(votes_json(in, set));
  return Json{{"height", c.height},
              {"round", c.round},
              {"step", std::string(consensus_step_name(c.step))},
              {"round_started", c.round_started},
              {"decided", c.decided},
              {"signing_blocked", c.signing_blocked},
              {"locked", value_json(c.locked_round, c.locked_hash)},
              {"valid", value_json(c.valid_round, c.valid_hash)},
              {"proposals", std::move(proposals)},
              {"votes", std::move(vote_sets)}};
}

Json state_json(const NodeInspection& in, const NodeSnapshot& s) {
  Json peers = Json::array();
  for (PeerId p : s.peers) peers.push_back(p < in.names.size() ? in.names[p] : std::to_string(p));
  return Json{{"height", s.state_height},
              {"last_block", s.last_block_hash.hex()},
              {"state_root", s.state_root.hex()},
              {"started", s.started},
              {"syncing", s.syncing},
              {"signing_disabled", s.signing_disabled},
              {"mempool", Json{{"txs", s.mempool_txs}, {"bytes", s.mempool_bytes}}},
              {"evidence_pending", s.evidence_pending},
              {"peers", std::move(peers)}};
}

Json validators_json(const NodeInspection& in, const NodeSnapshot& s) {
  Json out = Json::array();
  for (const auto& v : s.validators) {
    out.push_back(Json{{"name", in.name_of(v.address)},
                       {"address", v.address.hex()},
                       {"bonded", amount_to_string(v.bonded)},
                       {"power", v.power},
                       {"jailed", v.jailed},
                       {"jailed_until", v.jailed_until},
                       {"tombstoned", v.tombstoned}});
  }
  return out;
}

}  // namespace

Json inspection_json(const NodeInspection& in) {
  Json out{{"format", "mtsim-inspect"}, {"version", 1},           {"node", in.node_name},
           {"index", in.node_index},    {"at_us", in.at_us},      {"stopped_us", in.stopped_us},
           {"up", in.up},               {"paused", in.paused},    {"store_height", in.store_height}};
  if (in.snapshot) {
    out["state"] = state_json(in, *in.snapshot);
    out["consensus"] = in.snapshot->consensus ? consensus_json(in, *in.snapshot->consensus) : Json(nullptr);
    out["validators"] = validators_json(in, *in.snapshot);
  } else {
    out["state"] = nullptr;
    out["consensus"] = nullptr;
    out["validators"] = nullptr;
  }
  Json accounts = Json::array();
  for (const auto& a : in.accounts) {
    accounts.push_back(Json{{"label", a.label}, {"address", a.address.hex()}, {"balance", amount_to_string(a.balance)},
                            {"nonce", a.nonce}});
  }
  out["accounts"] = std::move(accounts);
  return out;
}

std::string inspection_json_text(const NodeInspection& in) { return inspection_json(in).dump(2) + "\n"; }

}  // namespace mt::sim

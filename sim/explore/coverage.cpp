#include "sim/explore/coverage.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "sim/explore/kinds.hpp"

namespace mt::sim::explore {

namespace {

constexpr std::uint64_t kHeightsKept = 4;  // per-height bookkeeping kept behind the newest commit

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = list.find(", ", start);
    const std::size_t end = comma == std::string::npos ? list.size() : comma;
    if (end > start) out.push_back(list.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  return out;
}

bool names_node(const FaultWindow& w, const std::string& name) {
  const std::string targets = w.targets.substr(0, w.targets.find(" -> "));
  const auto names = split_names(targets);
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

void CoverageCollector::on_event(std::size_t node, TimeUs t, const Event& e) {
  if (const auto* v = std::get_if<VoteCast>(&e)) {
    on_vote(node, t, *v);
  } else if (const auto* p = std::get_if<ProposalMade>(&e)) {
    on_proposal(t, *p);
  } else if (const auto* c = std::get_if<BlockCommitted>(&e)) {
    on_commit(node, t, *c);
  } else if (std::holds_alternative<EvidenceFound>(e)) {
    bump("evidence_found");
  } else if (const auto* s = std::get_if<SlashApplied>(&e)) {
    bump(s->double_sign ? "slash_double_sign" : "slash_downtime");
  } else if (std::holds_alternative<SyncStarted>(e)) {
    bump("sync_started");
    if (syncs_.size() < 100'000) syncs_.emplace_back(node, t);
  } else if (std::holds_alternative<MessageRejected>(e)) {
    bump("message_rejected");
  }
}

void CoverageCollector::on_vote(std::size_t node, TimeUs t, const VoteCast& v) {
  if (v.height < pruned_below_) return;
  auto& h = heights_[v.height];
  if (h.first_us < 0) h.first_us = t;
  h.max_round = std::max(h.max_round, v.round);
  if (v.round >= 1) bump("second_round");
  if (v.round >= 3) bump("round_3_plus");
  if (v.type != VoteType::precommit || !honest(node)) return;
  if (v.block_hash.is_zero()) {
    bump("nil_precommit");
    return;
  }
  auto& last = precommitted_[v.height];
  auto it = last.find(node);
  if (it != last.end() && it->second != v.block_hash) bump("lock_change");
  last[node] = v.block_hash;
}

void CoverageCollector::on_proposal(TimeUs t, const ProposalMade& p) {
  if (p.height < pruned_below_) return;
  auto& h = heights_[p.height];
  if (h.first_us < 0) h.first_us = t;
  auto& blocks = proposed_[p.height];
  auto [it, fresh] = blocks.try_emplace(p.block_hash, p.round);
  if (!fresh && p.round > it->second) bump("pol_reproposal");
}

void CoverageCollector::on_commit(std::size_t node, TimeUs t, const BlockCommitted& c) {
  if (c.via_sync) bump("commit_via_sync");
  if (!honest(node)) return;
  auto& h = heights_[c.height];
  if (h.commit_us >= 0) return;  // first honest commit only
  h.commit_us = t;
  if (c.round >= 1) bump("commit_in_later_round");
  if (c.evidence_count > 0) bump("evidence_committed", c.evidence_count);
  if (c.height > kHeightsKept && c.height - kHeightsKept > pruned_below_) {
    pruned_below_ = c.height - kHeightsKept;
    proposed_.erase(proposed_.begin(), proposed_.lower_bound(pruned_below_));
    precommitted_.erase(precommitted_.begin(), precommitted_.lower_bound(pruned_below_));
  }
}

Coverage CoverageCollector::finish(const RunResult& r) const {
  Coverage c = counts_;
  for (const auto& w : r.faults) {
    if (w.kind == "crash" && w.end_us >= 0) {
      for (const auto& [node, t] : syncs_) {
        if (t >= w.end_us && node < r.node_names.size() && names_node(w, r.node_names[node])) {
          ++c["sync_after_restart"];
          break;
        }
      }
    }
    if (w.kind != "stake" && w.kind != "join" && w.kind != "leave") continue;
    for (const auto& [height, h] : heights_) {
      if (h.first_us < 0 || h.first_us > w.start_us || (h.commit_us >= 0 && h.commit_us < w.start_us)) continue;
      ++c["set_change_mid_height"];
      if (h.max_round >= 1) ++c["set_change_in_later_round"];
      break;
    }
  }
  return c;
}

void Aggregate::add(const Coverage& c) {
  ++seeds;
  for (const auto& [event, count] : c) {
    if (count > 0) ++seeds_reaching[event];
  }
}

std::vector<std::string> Aggregate::unreached() const {
  std::vector<std::string> out;
  for (const auto& e : kCoverageEvents) {
    if (seeds_reaching.count(e) == 0) out.push_back(e);
  }
  return out;
}

std::string coverage_to_json(std::uint64_t seed, const Coverage& c, const std::vector<std::string>& kinds_on) {
  nlohmann::ordered_json j;
  j["seed"] = seed;
  j["events"] = nlohmann::ordered_json::object();
  for (const auto& [event, count] : c) j["events"][event] = count;
  j["kinds_on"] = kinds_on;
  return j.dump(2) + "\n";
}

Result<Coverage> coverage_from_json(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("events") || !j["events"].is_object()) {
    return Error{"coverage.json: not a coverage file"};
  }
  Coverage c;
  for (const auto& [event, count] : j["events"].items()) {
    if (!count.is_number_unsigned()) return Error{"coverage.json: count of '" + event + "' is not a whole number"};
    c[event] = count.get<std::uint64_t>();
  }
  return c;
}

std::string aggregate_to_json(const Aggregate& a) {
  nlohmann::ordered_json j;
  j["seeds"] = a.seeds;
  j["seeds_reaching"] = nlohmann::ordered_json::object();
  for (const auto& e : kCoverageEvents) j["seeds_reaching"][e] = a.seeds_reaching.count(e) ? a.seeds_reaching.at(e) : 0;
  j["unreached"] = a.unreached();
  return j.dump(2) + "\n";
}

}  // namespace mt::sim::explore

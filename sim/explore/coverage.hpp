// Coverage of `mtsim explore`: which protocol events a run reached (kCoverageEvents), counted
// from the node events the world emits (core/node/events.hpp) and, for events that need the
// fault timeline (sync after a restart, a set change during an open height), from the finished
// RunResult. Per seed it is written as coverage.json; over a search, Aggregate counts the seeds
// that reached each event and names the ones no seed reached.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/node/events.hpp"
#include "core/util/result.hpp"
#include "core/util/time.hpp"
#include "sim/run/run_result.hpp"

namespace mt::sim::explore {

// Event name -> how many times it happened in one run (events never reached are absent).
using Coverage = std::map<std::string, std::uint64_t>;

class CoverageCollector {
 public:
  // honest[i]: node i runs no byzantine behaviour (lock and precommit events count only for them).
  explicit CoverageCollector(std::vector<bool> honest) : honest_(std::move(honest)) {}

  void on_event(std::size_t node, TimeUs t, const Event& e);
  // The counts, plus what needs the run's fault windows.
  [[nodiscard]] Coverage finish(const RunResult& result) const;

 private:
  struct HeightInfo {
    TimeUs first_us = -1;   // first proposal or vote seen for the height
    TimeUs commit_us = -1;  // first commit
    std::uint32_t max_round = 0;
  };
  void on_vote(std::size_t node, TimeUs t, const VoteCast& v);
  void on_proposal(TimeUs t, const ProposalMade& p);
  void on_commit(std::size_t node, TimeUs t, const BlockCommitted& c);
  void bump(const std::string& event, std::uint64_t by = 1) { counts_[event] += by; }
  [[nodiscard]] bool honest(std::size_t node) const { return node < honest_.size() && honest_[node]; }

  std::vector<bool> honest_;
  std::map<std::string, std::uint64_t> counts_;
  std::map<std::uint64_t, std::map<Hash32, std::uint32_t>> proposed_;         // height -> block -> first round
  std::map<std::uint64_t, std::map<std::size_t, Hash32>> precommitted_;       // height -> node -> last block
  std::map<std::uint64_t, HeightInfo> heights_;
  std::vector<std::pair<std::size_t, TimeUs>> syncs_;                         // (node, time) of SyncStarted
  std::uint64_t pruned_below_ = 0;
};

// Over many seeds: for each event, the seeds that reached it.
struct Aggregate {
  std::map<std::string, std::uint64_t> seeds_reaching;
  std::uint64_t seeds = 0;
  void add(const Coverage& c);
  // kCoverageEvents no seed reached, in report order.
  [[nodiscard]] std::vector<std::string> unreached() const;
};

std::string coverage_to_json(std::uint64_t seed, const Coverage& c, const std::vector<std::string>& kinds_on);
Result<Coverage> coverage_from_json(const std::string& text);
std::string aggregate_to_json(const Aggregate& a);

}  // namespace mt::sim::explore

// events.jsonl read back (docs/events.md): the node table, the nodes' events in file order
// (which is time order) and the world's events, in compact records. Unknown kinds and fields are
// skipped, so a newer file still reads; a line that is not JSON is an error naming its number.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/util/result.hpp"
#include "core/util/time.hpp"

namespace mt::sim {

struct LogNode {
  std::string name;       // "core[3]"
  std::string group;
  std::uint64_t stake = 0;
  bool honest = true;
  std::string byzantine;  // behaviour, empty when honest
  bool at_genesis = true;
};

// One node event. Which fields mean something depends on `kind` (docs/events.md).
struct LogEvent {
  TimeUs t = 0;
  std::size_t node = 0;
  std::string kind;
  std::uint64_t height = 0;
  std::int64_t round = -1;
  std::int64_t who = -1;       // proposer (round_started, proposal_received, committed); validator (slash)
  std::string block;           // short hash; empty: nil or none
  std::string text;            // reason / verdict / step / vote type
  std::int64_t number = 0;     // delay_us (timeout_scheduled), pol_round, locked_round (vote)
};

struct LogWorldEvent {
  TimeUs t = 0;
  std::string kind;            // fault_begin, fault_end, crash, restart
  std::string fault;
  std::string fault_kind;
  std::string targets;
  std::vector<std::size_t> nodes;
};

struct EventLog {
  std::vector<LogNode> nodes;
  std::vector<LogEvent> events;
  std::vector<LogWorldEvent> world;
  [[nodiscard]] std::uint64_t total_stake() const;
  [[nodiscard]] const std::string& name(std::size_t node) const { return nodes.at(node).name; }
};

Result<EventLog> read_event_log(const std::string& path);
// The same from text (tests).
Result<EventLog> parse_event_log(const std::string& text);

}  // namespace mt::sim

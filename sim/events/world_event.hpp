// Something the world did to its nodes (a fault began or ended, a node crashed or restarted, a
// byzantine wrapper acted), as the event sink writes it into events.jsonl beside the nodes' own
// events. The fault injector and the byzantine contexts report these; core/ never sees them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mt::sim {

struct WorldEvent {
  std::string kind;                // fault_begin, fault_end, crash, restart, byzantine
  std::string fault;               // the fault's id ("crash9", "nemesis-2")
  std::string fault_kind;          // crash, partition, link, pause, ...
  std::string targets;             // the fault's targets as text ("core[1], core[2]")
  std::vector<std::size_t> nodes;  // the nodes it touched (crash, restart, byzantine: the one node)
  // byzantine: what the behaviour (in fault_kind) did, to which height and round (-1: none).
  std::string action;
  std::uint64_t height = 0;
  std::int64_t round = -1;
};

}  // namespace mt::sim

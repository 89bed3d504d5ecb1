// Something the world did to its nodes (a fault began or ended, a node crashed or restarted),
// as the event sink writes it into events.jsonl beside the nodes' own events. The fault
// injector reports these; core/ never sees them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mt::sim {

struct WorldEvent {
  std::string kind;                // fault_begin, fault_end, crash, restart
  std::string fault;               // the fault's id ("crash9", "nemesis-2")
  std::string fault_kind;          // crash, partition, link, pause, ...
  std::string targets;             // the fault's targets as text ("core[1], core[2]")
  std::vector<std::size_t> nodes;  // the nodes it touched (crash, restart: the one node)
};

}  // namespace mt::sim

// What both runtimes and the checks share about a run while it goes: the nodes (names, who is
// honest) and the fault windows as they were applied. The simulator's world and the testnet
// harness fill it; checks, metrics and reports read it.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chain/transaction.hpp"
#include "core/util/bytes.hpp"
#include "core/util/time.hpp"

namespace mt::sim {

// One node of the run: names for messages, and who is honest.
struct NodeMeta {
  std::string name;    // "core[3]"
  std::string group;   // "core"
  Address address;
  bool honest = true;  // not configured byzantine
  // Its key runs on two nodes, this one and a twin (honest code; the key may sign twice, so the
  // theory counts its stake as byzantine: sim/scenario/twins).
  bool twinned = false;
};

// A fault's window as a runtime applied it (the one type for checks, report.json and the HTML
// shading).
struct FaultWindow {
  std::string id;        // scenario id or generated ("nemesis-2")
  std::string kind;      // partition, crash, pause, clock_skew, link, ...
  std::string targets;   // human-readable selector result ("core[1], core[2] -> core[0]")
  TimeUs start_us = 0;
  TimeUs end_us = -1;    // -1 while still open (at the end of the run: open until the end)
};

// Shared, read-only view of the run that checks consult.
struct RunView {
  std::vector<NodeMeta> nodes;
  std::vector<FaultWindow> faults;
  // Whether `node`'s mempool holds `tx` now (nullopt: the node is down). Set by the simulator,
  // whose nodes live in the process; empty where the runtime cannot look (the testnet).
  std::function<std::optional<bool>(std::size_t node, const SignedTx& tx)> mempool_holds;
  [[nodiscard]] const FaultWindow* fault(std::string_view id) const {
    for (const auto& f : faults) {
      if (f.id == id) return &f;
    }
    return nullptr;
  }
  [[nodiscard]] std::ptrdiff_t node_by_address(const Address& a) const {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].address == a) return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
  }
};

std::string format_time(TimeUs t);  // "45.250s"

}  // namespace mt::sim

// What `mtsim testnet` can and cannot do with real processes. The harness refuses a scenario that
// asks for something it would only approximate, with one line per reason, rather than running a
// different experiment under the same name. Refused (run these in the simulator):
//  - byzantine groups (the wrappers exist only inside the simulator's world),
//  - clock_skew faults (a process's clock is the host's; skewing it needs a fake clock in the
//    node, which is the simulator),
//  - nemesis faults other than crash, pause, partition and link_delay (the nemesis is drawn into
//    the fault plan before the run, the same in both runtimes),
//  - stake / join / leave faults (validator transactions from the harness: not yet),
//  - message loss, duplication, reordering and bandwidth limits (network-level or per link),
//  - selectors resolved at run time (proposer),
//  - faults triggered at a protocol point (the harness sees commits, not every node's votes).
// Accepted with a note: the latency model (nodes talk over loopback; use a `link` fault for delay).
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace mt::testnet {

struct ScopeCheck {
  std::vector<std::string> refusals;  // non-empty: the scenario cannot run as a testnet
  std::vector<std::string> notes;     // printed, the run goes on
};

ScopeCheck check_testnet_scope(const sim::Scenario& scenario);

}  // namespace mt::testnet

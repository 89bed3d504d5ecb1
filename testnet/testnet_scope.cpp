#include "testnet/testnet_scope.hpp"

#include "sim/scenario/selector.hpp"

namespace mt::testnet {

using sim::FaultAction;

namespace {

// Byzantine wrappers and twins (one key on two nodes) are simulator only.
void refuse_groups(const sim::Scenario& s, ScopeCheck& c) {
  for (const auto& g : s.groups) {
    if (g.byzantine) {
      c.refusals.push_back("group '" + g.name + "' is byzantine (" + g.byzantine->behavior +
                           "): byzantine wrappers run only in the simulator");
    }
    if (g.twin) {
      c.refusals.push_back("validators: group '" + g.name + "' has twins (twin: true); two processes with one key need "
                           "the simulator");
    }
  }
}

}  // namespace

ScopeCheck check_testnet_scope(const sim::Scenario& s) {
  ScopeCheck c;
  refuse_groups(s, c);
  if (s.nemesis) {
    // The nemesis is part of the fault plan (sim/run/fault_plan.hpp); a process takes its crash,
    // pause, partition and link_delay faults.
    for (const auto& kind : s.nemesis->faults) {
      if (kind != "crash" && kind != "pause" && kind != "partition" && kind != "link_delay") {
        c.refusals.push_back("nemesis fault '" + kind + "': only crash, pause, partition and link_delay apply to processes");
      }
    }
    for (const auto& t : s.nemesis->targets) {
      if (sim::selector_needs_runtime(t)) c.refusals.push_back("nemesis targets: selectors resolved at run time (proposer) are simulator-only");
    }
  }
  if (s.network.loss > 0 || s.network.duplicate > 0 || s.network.reorder > 0) {
    c.refusals.push_back("network loss/duplicate/reorder: real TCP links neither lose nor reorder");
  }
  if (s.network.bandwidth_bits_per_s > 0) c.refusals.push_back("network.bandwidth: not modelled on loopback");
  for (const auto& f : s.faults) {
    const std::string where = "fault '" + f.id + "' (" + sim::to_string(f.action) + ")";
    switch (f.action) {
      case FaultAction::clock_skew:
        c.refusals.push_back(where + ": a process's clock is the host's; clock skew and drift need the simulator");
        break;
      case FaultAction::stake:
      case FaultAction::join:
      case FaultAction::leave:
        c.refusals.push_back(where + ": validator-set changes from the harness are not supported yet");
        break;
      case FaultAction::messages:
        c.refusals.push_back(where + ": message rules (and round_partitions, made of them) read each message's "
                                     "height and round on the simulated network (simulator only)");
        break;
      case FaultAction::link:
        if (f.link_loss || f.link_duplicate || f.link_bandwidth_bits_per_s) {
          c.refusals.push_back(where + ": only `delay` is applied to real links (no loss, duplicate, bandwidth)");
        }
        break;
      default: break;
    }
    if (!f.corrupt.empty() || !f.storage.empty()) {  // the simulator's store models the OS page cache
      c.refusals.push_back(where + ": damaging a store while the node is down (" + f.corrupt + (f.corrupt.empty() || f.storage.empty() ? "" : ", ") + f.storage + ") is simulator only");
    }
    if (f.at_step) {
      c.refusals.push_back(where + ": a protocol-step trigger (at: {height, round, step}) needs every node's votes, "
                                   "which the harness does not see");
    }
    bool runtime = sim::selector_needs_runtime(f.targets) || sim::selector_needs_runtime(f.to);
    for (const auto& g : f.groups) runtime = runtime || sim::selector_needs_runtime(g);
    if (runtime) c.refusals.push_back(where + ": selectors resolved at run time (proposer) are simulator-only");
  }
  c.notes.push_back("nodes talk over loopback: the scenario's latency model is not applied (link faults add delay)");
  return c;
}

}  // namespace mt::testnet

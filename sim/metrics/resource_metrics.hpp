// What the cost model measures about resources over a window, for the capacity search: the
// busiest node's CPU (cpu.busy_max), the busiest bandwidth-limited link or node uplink/downlink
// (link.utilisation_max) and the largest mempool (mempool.peak). Each names its resource.
// Busy time of a serialised resource over a window's length is its utilisation (0..1).
#pragma once

#include <optional>
#include <string>

#include "sim/engine/busy_meter.hpp"
#include "sim/metrics/interval_set.hpp"
#include "sim/net/network.hpp"
#include "sim/run/run_view.hpp"

namespace mt::sim {

// Where the meters live (the world's CPU model and network); null members measure nothing.
struct ResourceMeters {
  const BusyMeter* cpu = nullptr;
  const Network* network = nullptr;
  const PeakMeter* mempool = nullptr;
};

struct BusiestResource {
  double value = 0;  // a fraction for busy/utilisation, a count for mempool peaks
  std::string name;  // "core[3]", "core[3] uplink", "core[1]->core[4]"
};

// nullopt when the window is empty; 0 (named "none ...") when nothing is metered or busy.
std::optional<BusiestResource> busiest_cpu(const ResourceMeters& m, const RunView& view, const IntervalSet& w);
std::optional<BusiestResource> busiest_link(const ResourceMeters& m, const RunView& view, const IntervalSet& w);
std::optional<BusiestResource> mempool_peak(const ResourceMeters& m, const RunView& view, const IntervalSet& w);

}  // namespace mt::sim

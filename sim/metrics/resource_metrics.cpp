#include "sim/metrics/resource_metrics.hpp"

#include <fmt/format.h>

namespace mt::sim {

namespace {

TimeUs busy_over(const BusyMeter& meter, std::size_t id, const IntervalSet& w) {
  TimeUs sum = 0;
  for (const auto& [from, until] : w.parts()) sum += meter.busy_within(id, from, until);
  return sum;
}

std::string node_name(const RunView& view, std::size_t i) {
  return i < view.nodes.size() ? view.nodes[i].name : fmt::format("node {}", i);
}

// The busiest resource of `meter` (the lowest id on ties), named by `name_of`.
template <typename NameOf>
void take_busiest(const BusyMeter& meter, const IntervalSet& w, NameOf name_of, std::optional<TimeUs>& best_us,
                  std::string& best_name) {
  for (std::size_t id = 0; id < meter.size(); ++id) {
    const TimeUs busy = busy_over(meter, id, w);
    if (busy == 0 || (best_us && busy <= *best_us)) continue;
    best_us = busy;
    best_name = name_of(id);
  }
}

std::optional<BusiestResource> as_fraction(std::optional<TimeUs> busy_us, std::string name, const IntervalSet& w) {
  if (w.length() <= 0) return std::nullopt;
  const double fraction = static_cast<double>(busy_us.value_or(0)) / static_cast<double>(w.length());
  return BusiestResource{fraction, std::move(name)};
}

}  // namespace

std::optional<BusiestResource> busiest_cpu(const ResourceMeters& m, const RunView& view, const IntervalSet& w) {
  if (m.cpu == nullptr) return as_fraction(std::nullopt, "none (not metered)", w);
  std::optional<TimeUs> best;
  std::string name;
  take_busiest(*m.cpu, w, [&](std::size_t id) { return node_name(view, id); }, best, name);
  return as_fraction(best, std::move(name), w);
}

std::optional<BusiestResource> busiest_link(const ResourceMeters& m, const RunView& view, const IntervalSet& w) {
  if (m.network == nullptr) return as_fraction(std::nullopt, "none (not metered)", w);
  const Network& net = *m.network;
  std::optional<TimeUs> best;
  std::string name = "none (bandwidth unlimited)";
  take_busiest(net.uplink_usage(), w, [&](std::size_t id) { return node_name(view, id) + " uplink"; }, best, name);
  take_busiest(net.downlink_usage(), w, [&](std::size_t id) { return node_name(view, id) + " downlink"; }, best, name);
  take_busiest(net.link_usage(), w, [&](std::size_t id) {
    const auto [from, to] = net.link_ends(id);
    return node_name(view, from) + "->" + node_name(view, to);
  }, best, name);
  return as_fraction(best, std::move(name), w);
}

std::optional<BusiestResource> mempool_peak(const ResourceMeters& m, const RunView& view, const IntervalSet& w) {
  if (m.mempool == nullptr) return BusiestResource{0, "none (not metered)"};
  PeakMeter::Peak best;
  for (const auto& [from, until] : w.parts()) {
    const PeakMeter::Peak p = m.mempool->peak_within(from, until);
    if (p.any && (!best.any || p.value > best.value)) best = p;
  }
  if (!best.any) return BusiestResource{0, "none"};
  return BusiestResource{static_cast<double>(best.value), node_name(view, best.who)};
}

}  // namespace mt::sim

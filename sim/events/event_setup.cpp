#include "sim/events/event_setup.hpp"

#include "sim/scenario/behavior_registry.hpp"

namespace mt::sim {

namespace {

Result<EventFilter> make_filter(const Scenario& s, const EventRequest& request, std::uint64_t seed) {
  EventFilter filter;
  if (auto h = request.heights ? request.heights : s.report.event_heights) filter.heights = *h;
  const std::optional<Selector> sel = request.nodes ? request.nodes : s.report.event_nodes;
  if (!sel) return filter;
  const auto targets = s.selector_targets();
  auto nodes = resolve_selector(*sel, targets, seed);
  if (!nodes.ok()) return make_error("events: nodes: " + nodes.error().message);
  filter.nodes.assign(targets.size(), false);
  for (std::size_t i : nodes.value()) filter.nodes.at(i) = true;
  return filter;
}

std::vector<EventNode> node_table(const Scenario& s, const WorldConfig& world) {
  std::vector<EventNode> nodes;
  for (const auto& v : world.validators) {
    EventNode n;
    n.name = v.name;
    n.group = v.group;
    n.stake = amount_to_string(v.stake);
    n.address = v.key.public_key();
    n.honest = !v.byzantine.has_value();
    if (v.byzantine) n.byzantine = std::string(behavior_spec(v.byzantine->behavior).name);
    if (v.twinned) n.byzantine = "twin";  // honest code, but its key runs on two nodes
    n.at_genesis = nodes.size() >= s.validators.size() || s.validators[nodes.size()].at_genesis;
    nodes.push_back(std::move(n));
  }
  return nodes;
}

}  // namespace

Result<std::unique_ptr<EventSink>> open_event_sink(const Scenario& scenario, const WorldConfig& world,
                                                   const EventRequest& request, std::uint64_t seed) {
  auto filter = make_filter(scenario, request, seed);
  if (!filter.ok()) return filter.error();
  return EventSink::open(request.path, std::move(filter).value(), node_table(scenario, world));
}

}  // namespace mt::sim

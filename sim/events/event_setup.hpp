// Opens a run's EventSink from the scenario (report.events) and the run settings (--events and
// its filters): the filter resolved against the validators, and the node table from the world.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/util/result.hpp"
#include "sim/events/event_sink.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/world_config.hpp"

namespace mt::sim {

struct EventRequest {
  std::string path;                       // events.jsonl
  std::optional<HeightRange> heights;     // replaces report.events.heights
  std::optional<Selector> nodes;          // replaces report.events.nodes
};

Result<std::unique_ptr<EventSink>> open_event_sink(const Scenario& scenario, const WorldConfig& world,
                                                   const EventRequest& request, std::uint64_t seed);

}  // namespace mt::sim

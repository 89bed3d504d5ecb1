// Which events go into events.jsonl: a height range and a set of nodes (scenario
// `report.events: {heights: A..B, nodes: SEL}`, or `mtsim run --events-heights/--events-nodes`).
// Events without a height (world events, node starts) pass the height range; world events pass
// the node set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/util/result.hpp"

namespace mt::sim {

struct HeightRange {
  std::uint64_t min = 0;
  std::uint64_t max = UINT64_MAX;
  bool operator==(const HeightRange&) const = default;
  [[nodiscard]] bool contains(std::uint64_t h) const { return h >= min && h <= max; }
  [[nodiscard]] std::string to_string() const;  // "A..B", "A..", "..B"
};

// "A..B" (inclusive), "A.." or "..B", or one height "H".
Result<HeightRange> parse_height_range(const std::string& text);

struct EventFilter {
  HeightRange heights;
  std::vector<bool> nodes;  // by node index; empty: every node
  [[nodiscard]] bool node_passes(std::size_t node) const { return nodes.empty() || (node < nodes.size() && nodes[node]); }
};

}  // namespace mt::sim

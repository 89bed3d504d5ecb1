// `mtsim inspect`: one node's state at one instant of a run. The scenario is replayed with its
// seed to simulated time T (RunSettings::stop_at_us: every event at or before T has run, faults
// and load planned for the whole run) and the node is read through core's snapshot accessors
// (core/node/node_snapshot.hpp). Same scenario, seed, T and node: the same inspection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/node/node_snapshot.hpp"
#include "core/util/result.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim {

class World;

struct InspectRequest {
  std::uint64_t seed = 1;
  TimeUs at_us = 0;
  std::string node;                   // a selector naming one node: "core[3]", "tail[0]", "proposer" is refused
  std::vector<std::string> accounts;  // 64-hex addresses or validator names ("core[3]")
};

struct AccountInspection {
  std::string label;  // as asked
  Address address;
  Amount balance = 0;
  std::uint64_t nonce = 0;
};

struct NodeInspection {
  std::string node_name;
  std::size_t node_index = 0;
  TimeUs at_us = 0;         // asked
  TimeUs stopped_us = 0;    // reached (earlier only when the run stopped on a safety violation)
  bool up = false;          // false: crashed at T (no live state; the store is still there)
  bool paused = false;
  std::uint64_t store_height = 0;
  std::optional<NodeSnapshot> snapshot;  // when up
  std::vector<AccountInspection> accounts;
  std::vector<std::string> names;        // node names by index (to name voters and peers)
  std::vector<Address> addresses;        // node addresses by index
  // The name of a validator address ("" when it is none of the run's nodes).
  [[nodiscard]] std::string name_of(const Address& a) const;
};

// Resolves `selector` to exactly one node index of the scenario (error otherwise).
Result<std::size_t> resolve_one_node(const Scenario& scenario, const std::string& selector, std::uint64_t seed);

// Reads node `index` of a running world (the world the runner stopped at t).
Result<NodeInspection> inspect_world(World& world, std::size_t index, TimeUs asked_us, TimeUs t,
                                     const std::vector<std::string>& accounts);

// Replays `scenario` to request.at_us and inspects the requested node.
Result<NodeInspection> inspect_node(const Scenario& scenario, const InspectRequest& request);

}  // namespace mt::sim

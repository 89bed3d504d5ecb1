// The JSON form of a NodeInspection (`mtsim inspect --json`; docs/debugging.md "inspect" lists the
// fields). Keys keep a fixed order, so equal inspections give equal bytes. Voters, peers and
// validators are named by node name and address; hashes are full hex; nil is the string "nil";
// amounts are decimal strings (they exceed 64 bits).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/inspect/inspection.hpp"

namespace mt::sim {

nlohmann::ordered_json inspection_json(const NodeInspection& in);
// inspection_json(in) as text, two-space indented, ending in a newline.
std::string inspection_json_text(const NodeInspection& in);

}  // namespace mt::sim

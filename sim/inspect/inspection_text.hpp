// The human screen of `mtsim inspect`: a compact summary of one node at one instant. Vote sets are
// tallied by block with their share of the power; nil and missing voters are named (the first
// few). --json gives everything (inspection_json.hpp).
#pragma once

#include <string>

#include "sim/inspect/inspection.hpp"

namespace mt::sim {

std::string inspection_text(const NodeInspection& in);

}  // namespace mt::sim

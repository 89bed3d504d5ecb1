// A height's story as text for a terminal (the why-lines first, so the first screen says what
// went wrong, then each round's detail) or as JSON with the same content (`mtsim explain --json`).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/explain/round_story.hpp"

namespace mt::sim {

// `nodes`: also list these nodes' own events of the height (--node); empty: none.
std::string story_text(const EventLog& log, const HeightStory& story, const std::vector<std::size_t>& nodes);
nlohmann::ordered_json story_json(const EventLog& log, const HeightStory& story, const std::vector<std::size_t>& nodes);

}  // namespace mt::sim

// libFuzzer target for the YAML scenario loader (sim/scenario/load_scenario.hpp): any text either
// loads or is refused with an error, never a crash, an assertion or a hang.
#include "sim/scenario/load_scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mt::sim::load_scenario_text(text, "/nonexistent/fuzz.yaml");
  return 0;
}

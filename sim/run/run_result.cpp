#include "sim/run/run_result.hpp"

#include <algorithm>

namespace mt::sim {

int exit_code_of(const std::vector<ExpectationResult>& results) {
  int code = kExitOk;
  for (const auto& r : results) {
    if (r.passed) continue;
    if (r.exit_class == kExitSafety) return kExitSafety;  // safety dominates
    code = r.exit_class == kExitInternal ? kExitInternal : std::max(code, kExitLiveness);
  }
  return code;
}

}  // namespace mt::sim

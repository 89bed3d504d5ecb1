#include "sim/run/run_view.hpp"

#include <cstdio>

namespace mt::sim {

std::string format_time(TimeUs t) {
  char buf[48];
  const char* sign = t < 0 ? "-" : "";
  TimeUs a = t < 0 ? -t : t;
  std::snprintf(buf, sizeof buf, "%s%lld.%03llds", sign, static_cast<long long>(a / kUsPerSec),
                static_cast<long long>((a % kUsPerSec) / kUsPerMs));
  return buf;
}

}  // namespace mt::sim

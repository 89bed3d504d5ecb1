#include "core/util/assert.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace mt::detail {

void assert_fail(const char* expr, std::string_view message, const char* file, int line) {
  std::string msg(message);
  std::fprintf(stderr, "mtsim: internal error: assertion `%s` failed at %s:%d: %s\n", expr, file, line,
               msg.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace mt::detail

// Assertions that stay on in every build (TigerBeetle style): a broken invariant is a bug and
// must stop the process with a message, never continue into undefined territory.
#pragma once

#include <string_view>

namespace mt::detail {
[[noreturn]] void assert_fail(const char* expr, std::string_view message, const char* file, int line);
}

#define MT_ASSERT(cond, msg)                                                   \
  do {                                                                         \
    if (!(cond)) [[unlikely]] ::mt::detail::assert_fail(#cond, (msg), __FILE__, __LINE__); \
  } while (false)

#include "reports/file_output.hpp"

#include <unistd.h>

#include <fstream>
#include <system_error>
#include <fmt/format.h>

namespace mt::reports {

Status write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  // The pid keeps two processes writing the same name (sweep jobs, shards) from sharing one temporary.
  std::filesystem::path temporary = path;
  temporary += fmt::format(".tmp{}", ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return make_error("cannot write " + temporary.string());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) return make_error("write failed for " + temporary.string() + " (disk full?)");
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    return make_error("cannot rename " + temporary.string() + " to " + path.string());
  }
  return {};
}

}  // namespace mt::reports

// Writing a report file so a reader never sees half of it: the text goes to a temporary file
// beside the target, which is then renamed over it (rename is atomic within one directory).
#pragma once

#include <filesystem>
#include <string_view>

#include "core/util/result.hpp"

namespace mt::reports {

Status write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace mt::reports

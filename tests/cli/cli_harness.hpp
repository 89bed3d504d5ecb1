// Running the built `mtsim` from a test: a temporary folder that removes itself, and one call
// that runs the binary with arguments, capturing its exit code and everything it printed.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#ifndef MTSIM_BINARY
#error "MTSIM_BINARY (the path of the built mtsim) must be defined by tests/CMakeLists.txt"
#endif

namespace mt::testing {

// A fresh folder under the system's temporary directory, named `prefix`-XXXXXX, removed with
// everything in it when the object goes.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix) {
    std::string templ = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

struct Outcome {
  int exit_code = -1;
  std::string output;
};

// Runs the built mtsim with `args` (paths here hold no shell metacharacters); stdout and stderr
// go to `log`, which is read back into the outcome.
inline Outcome mtsim(const std::string& args, const std::filesystem::path& log) {
  const std::string cmd = std::string(MTSIM_BINARY) + " " + args + " > " + log.string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  Outcome o;
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream f(log);
  std::stringstream ss;
  ss << f.rdbuf();
  o.output = ss.str();
  return o;
}

}  // namespace mt::testing

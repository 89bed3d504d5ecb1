#include "testnet/admin_token.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <fmt/format.h>

namespace mt::testnet {

namespace {

std::string token_path(const std::string& data_dir) { return (std::filesystem::path(data_dir) / kAdminTokenFile).string(); }

std::string fresh_token() {
  std::random_device rd;
  std::string t;
  for (int i = 0; i < 8; ++i) t += fmt::format("{:08x}", rd());
  return t;
}

}  // namespace

Result<std::string> read_admin_token(const std::string& data_dir) {
  const std::string path = token_path(data_dir);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return make_error(fmt::format("{}: {}", path, std::strerror(errno)));
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) return make_error(path + ": readable by group or others (want mode 0600)");
  std::ifstream in(path);
  std::string token;
  std::getline(in, token);
  if (token.empty()) return make_error(path + ": empty");
  return token;
}

Result<std::string> load_or_create_admin_token(const std::string& data_dir) {
  const std::string path = token_path(data_dir);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    const std::string token = fresh_token() + "\n";
    const bool ok = ::write(fd, token.data(), token.size()) == static_cast<ssize_t>(token.size());
    ::close(fd);
    if (!ok) return make_error(path + ": write failed");
  } else if (errno != EEXIST) {
    return make_error(fmt::format("{}: {}", path, std::strerror(errno)));
  }
  return read_admin_token(data_dir);
}

}  // namespace mt::testnet

#include "cli/child_run.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "sim/run/exit_codes.hpp"

namespace mt::cli {

pid_t start_mtsim_child(const std::vector<std::string>& args, const std::filesystem::path& log) {
  std::error_code ec;
  std::filesystem::create_directories(log.parent_path(), ec);
  const std::string log_path = log.string();
  std::vector<char*> argv;
  for (const auto& s : args) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  // Child: only async-signal-safe calls from here to exec.
  const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ::execv("/proc/self/exe", argv.data());
  ::_exit(kExitInternal);
}

int wait_for_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return kExitInternal;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGINT ? kExitInterrupted : kExitInternal;
}

}  // namespace mt::cli

#include "testnet/node_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>
#include <fmt/format.h>

namespace mt::testnet {

NodeProcess& NodeProcess::operator=(NodeProcess&& o) noexcept {
  if (this != &o) {
    kill_and_reap();
    pid_ = o.pid_;
    stopped_ = o.stopped_;
    o.pid_ = -1;
  }
  return *this;
}

Status NodeProcess::spawn(const std::vector<std::string>& argv, const std::string& log_path) {
  kill_and_reap();
  if (argv.empty()) return make_error("spawn: empty argv");
  const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return make_error("cannot open " + log_path + ": " + std::strerror(errno));
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log);
    return make_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Child: die with the parent; logs to the file; its own process group so a terminal's
    // Ctrl-C reaches the harness only (the harness then stops every node itself).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::setpgid(0, 0);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log);
  pid_ = pid;
  stopped_ = false;
  return {};
}

void NodeProcess::kill_and_reap() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  stopped_ = false;
}

int NodeProcess::terminate(int grace_ms) {
  if (pid_ <= 0) return 0;
  if (stopped_) ::kill(pid_, SIGCONT);
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int waited = 0; waited < grace_ms; waited += 10) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      stopped_ = false;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill_and_reap();
  return -SIGKILL;
}

void NodeProcess::pause() {
  if (pid_ > 0 && !stopped_ && ::kill(pid_, SIGSTOP) == 0) stopped_ = true;
}

void NodeProcess::resume() {
  if (pid_ > 0 && stopped_ && ::kill(pid_, SIGCONT) == 0) stopped_ = false;
}

bool NodeProcess::alive() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    stopped_ = false;
    return false;
  }
  return true;
}

namespace {
std::uint64_t status_field_kb(pid_t pid, const std::string& field) {
  std::ifstream f(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      try {
        return std::stoull(line.substr(field.size() + 1));
      } catch (...) {
        return 0;
      }
    }
  }
  return 0;
}
}  // namespace

std::uint64_t peak_rss_bytes_of(pid_t pid) { return status_field_kb(pid, "VmHWM") * 1024; }
std::uint64_t rss_bytes_of(pid_t pid) { return status_field_kb(pid, "VmRSS") * 1024; }

}  // namespace mt::testnet

// A child process the harness (or a test) started: spawn, signal, reap. The destructor kills and
// reaps it, so a process can never outlive the object that started it on any path (exception,
// early return, Ctrl-C unwinding). Children also get PR_SET_PDEATHSIG=SIGKILL, so even a harness
// killed with SIGKILL leaves no node behind.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/util/result.hpp"

namespace mt::testnet {

class NodeProcess {
 public:
  NodeProcess() = default;
  ~NodeProcess() { kill_and_reap(); }
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;
  NodeProcess(NodeProcess&& o) noexcept : pid_(o.pid_), stopped_(o.stopped_) { o.pid_ = -1; }
  NodeProcess& operator=(NodeProcess&& o) noexcept;

  // Starts `argv` (argv[0] is the executable path) with stdout and stderr appended to `log_path`.
  Status spawn(const std::vector<std::string>& argv, const std::string& log_path);
  // SIGKILL + waitpid. No-op when not running.
  void kill_and_reap();
  // SIGTERM, wait up to `grace_ms`, then SIGKILL. Returns the exit status (or -signal).
  int terminate(int grace_ms);
  void pause();   // SIGSTOP
  void resume();  // SIGCONT
  // True while the child has not exited (reaps it when it has).
  bool alive();

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] bool running() const { return pid_ > 0; }
  [[nodiscard]] bool paused() const { return stopped_; }

 private:
  pid_t pid_ = -1;
  bool stopped_ = false;
};

// Peak resident set size of a live process in bytes (VmHWM from /proc), 0 if unknown.
std::uint64_t peak_rss_bytes_of(pid_t pid);
std::uint64_t rss_bytes_of(pid_t pid);

}  // namespace mt::testnet

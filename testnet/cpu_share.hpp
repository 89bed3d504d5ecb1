// What CPU the testnet's node processes actually got over a window (the steady window), read from
// /proc: each process's utime + stime (/proc/PID/stat), the host's busy and idle time (/proc/stat)
// and the 1-minute load average (/proc/loadavg). On a host shared with other work a node gets
// less than cores / N, and what it gets is what the simulator's `validators[].cpu.speed` should
// model (docs/capacity.md, "The simulator against real processes"):
//
//   CpuSample a = sample_cpu(pids);   // when the steady window opens
//   ...                               // the run
//   CpuShare s = cpu_share(a, sample_cpu(pids));
//   fmt::print("{}\n", cpu_share_line(s));   // "cpu (steady): nodes got 0.041 core each ..."
//
// implied_speed is the core a node got plus its 1/N of what the host left idle (a node could
// have had that too), at most 1: on a saturated host it is what the nodes got; on a quiet one it
// is what they could have had.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mt::testnet {

struct CpuSample {
  double wall_s = 0;                                  // CLOCK_MONOTONIC seconds
  std::vector<pid_t> pids;                            // per node, 0 when not running
  std::vector<std::optional<std::uint64_t>> ticks;    // per node: utime + stime (clock ticks)
  std::uint64_t harness_ticks = 0;                    // this process (the harness: load, polling)
  std::uint64_t host_busy_ticks = 0;                  // every CPU: all but idle and iowait
  std::uint64_t host_idle_ticks = 0;                  // every CPU: idle + iowait
  unsigned host_cores = 0;
  double load_avg_1m = 0;
};

struct CpuShare {
  double window_s = 0;
  std::vector<std::optional<double>> node_cores;  // CPU s per wall s; nullopt: restarted or down in the window
  std::size_t measured = 0;                        // nodes with a value
  double node_mean = 0, node_min = 0, node_max = 0;
  double nodes_total = 0;                          // all measured nodes together, cores
  double harness = 0;                              // the harness process (mtsim testnet), cores
  unsigned host_cores = 0;
  double host_busy = 0, host_idle = 0;             // cores, everything on the host
  double load_avg_start = 0, load_avg_end = 0;
  double implied_speed = 0;                        // see the top of this file
};

CpuSample sample_cpu(const std::vector<pid_t>& pids);
// Over the window between two samples of the same nodes.
CpuShare cpu_share(const CpuSample& start, const CpuSample& end);
std::string cpu_share_line(const CpuShare& s);
nlohmann::json cpu_share_json(const CpuShare& s);

// utime + stime of /proc/PID/stat (the fields after the command name's closing parenthesis).
std::optional<std::uint64_t> process_cpu_ticks(pid_t pid);

}  // namespace mt::testnet

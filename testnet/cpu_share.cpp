#include "testnet/cpu_share.hpp"

#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace mt::testnet {

namespace {

double mono_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// The aggregate "cpu" line of /proc/stat: busy (user nice system irq softirq steal) and idle
// (idle iowait) ticks; the number of "cpuN" lines.
void read_host(std::uint64_t& busy, std::uint64_t& idle, unsigned& cores) {
  std::ifstream f("/proc/stat");
  std::string line;
  cores = 0;
  while (std::getline(f, line)) {
    if (line.rfind("cpu", 0) != 0) break;
    if (line.size() > 3 && line[3] != ' ') {
      ++cores;
      continue;
    }
    std::istringstream in(line.substr(3));
    std::uint64_t v[8] = {};
    for (auto& x : v) in >> x;
    idle = v[3] + v[4];
    busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
  }
}

double read_load_avg() {
  std::ifstream f("/proc/loadavg");
  double l = 0;
  f >> l;
  return l;
}

double ticks_per_second() {
  const long t = ::sysconf(_SC_CLK_TCK);
  return t > 0 ? static_cast<double>(t) : 100.0;
}

}  // namespace

std::optional<std::uint64_t> process_cpu_ticks(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream f(fmt::format("/proc/{}/stat", pid));
  std::string text;
  if (!std::getline(f, text)) return std::nullopt;
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream in(text.substr(close + 1));
  std::string field;
  std::uint64_t utime = 0, stime = 0;
  // After ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15).
  for (int i = 3; i <= 13 && in >> field; ++i) {
  }
  if (!(in >> utime >> stime)) return std::nullopt;
  return utime + stime;
}

CpuSample sample_cpu(const std::vector<pid_t>& pids) {
  CpuSample s;
  s.wall_s = mono_seconds();
  s.pids = pids;
  for (const pid_t p : pids) s.ticks.push_back(process_cpu_ticks(p));
  s.harness_ticks = process_cpu_ticks(::getpid()).value_or(0);
  read_host(s.host_busy_ticks, s.host_idle_ticks, s.host_cores);
  s.load_avg_1m = read_load_avg();
  return s;
}

CpuShare cpu_share(const CpuSample& a, const CpuSample& b) {
  CpuShare s;
  s.window_s = std::max(1e-3, b.wall_s - a.wall_s);
  const double tick = ticks_per_second();
  s.host_cores = b.host_cores;
  s.host_busy = static_cast<double>(b.host_busy_ticks - a.host_busy_ticks) / tick / s.window_s;
  s.host_idle = static_cast<double>(b.host_idle_ticks - a.host_idle_ticks) / tick / s.window_s;
  s.harness = static_cast<double>(b.harness_ticks - a.harness_ticks) / tick / s.window_s;
  s.load_avg_start = a.load_avg_1m;
  s.load_avg_end = b.load_avg_1m;
  for (std::size_t i = 0; i < a.ticks.size() && i < b.ticks.size(); ++i) {
    const bool same = a.pids[i] == b.pids[i] && a.ticks[i] && b.ticks[i] && *b.ticks[i] >= *a.ticks[i];
    if (!same) {
      s.node_cores.emplace_back();
      continue;
    }
    const double cores = static_cast<double>(*b.ticks[i] - *a.ticks[i]) / tick / s.window_s;
    s.node_cores.emplace_back(cores);
    s.node_min = s.measured == 0 ? cores : std::min(s.node_min, cores);
    s.node_max = std::max(s.node_max, cores);
    s.nodes_total += cores;
    ++s.measured;
  }
  if (s.measured == 0) return s;
  s.node_mean = s.nodes_total / static_cast<double>(s.measured);
  const double idle_share = s.host_idle / static_cast<double>(std::max<std::size_t>(s.node_cores.size(), 1));
  s.implied_speed = std::min(1.0, s.node_mean + idle_share);
  return s;
}

std::string cpu_share_line(const CpuShare& s) {
  if (s.measured == 0) return "cpu (steady): not measured (no node ran through the whole window)";
  return fmt::format(
      "cpu (steady, {:.0f} s): nodes got {:.3f} core each (min {:.3f}, max {:.3f}; {:.2f} of {} cores together), "
      "harness {:.3f}, host busy {:.2f} idle {:.2f} cores, load average {:.2f} -> {:.2f}; implied cpu.speed {:.3f}",
      s.window_s, s.node_mean, s.node_min, s.node_max, s.nodes_total, s.host_cores, s.harness, s.host_busy, s.host_idle,
      s.load_avg_start, s.load_avg_end, s.implied_speed);
}

nlohmann::json cpu_share_json(const CpuShare& s) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& c : s.node_cores) nodes.push_back(c ? nlohmann::json(*c) : nlohmann::json(nullptr));
  return {{"window_s", s.window_s},         {"measured_nodes", s.measured}, {"node_cores_mean", s.node_mean},
          {"node_cores_min", s.node_min},   {"node_cores_max", s.node_max}, {"nodes_cores_total", s.nodes_total}, {"harness_cores", s.harness},
          {"host_cores", s.host_cores},     {"host_busy_cores", s.host_busy}, {"host_idle_cores", s.host_idle},
          {"load_avg_start", s.load_avg_start}, {"load_avg_end", s.load_avg_end},
          {"implied_speed", s.implied_speed}, {"node_cores", nodes}};
}

}  // namespace mt::testnet

// `mtsim sweep FILE... --seeds 1..200 [--jobs N] [--shard i/n] --out DIR [--set k=v]...`
// Every (file, seed) runs as its own process (`mtsim run ... --out DIR/<name>-seed<S>`), so a crash
// or a hang of one seed cannot take the others down, and runs use every core. The parent is the
// only writer of DIR/results.sqlite: it appends each finished run (one transaction per run), so
// an interrupted sweep keeps every finished run and no half of an unfinished one.
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <thread>
#include <fmt/format.h>

#include "cli/child_run.hpp"
#include "cli/commands.hpp"
#include "cli/sweep_outputs.hpp"
#include "cli/sweep_plan.hpp"
#include "reports/report_json.hpp"
#include "reports/results_database.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/scenario/load_scenario.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace mt::cli {
namespace {

using WallClock = std::chrono::steady_clock;  // per-seed wall time for the progress lines only

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_sigint(int /*sig*/) { g_interrupted = 1; }

constexpr unsigned kMaxJobs = 256;

struct SweepConfig {
  std::vector<std::string> files;
  std::vector<std::string> names;  // scenario name per file
  std::vector<std::string> dir_names;  // run folder prefix per file: the name, made unique
  std::vector<std::string> overrides;
  std::vector<SweepItem> items;
  unsigned jobs = 1;
  fs::path out_dir;
};

struct Running {
  SweepItem item;
  fs::path run_dir;
  WallClock::time_point start;
};

struct Tally {
  std::size_t passed = 0, failed = 0;
  int worst = kExitOk;
};

std::string shell_quote(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("-_./=:,+@%").find(c) != std::string_view::npos;
    plain = plain && ok;
  }
  if (plain) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::vector<std::string> child_args(const SweepConfig& c, const SweepItem& it, const fs::path& run_dir) {
  std::vector<std::string> a = {"mtsim", "run", c.files[it.file_index], "--seed", std::to_string(it.seed),
                                "--out", run_dir.string(), "--progress", "none", "--color", "never"};
  for (const auto& s : c.overrides) {
    a.push_back("--set");
    a.push_back(s);
  }
  return a;
}

std::string reproduce(const SweepConfig& c, const SweepItem& it) {
  std::string cmd = fmt::format("mtsim run {} --seed {}", shell_quote(c.files[it.file_index]), it.seed);
  for (const auto& s : c.overrides) cmd += " --set " + shell_quote(s);
  return cmd;
}

// Starts one run with stdout and stderr going to run_dir/console.log; -1 when fork fails.
pid_t start_child(const SweepConfig& c, const SweepItem& it, const fs::path& run_dir) {
  return start_mtsim_child(child_args(c, it, run_dir), run_dir / "console.log");
}

// Reads the finished run's report.json and stores it; a message on failure, empty on success.
std::string store_run(const fs::path& db, const fs::path& run_dir, std::string& repro) {
  auto run = reports::read_report_json(run_dir / "report.json");
  if (!run.ok()) return "no report: " + run.error().message;
  if (!run.value().reproduce_command.empty()) repro = run.value().reproduce_command;
  auto stored = reports::append_run(db, run.value());
  if (!stored.ok()) return "results.sqlite: " + stored.error().message;
  return {};
}

void finish_one(const SweepConfig& c, const Running& r, int status, Tally& tally) {
  const double wall = std::chrono::duration<double>(WallClock::now() - r.start).count();
  int code = kExitInternal;
  std::string how;
  if (WIFEXITED(status)) {
    code = WEXITSTATUS(status);
    how = fmt::format("exit {}", code);
  } else if (WIFSIGNALED(status)) {
    how = fmt::format("killed by signal {}", WTERMSIG(status));
  }
  std::string repro = reproduce(c, r.item);
  std::string problem;
  if (code != kExitUsage && code != kExitBadScenario && code != kExitInternal && WIFEXITED(status)) {
    problem = store_run(c.out_dir / "results.sqlite", r.run_dir, repro);
  }
  if (!problem.empty() && code == kExitOk) code = kExitInternal;
  const std::string& name = c.names[r.item.file_index];
  const auto seed = static_cast<unsigned long long>(r.item.seed);
  if (code == kExitOk) {
    ++tally.passed;
    std::printf("PASS %s seed %llu (%.1fs)\n", name.c_str(), seed, wall);
  } else {
    ++tally.failed;
    std::printf("FAIL %s seed %llu %s (%.1fs) -> %s\n", name.c_str(), seed, how.c_str(), wall, repro.c_str());
  }
  if (!problem.empty()) std::printf("  %s (log: %s)\n", problem.c_str(), (r.run_dir / "console.log").c_str());
  std::fflush(stdout);
  tally.worst = worse_exit(tally.worst, code);
}

void sleep_briefly() {
  timespec ts{0, 20'000'000};  // 20 ms: a finished run waits at most this long to be noticed
  ::nanosleep(&ts, nullptr);
}

// After Ctrl-C, a child's end counts only if it finished on its own: a child that the same
// Ctrl-C (or our SIGTERM) stopped is neither a pass nor a failure.
bool finished_on_its_own(int status) {
  return g_interrupted == 0 || (WIFEXITED(status) && WEXITSTATUS(status) != kExitInterrupted);
}

// On Ctrl-C: stores the children that already finished, then stops the rest (the ones this
// sweep started) and reaps them.
void stop_children(const SweepConfig& c, std::map<pid_t, Running>& running, Tally& tally) {
  for (auto it = running.begin(); it != running.end();) {
    int status = 0;
    if (::waitpid(it->first, &status, WNOHANG) == it->first) {
      if (finished_on_its_own(status)) finish_one(c, it->second, status, tally);
      it = running.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& entry : running) ::kill(entry.first, SIGTERM);
  for (const auto& entry : running) {
    int status = 0;
    while (::waitpid(entry.first, &status, 0) < 0 && errno == EINTR) {
    }
  }
  running.clear();
}

// Runs every item, at most c.jobs at a time. Returns false when interrupted.
bool run_all(const SweepConfig& c, Tally& tally) {
  std::map<pid_t, Running> running;
  std::size_t next = 0;
  while (next < c.items.size() || !running.empty()) {
    if (g_interrupted != 0) {
      stop_children(c, running, tally);
      return false;
    }
    while (next < c.items.size() && running.size() < c.jobs) {
      const auto& it = c.items[next++];
      const fs::path dir = c.out_dir / (fmt::format("{}-seed{}", c.dir_names[it.file_index], it.seed));
      const pid_t pid = start_child(c, it, dir);
      if (pid < 0) {
        finish_one(c, Running{it, dir, WallClock::now()}, 70 << 8, tally);
        continue;
      }
      running.emplace(pid, Running{it, dir, WallClock::now()});
    }
    int status = 0;
    const pid_t done = ::waitpid(-1, &status, WNOHANG);
    if (done <= 0) {
      sleep_briefly();
      continue;
    }
    auto found = running.find(done);
    if (found == running.end()) continue;
    if (finished_on_its_own(status)) finish_one(c, found->second, status, tally);
    running.erase(found);
  }
  return g_interrupted == 0;
}

po::options_description sweep_options() {
  po::options_description desc("sweep options");
  desc.add_options()("help,h", "help")("seeds", po::value<std::string>(), "seeds")("jobs,j", po::value<unsigned>(),
                                                                                     "jobs")(
      "shard", po::value<std::string>(), "shard")("out", po::value<std::string>(), "out")(
      "set", po::value<std::vector<std::string>>()->composing(), "override")(
      "file", po::value<std::vector<std::string>>(), "scenarios");
  return desc;
}

// Parses and checks everything before the first run starts; an exit code on a problem.
std::optional<int> configure(const po::variables_map& vm, SweepConfig& c) {
  if (vm.count("file") == 0 || vm.count("seeds") == 0 || vm.count("out") == 0) {
    std::fprintf(stderr, "mtsim sweep: usage: mtsim sweep FILE... --seeds 1..200 --out DIR (see --help)\n");
    return kExitUsage;
  }
  c.files = vm["file"].as<std::vector<std::string>>();
  if (vm.count("set") != 0) c.overrides = vm["set"].as<std::vector<std::string>>();
  c.out_dir = vm["out"].as<std::string>();
  auto seeds = parse_seed_list(vm["seeds"].as<std::string>());
  Shard shard;
  if (vm.count("shard") != 0) {
    auto s = parse_shard(vm["shard"].as<std::string>());
    if (!s.ok()) {
      std::fprintf(stderr, "mtsim sweep: %s\n", s.error().message.c_str());
      return kExitUsage;
    }
    shard = s.value();
  }
  if (!seeds.ok()) {
    std::fprintf(stderr, "mtsim sweep: %s\n", seeds.error().message.c_str());
    return kExitUsage;
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  c.jobs = vm.count("jobs") != 0 ? vm["jobs"].as<unsigned>() : cores;
  if (c.jobs == 0 || c.jobs > kMaxJobs) {
    std::fprintf(stderr, "mtsim sweep: --jobs must be 1..%u\n", kMaxJobs);
    return kExitUsage;
  }
  if (c.files.size() * seeds.value().size() > kMaxSweepRuns) {
    std::fprintf(stderr, "mtsim sweep: more than %zu runs\n", kMaxSweepRuns);
    return kExitUsage;
  }
  for (const auto& f : c.files) {
    auto s = sim::load_scenario(f, c.overrides);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\nmtsim sweep: %s is not a valid scenario\n", s.error().message.c_str(), f.c_str());
      return kExitBadScenario;
    }
    c.names.push_back(s.value().name);
  }
  // Two files may share a scenario name; their run folders must not.
  for (std::size_t i = 0; i < c.names.size(); ++i) {
    const bool shared = std::count(c.names.begin(), c.names.end(), c.names[i]) > 1;
    c.dir_names.push_back(shared ? fmt::format("{}-file{}", c.names[i], i + 1) : c.names[i]);
  }
  c.items = plan_sweep(c.files.size(), seeds.value(), shard);
  return std::nullopt;
}

}  // namespace

int sweep_command(const std::vector<std::string>& args) {
  const auto desc = sweep_options();
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "mtsim sweep: %s\n(see 'mtsim sweep --help')\n", e.what());
    return kExitUsage;
  }
  if (vm.count("help") != 0) {
    print_sweep_help();
    return kExitOk;
  }
  SweepConfig c;
  if (auto bad = configure(vm, c)) return *bad;
  std::error_code ec;
  fs::create_directories(c.out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "mtsim sweep: cannot create %s: %s\n", c.out_dir.c_str(), ec.message().c_str());
    return kExitInternal;
  }
  std::printf("mtsim sweep: %zu runs, %u at a time, into %s\n", c.items.size(), c.jobs, c.out_dir.c_str());
  std::fflush(stdout);

  struct sigaction sa {};
  sa.sa_handler = on_sigint;  // no SA_RESTART: the wait loop must see the flag promptly
  sigemptyset(&sa.sa_mask);
  struct sigaction old {};
  ::sigaction(SIGINT, &sa, &old);
  Tally tally;
  const bool completed = run_all(c, tally);
  ::sigaction(SIGINT, &old, nullptr);

  if (fs::exists(c.out_dir / "results.sqlite")) {
    auto files = write_sweep_files(c.out_dir / "results.sqlite", c.out_dir);
    if (!files.ok()) std::fprintf(stderr, "mtsim sweep: %s\n", files.error().message.c_str());
  }
  if (!completed) std::printf("interrupted: finished runs are in %s\n", (c.out_dir / "results.sqlite").c_str());
  std::printf("%zu passed, %zu failed\n", tally.passed, tally.failed);
  std::fflush(stdout);
  return completed ? tally.worst : kExitInterrupted;
}

}  // namespace mt::cli

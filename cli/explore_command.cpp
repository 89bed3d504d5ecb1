// `mtsim explore [ENVELOPE.yaml] (--seeds A..B | --budget 10m) [--jobs N] [--shard i/n] --out DIR`
// Each seed draws a whole scenario from the envelope (sim/explore), writes it as DIR/seed-<N>/
// scenario.yaml, and runs it in a forked child (so a crash or a hang of one seed cannot take the
// search down); the parent alone writes DIR/results.sqlite, counts coverage over the finished
// seeds, and in a --budget run biases later draws toward kinds that reach events not yet seen.
// The process pool mirrors `mtsim sweep`'s (cli/sweep_command.cpp, whose pool is file-local): the
// two should share one (fork, wait, Ctrl-C, store) once the run layer settles.
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "cli/commands.hpp"
#include "sim/run/exit_codes.hpp"
#include "cli/explore_seed.hpp"
#include "cli/sweep_outputs.hpp"
#include "cli/sweep_plan.hpp"
#include "sim/explore/bias.hpp"
#include "sim/explore/generator.hpp"
#include "sim/explore/kinds.hpp"
#include "sim/scenario/scenario_writer.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace ex = mt::sim::explore;

namespace mt::cli {
namespace {

using WallClock = std::chrono::steady_clock;  // the --budget and per-seed wall times only

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_explore_sigint(int /*sig*/) { g_interrupted = 1; }

constexpr unsigned kMaxJobs = 256;
constexpr std::size_t kDefaultShrinkRuns = 40;
constexpr double kDefaultSeedTimeoutS = 600;  // a seed (run and shrink) that takes longer is a hang

struct ExploreConfig {
  ex::Envelope envelope;
  std::vector<std::uint64_t> seeds;  // --seeds: this shard's seeds, in order
  std::optional<double> budget_s;    // --budget: seeds first_seed, first_seed + 1, ... until it runs out
  std::uint64_t first_seed = 1;
  Shard shard;
  unsigned jobs = 1;
  bool bias = false;
  std::size_t shrink_runs = kDefaultShrinkRuns;
  double seed_timeout_s = kDefaultSeedTimeoutS;
  std::size_t max_failures = 0;      // --max-failures: start no new seed after this many (0: no limit)
  fs::path out_dir;
};

// The seeds to run: a fixed list, or an endless one (this shard's share) cut off by the budget.
class SeedSource {
 public:
  explicit SeedSource(const ExploreConfig& c) : c_(c), next_budget_seed_(c.first_seed), start_(WallClock::now()) {}
  std::optional<std::uint64_t> next() {
    if (!c_.budget_s) return index_ < c_.seeds.size() ? std::optional(c_.seeds[index_++]) : std::nullopt;
    if (std::chrono::duration<double>(WallClock::now() - start_).count() >= *c_.budget_s) return std::nullopt;
    while ((next_budget_seed_ - c_.first_seed) % c_.shard.count != c_.shard.index - 1) ++next_budget_seed_;
    return next_budget_seed_++;
  }

 private:
  const ExploreConfig& c_;
  std::size_t index_ = 0;
  std::uint64_t next_budget_seed_;
  WallClock::time_point start_;
};

struct Running {
  std::uint64_t seed = 0;
  fs::path dir;
  std::string kinds;
  WallClock::time_point start;
  bool timed_out = false;  // killed for passing --seed-timeout
};

struct Search {
  std::size_t passed = 0, failed = 0;
  int worst = kExitOk;
  ex::Aggregate coverage;
  std::map<pid_t, Running> running;
};

std::string kinds_text(const ex::SwarmDraw& s) {
  std::string t;
  for (const auto& k : s.faults) t += (t.empty() ? "" : " ") + k;
  for (const auto& k : s.behaviours) t += (t.empty() ? "" : " ") + k;
  return t.empty() ? "no faults" : t;
}

// Draws the seed's scenario and writes it; the error text on a generator bug.
std::string write_scenario(const ExploreConfig& c, const Search& s, std::uint64_t seed, const fs::path& dir,
                           std::string& kinds) {
  const ex::KindWeights weights = c.bias ? ex::bias_weights(s.coverage) : ex::KindWeights{};
  auto g = ex::generate_scenario(c.envelope, seed, weights);
  if (!g.ok()) return g.error().message;
  kinds = kinds_text(g.value().swarm);
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::ofstream f(dir / "scenario.yaml", std::ios::trunc);
  f << "# Drawn by mtsim explore, seed " << seed << (weights.empty() ? "" : " (coverage-biased draw)")
    << ". Replay: mtsim run " << (dir / "scenario.yaml").string() << " --seed " << seed << "\n"
    << sim::to_yaml(g.value().scenario);
  return f ? std::string() : "cannot write " + (dir / "scenario.yaml").string();
}

// Forks the child that runs one seed, its output going to the seed's console.log; -1 on failure.
pid_t start_child(const ExploreConfig& c, std::uint64_t seed, const fs::path& dir) {
  const std::string log = (dir / "console.log").string();
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::signal(SIGINT, SIG_DFL);
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::close(fd);
  }
  int code = kExitInternal;
  try {
    code = explore_one_seed(dir, seed, c.shrink_runs);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mtsim explore: internal error: %s\n", e.what());
  }
  std::fflush(stdout);
  std::fflush(stderr);
  ::_exit(code);
}

void finish_seed(const ExploreConfig& c, const Running& r, int status, Search& s) {
  const double wall = std::chrono::duration<double>(WallClock::now() - r.start).count();
  SeedOutcome o = collect_seed(c.out_dir / "results.sqlite", r.dir, r.seed, status);
  if (r.timed_out) {
    o.exit_code = kExitWallBudget;
    o.how = fmt::format("exit {} (no result after the {:g}s seed timeout: a hang?)", kExitWallBudget, c.seed_timeout_s);
    o.problem.clear();
  }
  if (o.coverage) s.coverage.add(*o.coverage);
  const auto seed = static_cast<unsigned long long>(r.seed);
  if (o.exit_code == kExitOk) {
    ++s.passed;
    std::printf("PASS seed %llu (%.1fs) [%s]\n", seed, wall, r.kinds.c_str());
  } else {
    ++s.failed;
    std::printf("FAIL seed %llu %s (%.1fs) [%s]\n", seed, o.how.c_str(), wall, r.kinds.c_str());
    for (const auto& f : o.failed) std::printf("  %s\n", f.c_str());
    std::printf("  replay: %s\n", o.replay.c_str());
  }
  if (!o.problem.empty()) std::printf("  %s\n", o.problem.c_str());
  std::fflush(stdout);
  s.worst = worse_exit(s.worst, o.exit_code);
}

void sleep_briefly() {
  timespec ts{0, 20'000'000};  // 20 ms: a finished seed waits at most this long to be noticed
  ::nanosleep(&ts, nullptr);
}

// After Ctrl-C: keeps the seeds that finished on their own, stops the rest (ours only), reaps them.
void stop_children(const ExploreConfig& c, Search& s) {
  for (auto it = s.running.begin(); it != s.running.end();) {
    int status = 0;
    if (::waitpid(it->first, &status, WNOHANG) == it->first) {
      if (WIFEXITED(status) && WEXITSTATUS(status) != kExitInterrupted) finish_seed(c, it->second, status, s);
      it = s.running.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& entry : s.running) ::kill(entry.first, SIGTERM);
  for (const auto& entry : s.running) {
    int status = 0;
    while (::waitpid(entry.first, &status, 0) < 0 && errno == EINTR) {
    }
  }
  s.running.clear();
}

// Starts seeds while there are free jobs; false when the source ran dry.
bool fill_jobs(const ExploreConfig& c, SeedSource& source, Search& s) {
  while (s.running.size() < c.jobs) {
    const auto seed = source.next();
    if (!seed) return false;
    Running r{*seed, c.out_dir / fmt::format("seed-{}", *seed), {}, WallClock::now()};
    const std::string problem = write_scenario(c, s, *seed, r.dir, r.kinds);
    const pid_t pid = problem.empty() ? start_child(c, *seed, r.dir) : -1;
    if (pid < 0) {
      ++s.failed;
      s.worst = worse_exit(s.worst, kExitInternal);
      std::printf("FAIL seed %llu: %s\n", static_cast<unsigned long long>(*seed),
                  problem.empty() ? "cannot fork" : problem.c_str());
      continue;
    }
    s.running.emplace(pid, std::move(r));
  }
  return true;
}

// Kills (SIGKILL: a hung run may ignore nothing else) the seeds that passed --seed-timeout.
void kill_overdue(const ExploreConfig& c, Search& s) {
  for (auto& [pid, r] : s.running) {
    if (r.timed_out || std::chrono::duration<double>(WallClock::now() - r.start).count() < c.seed_timeout_s) continue;
    r.timed_out = true;
    ::kill(pid, SIGKILL);
  }
}

// Runs the search; false when interrupted. With --jobs 1 each seed starts after the previous one
// finished, so the bias (and with it every draw) is deterministic.
bool run_search(const ExploreConfig& c, Search& s) {
  SeedSource source(c);
  bool more = true;
  while (more || !s.running.empty()) {
    if (g_interrupted != 0) {
      stop_children(c, s);
      return false;
    }
    if (more && c.max_failures != 0 && s.failed >= c.max_failures) more = false;  // let the running ones finish
    if (more) more = fill_jobs(c, source, s);
    kill_overdue(c, s);
    int status = 0;
    const pid_t done = ::waitpid(-1, &status, WNOHANG);
    if (done <= 0) {
      sleep_briefly();
      continue;
    }
    auto found = s.running.find(done);
    if (found == s.running.end()) continue;
    if (g_interrupted == 0 || (WIFEXITED(status) && WEXITSTATUS(status) != kExitInterrupted)) {
      finish_seed(c, found->second, status, s);
    }
    s.running.erase(found);
  }
  return g_interrupted == 0;
}

po::options_description explore_options() {
  po::options_description desc("explore options");
  desc.add_options()("help,h", "help")("seeds", po::value<std::string>(), "seeds")(
      "budget", po::value<std::string>(), "wall budget")("first-seed", po::value<std::uint64_t>(), "first seed")(
      "jobs,j", po::value<unsigned>(), "jobs")("shard", po::value<std::string>(), "shard")(
      "out", po::value<std::string>(), "out")("shrink-runs", po::value<std::size_t>(), "shrink runs")(
      "seed-timeout", po::value<std::string>(), "seed timeout")("bias", "bias")("max-failures", po::value<std::size_t>(), "max failures")("no-bias", "no bias")("envelope", po::value<std::vector<std::string>>(), "envelope");
  return desc;
}

// "10m" / "90s" / "1h" / "2min": a wall-clock budget in seconds.
std::optional<double> parse_budget(std::string text) {
  if (text.size() > 1 && text.back() == 'm' && text[text.size() - 2] != 'm') text += "in";
  auto d = sim::parse_duration(text);
  if (!d.ok() || d.value() <= 0) return std::nullopt;
  return static_cast<double>(d.value()) / 1e6;
}

std::optional<int> usage(const std::string& message) {
  std::fprintf(stderr, "mtsim explore: %s\n(see 'mtsim explore --help')\n", message.c_str());
  return kExitUsage;
}

std::optional<int> read_plan(const po::variables_map& vm, ExploreConfig& c) {
  if ((vm.count("seeds") != 0) == (vm.count("budget") != 0)) return usage("give exactly one of --seeds A..B and --budget T");
  if (vm.count("shard") != 0) {
    auto s = parse_shard(vm["shard"].as<std::string>());
    if (!s.ok()) return usage(s.error().message);
    c.shard = s.value();
  }
  if (vm.count("first-seed") != 0) c.first_seed = vm["first-seed"].as<std::uint64_t>();
  if (vm.count("seeds") != 0) {
    auto seeds = parse_seed_list(vm["seeds"].as<std::string>());
    if (!seeds.ok()) return usage(seeds.error().message);
    for (const auto& item : plan_sweep(1, seeds.value(), c.shard)) c.seeds.push_back(item.seed);
  } else {
    c.budget_s = parse_budget(vm["budget"].as<std::string>());
    if (!c.budget_s) return usage("--budget: a duration such as 10m, 90s or 1h");
  }
  c.bias = c.budget_s.has_value() ? vm.count("no-bias") == 0 : vm.count("bias") != 0;
  return std::nullopt;
}

// Parses and checks everything before the first seed starts; an exit code on a problem.
std::optional<int> configure(const po::variables_map& vm, ExploreConfig& c) {
  if (vm.count("out") == 0) return usage("--out DIR is required");
  c.out_dir = vm["out"].as<std::string>();
  if (auto bad = read_plan(vm, c)) return bad;
  c.jobs = vm.count("jobs") != 0 ? vm["jobs"].as<unsigned>() : std::max(1u, std::thread::hardware_concurrency());
  if (c.jobs == 0 || c.jobs > kMaxJobs) return usage(fmt::format("--jobs must be 1..{}", kMaxJobs));
  if (vm.count("shrink-runs") != 0) c.shrink_runs = vm["shrink-runs"].as<std::size_t>();
  if (vm.count("max-failures") != 0) c.max_failures = vm["max-failures"].as<std::size_t>();
  if (vm.count("seed-timeout") != 0) {
    auto t = parse_budget(vm["seed-timeout"].as<std::string>());
    if (!t) return usage("--seed-timeout: a duration such as 10m or 90s");
    c.seed_timeout_s = *t;
  }
  c.envelope = ex::default_envelope();
  if (vm.count("envelope") != 0) {
    const auto files = vm["envelope"].as<std::vector<std::string>>();
    if (files.size() != 1) return usage("at most one envelope file");
    auto e = ex::load_envelope(files[0]);
    if (!e.ok()) {
      std::fprintf(stderr, "%s\nmtsim explore: %s is not a valid envelope\n", e.error().message.c_str(), files[0].c_str());
      return kExitBadScenario;
    }
    c.envelope = e.value();
  }
  return std::nullopt;
}

void print_coverage(const ExploreConfig& c, const Search& s) {
  std::printf("coverage over %llu seeds (seeds reaching each event):\n", static_cast<unsigned long long>(s.coverage.seeds));
  for (const auto& e : ex::kCoverageEvents) {
    auto it = s.coverage.seeds_reaching.find(e);
    std::printf("  %-26s %llu\n", e.c_str(), static_cast<unsigned long long>(it == s.coverage.seeds_reaching.end() ? 0 : it->second));
  }
  std::string never;
  for (const auto& e : s.coverage.unreached()) never += (never.empty() ? "" : ", ") + e;
  std::printf("never reached: %s\n", never.empty() ? "none" : never.c_str());
  std::ofstream(c.out_dir / "coverage.json", std::ios::trunc) << ex::aggregate_to_json(s.coverage);
}

}  // namespace

int explore_command(const std::vector<std::string>& args) {
  const auto desc = explore_options();
  po::positional_options_description pos;
  pos.add("envelope", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return *usage(e.what());
  }
  if (vm.count("help") != 0) {
    print_explore_help();
    return kExitOk;
  }
  ExploreConfig c;
  if (auto bad = configure(vm, c)) return *bad;
  std::error_code ec;
  fs::create_directories(c.out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "mtsim explore: cannot create %s: %s\n", c.out_dir.c_str(), ec.message().c_str());
    return kExitInternal;
  }
  std::printf("mtsim explore: %s, %u at a time, envelope %s, into %s%s\n",
              c.budget_s ? fmt::format("budget {:.0f}s", *c.budget_s).c_str() : fmt::format("{} seeds", c.seeds.size()).c_str(),
              c.jobs, c.envelope.file.empty() ? "defaults" : c.envelope.file.c_str(), c.out_dir.c_str(),
              c.bias ? ", coverage-biased" : "");
  std::fflush(stdout);
  struct sigaction sa {};
  sa.sa_handler = on_explore_sigint;  // no SA_RESTART: the wait loop must see the flag promptly
  sigemptyset(&sa.sa_mask);
  struct sigaction old {};
  ::sigaction(SIGINT, &sa, &old);
  Search s;
  const bool completed = run_search(c, s);
  ::sigaction(SIGINT, &old, nullptr);
  print_coverage(c, s);
  if (fs::exists(c.out_dir / "results.sqlite")) {
    auto files = write_sweep_files(c.out_dir / "results.sqlite", c.out_dir);
    if (!files.ok()) std::fprintf(stderr, "mtsim explore: %s\n", files.error().message.c_str());
  }
  if (!completed) std::printf("interrupted: finished seeds are in %s\n", (c.out_dir / "results.sqlite").c_str());
  std::printf("%zu passed, %zu failed\n", s.passed, s.failed);
  std::fflush(stdout);
  return completed ? s.worst : kExitInterrupted;
}

}  // namespace mt::cli

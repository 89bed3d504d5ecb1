// `mtsim capacity FILE [--jobs N] [--max-rate R] [--p99 D] [--seed N] [--set k=v]... [--testnet] --out DIR`
// Runs the scenario at rising offered rates, each point a normal seeded `mtsim run` in its own
// process (DIR/rate-<R>; with --testnet a `mtsim testnet` of real node processes instead), a
// batch of --jobs at a time; the plan (a coarse ramp, then bisection on
// the knee) is sim/capacity/rate_search.hpp, the verdict sim/capacity/bottleneck.hpp. Prints the
// table and the saturation line, writes DIR/capacity.json and DIR/capacity.html, and evaluates the
// scenario's capacity.* expectations.
#include <boost/program_options.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "cli/capacity_point_reader.hpp"
#include "cli/capacity_testnet_cpu.hpp"
#include "cli/child_run.hpp"
#include "cli/commands.hpp"
#include "cli/sweep_plan.hpp"
#include "reports/capacity_report.hpp"
#include "reports/file_output.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/metric_registry.hpp"
#include "sim/scenario/units.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace mt::cli {
namespace {

constexpr unsigned kMaxJobs = 256;
constexpr std::uint64_t kMaxRatePerS = 1'000'000;  // a typo such as 4e9 is an error, not a hang

struct CapacityConfig {
  std::string file;
  std::vector<std::string> overrides;
  sim::Scenario scenario;
  std::uint64_t seed = 1;
  sim::RateSearch search;
  fs::path out_dir;
  bool testnet = false;  // points through `mtsim testnet` (real processes), one at a time
};

int usage(const std::string& message) {
  std::fprintf(stderr, "mtsim capacity: %s\n(see 'mtsim capacity --help')\n", message.c_str());
  return kExitUsage;
}

std::vector<std::string> point_args(const CapacityConfig& c, std::uint64_t rate, const fs::path& dir) {
  std::vector<std::string> a = {"mtsim", c.testnet ? "testnet" : "run", c.file, "--seed", std::to_string(c.seed),
                                "--out", dir.string()};
  if (!c.testnet) a.insert(a.end(), {"--progress", "none", "--color", "never"});
  for (const auto& s : c.overrides) {
    a.push_back("--set");
    a.push_back(s);
  }
  for (std::size_t i = 0; i < c.scenario.load.size(); ++i) {
    a.push_back("--set");
    a.push_back(fmt::format("load[{}].rate={}/s", i, rate));
  }
  return a;
}

// The most transactions a second the blocks can carry: max_block_txs per block time.
double block_capacity_tps(const CapacityConfig& c) {
  const auto& params = c.scenario.chain.params;
  if (params.block_time_ms == 0) return 0;
  return static_cast<double>(params.max_block_txs) * 1000.0 / static_cast<double>(params.block_time_ms);
}

// Runs one batch of rates side by side and reads each back; a point that failed to run is kept
// with ran = false (it counts as not keeping up) and its log named.
std::vector<sim::CapacityPoint> run_batch(const CapacityConfig& c, const std::vector<std::uint64_t>& rates) {
  std::vector<std::pair<pid_t, fs::path>> children;
  for (std::uint64_t rate : rates) {
    const fs::path dir = c.out_dir / fmt::format("rate-{}", rate);
    children.emplace_back(start_mtsim_child(point_args(c, rate, dir), dir / "console.log"), dir);
  }
  std::vector<sim::CapacityPoint> points;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    const auto& [pid, dir] = children[i];
    const int code = pid < 0 ? kExitInternal : wait_for_child(pid);
    auto point = read_capacity_point(dir / "report.json", rates[i]);
    if (point.ok()) {
      points.push_back(point.value());
    } else {
      std::printf("  rate %llu/s: exit %d, %s (log: %s)\n", static_cast<unsigned long long>(rates[i]), code,
                  point.error().message.c_str(), (dir / "console.log").c_str());
      sim::CapacityPoint failed;
      failed.rate_per_s = rates[i];
      failed.exit_code = code;
      points.push_back(failed);
    }
  }
  return points;
}

void print_progress(const std::vector<sim::CapacityPoint>& batch, double p99_bound_ms) {
  for (const auto& p : batch) {
    if (!p.ran) continue;
    std::printf("  %6llu/s: finalized %.1f of %.1f tx/s, p99 %.0f ms%s%s\n", static_cast<unsigned long long>(p.rate_per_s),
                p.finalized_tps, p.offered_tps, p.latency_p99_ms, testnet_cpu_note(p).c_str(),
                sim::keeps_up(p, p99_bound_ms) ? "" : "  (saturated)");
  }
  std::fflush(stdout);
}

std::vector<sim::CapacityPoint> search_all(const CapacityConfig& c) {
  std::vector<sim::CapacityPoint> done;
  for (auto rates = sim::next_rates(c.search, done); !rates.empty(); rates = sim::next_rates(c.search, done)) {
    auto batch = run_batch(c, rates);
    print_progress(batch, c.search.p99_bound_ms);
    done.insert(done.end(), batch.begin(), batch.end());
  }
  std::sort(done.begin(), done.end(), [](const auto& a, const auto& b) { return a.rate_per_s < b.rate_per_s; });
  return done;
}

double bound_value(const sim::Bound& b) {
  switch (b.unit) {
    case sim::Bound::Unit::rate: return b.rate.per_second();
    case sim::Bound::Unit::duration: return static_cast<double>(b.time_us) / 1000.0;
    case sim::Bound::Unit::number: return b.number;
  }
  return b.number;
}

// The scenario's capacity.* expectations against the search's saturation point. When even
// --max-rate kept up, the saturation point is at least max-rate: a min bound can pass, a max
// bound cannot be judged and fails.
std::vector<sim::ExpectationResult> capacity_expectations(const CapacityConfig& c, const sim::Saturation& s) {
  std::vector<sim::ExpectationResult> out;
  for (const auto& e : c.scenario.expect) {
    const auto* spec = sim::find_metric(e.name);
    if (e.kind != sim::Expectation::Kind::metric || spec == nullptr || !spec->needs_capacity) continue;
    sim::ExpectationResult r;
    r.name = e.name;
    r.kind = "metric";
    r.window = "capacity search";
    const double value = static_cast<double>(s.rate_per_s.value_or(0));
    r.measured = fmt::format("{}{} tx/s", s.beyond_max() ? ">= " : "", value);
    if (e.min) r.threshold = fmt::format(">= {} tx/s", bound_value(*e.min));
    if (e.max) r.threshold += fmt::format("{}<= {} tx/s", r.threshold.empty() ? "" : ", ", bound_value(*e.max));
    r.passed = (!e.min || value >= bound_value(*e.min)) && (!e.max || (!s.beyond_max() && value <= bound_value(*e.max)));
    r.exit_class = kExitLiveness;
    if (!r.passed) r.detail = fmt::format("{} = {}, expected {}", e.name, r.measured, r.threshold);
    r.source_file = e.loc.file;
    r.source_line = static_cast<int>(e.loc.line);
    out.push_back(r);
  }
  return out;
}

// The exit code: a point's safety violation, nondeterminism or internal error counts (its missed
// throughput does not: points above the knee miss by design), then the capacity expectations.
int capacity_exit(const reports::CapacityResult& r) {
  int worst = kExitOk;
  for (const auto& p : r.points) {
    const bool counts = p.exit_code != kExitLiveness && p.exit_code != kExitWallBudget;
    if (counts) worst = worse_exit(worst, p.exit_code);
  }
  for (const auto& e : r.expectations) {
    if (!e.passed) worst = worse_exit(worst, e.exit_class);
  }
  return worst;
}

po::options_description capacity_options() {
  po::options_description desc("capacity options");
  desc.add_options()("help,h", "help")("jobs,j", po::value<unsigned>(), "jobs")("max-rate", po::value<std::string>(),
                                                                                   "max rate")(
      "p99", po::value<std::string>(), "p99 bound")("seed", po::value<std::uint64_t>(), "seed")(
      "out", po::value<std::string>(), "out")("set", po::value<std::vector<std::string>>()->composing(), "override")(
      "testnet", "testnet")("file", po::value<std::string>(), "scenario");
  return desc;
}

// Every load segment must offer a steady rate the search can set.
std::optional<std::string> unsteady_load(const sim::Scenario& s) {
  if (s.load.empty()) return "the scenario has no load: capacity sets load[i].rate";
  for (std::size_t i = 0; i < s.load.size(); ++i) {
    const auto kind = s.load[i].kind;
    if (kind != sim::LoadKind::constant && kind != sim::LoadKind::poisson) {
      return fmt::format("load[{}] is {}: capacity offers a steady rate, so every segment must be constant or poisson", i,
                         sim::to_string(kind));
    }
  }
  return std::nullopt;
}

// The p99 bound without --p99: the scenario's own steady `finality_latency.p99` maximum when it
// has one (it says what "final in time" means for that chain), else two block times.
double default_p99_bound_ms(const sim::Scenario& s) {
  for (const auto& e : s.expect) {
    if (e.kind == sim::Expectation::Kind::metric && e.name == "finality_latency.p99" && e.max &&
        e.window.kind == sim::Window::Kind::steady) {
      return bound_value(*e.max);
    }
  }
  return 2.0 * static_cast<double>(s.chain.params.block_time_ms);
}

std::optional<int> read_limits(const po::variables_map& vm, CapacityConfig& c) {
  std::uint64_t scenario_rate = 0;
  for (const auto& l : c.scenario.load) scenario_rate = std::max(scenario_rate, l.rate.milli_per_s() / 1000);
  c.search.max_rate_per_s = std::max<std::uint64_t>(100, 4 * scenario_rate);
  if (vm.count("max-rate") != 0) {
    std::string text = vm["max-rate"].as<std::string>();
    if (text.ends_with("/s")) text.resize(text.size() - 2);
    auto r = sim::parse_count(text);
    if (!r.ok() || r.value() == 0 || r.value() > kMaxRatePerS) {
      return usage(fmt::format("--max-rate: expected a whole rate 1..{} tx/s such as 400 or 400/s", kMaxRatePerS));
    }
    c.search.max_rate_per_s = r.value();
  }
  c.search.p99_bound_ms = default_p99_bound_ms(c.scenario);
  if (vm.count("p99") != 0) {
    auto d = sim::parse_duration(vm["p99"].as<std::string>());
    if (!d.ok() || d.value() <= 0) return usage("--p99: expected a positive duration such as 6s");
    c.search.p99_bound_ms = static_cast<double>(d.value()) / 1000.0;
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  c.search.jobs = vm.count("jobs") != 0 ? vm["jobs"].as<unsigned>() : cores;
  c.testnet = vm.count("testnet") != 0;
  if (c.testnet && c.search.jobs != 1) {
    if (vm.count("jobs") != 0) return usage("--testnet runs one point at a time: its node processes need the cores");
    c.search.jobs = 1;
  }
  if (c.search.jobs == 0 || c.search.jobs > kMaxJobs) return usage(fmt::format("--jobs must be 1..{}", kMaxJobs));
  return std::nullopt;
}

// Parses and checks everything before the first run starts; an exit code on a problem.
std::optional<int> configure(const po::variables_map& vm, CapacityConfig& c) {
  if (vm.count("file") == 0 || vm.count("out") == 0) return usage("usage: mtsim capacity FILE --out DIR");
  c.file = vm["file"].as<std::string>();
  if (vm.count("set") != 0) c.overrides = vm["set"].as<std::vector<std::string>>();
  c.out_dir = vm["out"].as<std::string>();
  auto s = sim::load_scenario(c.file, c.overrides);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\nmtsim capacity: %s is not a valid scenario\n", s.error().message.c_str(), c.file.c_str());
    return kExitBadScenario;
  }
  c.scenario = s.value();
  if (auto problem = unsteady_load(c.scenario)) {
    std::fprintf(stderr, "mtsim capacity: %s\n", problem->c_str());
    return kExitBadScenario;
  }
  c.seed = vm.count("seed") != 0 ? vm["seed"].as<std::uint64_t>() : c.scenario.seed.value_or(1);
  return read_limits(vm, c);
}

void write_outputs(const reports::CapacityResult& r, const fs::path& out_dir) {
  const auto json = reports::write_file_atomically(out_dir / "capacity.json", reports::capacity_json(r).dump(2) + "\n");
  const auto html = reports::write_file_atomically(out_dir / "capacity.html", reports::capacity_html(r));
  for (const auto* w : {&json, &html}) {
    if (!w->ok()) std::fprintf(stderr, "mtsim capacity: %s\n", w->error().message.c_str());
  }
  std::printf("wrote %s and %s\n", (out_dir / "capacity.json").c_str(), (out_dir / "capacity.html").c_str());
}

void print_expectations(const std::vector<sim::ExpectationResult>& results) {
  for (const auto& e : results) {
    std::printf("%s %s: %s (expected %s)\n", e.passed ? "PASS" : "FAIL", e.name.c_str(), e.measured.c_str(),
                e.threshold.c_str());
  }
}

}  // namespace

int capacity_command(const std::vector<std::string>& args) {
  const auto desc = capacity_options();
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return usage(e.what());
  }
  if (vm.count("help") != 0) {
    print_capacity_help();
    return kExitOk;
  }
  CapacityConfig c;
  if (auto bad = configure(vm, c)) return *bad;
  std::error_code ec;
  fs::create_directories(c.out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "mtsim capacity: cannot create %s: %s\n", c.out_dir.c_str(), ec.message().c_str());
    return kExitInternal;
  }
  std::printf("mtsim capacity: %s seed %llu, rates up to %llu tx/s, p99 bound %.0f ms, %u at a time, into %s\n",
              c.scenario.name.c_str(), static_cast<unsigned long long>(c.seed),
              static_cast<unsigned long long>(c.search.max_rate_per_s), c.search.p99_bound_ms, c.search.jobs,
              c.out_dir.c_str());
  std::fflush(stdout);
  reports::CapacityResult r;
  r.scenario_name = c.scenario.name;
  r.scenario_file = c.file;
  r.seed = c.seed;
  r.max_rate_per_s = c.search.max_rate_per_s;
  r.p99_bound_ms = c.search.p99_bound_ms;
  r.points = search_all(c);
  r.saturation = sim::find_saturation(c.search, r.points);
  for (const auto& p : r.points) {
    if (r.saturation.first_failing_rate_per_s == p.rate_per_s) r.bottleneck = sim::find_bottleneck(p, r.p99_bound_ms, block_capacity_tps(c));
  }
  r.expectations = capacity_expectations(c, r.saturation);
  std::printf("\n%s", reports::capacity_table(r).c_str());
  std::printf("%s", testnet_cpu_lines(r).c_str());
  print_expectations(r.expectations);
  write_outputs(r, c.out_dir);
  std::fflush(stdout);
  return capacity_exit(r);
}

}  // namespace mt::cli

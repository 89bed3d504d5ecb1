// `mtsim testnet FILE [options]`: the scenario as one mtnode process per validator
// (testnet/testnet_harness.hpp), reported in the same formats as `mtsim run`, with the options
// `mtsim run` shares (cli/common_options.hpp) and every node's /metrics scraped into report.json's
// "testnet_metrics" section at the end. Ctrl-C stops every node and exits 130. Scenarios asking for what real processes cannot do are refused (exit 65)
// with one line per reason (testnet/testnet_scope.hpp).
#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/command_line.hpp"
#include "cli/common_options.hpp"
#include "cli/commands.hpp"
#include "reports/console_summary.hpp"
#include "reports/output_set.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "testnet/testnet_harness.hpp"
#include "testnet/testnet_scope.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace mt::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

po::options_description testnet_options() {
  po::options_description desc("testnet options");
  add_common_options(desc);
  desc.add_options()("help,h", "help")("nodes-dir", po::value<std::string>(), "nodes")(
      "mtnode", po::value<std::string>(), "mtnode")("file", po::value<std::string>(), "scenario");
  return desc;
}

// The harness's progress lines as --progress asks: none, one line each, or one line rewritten.
std::function<void(const std::string&)> progress_printer(ProgressMode mode) {
  if (mode == ProgressMode::none) return nullptr;
  if (mode == ProgressMode::bar) return [](const std::string& line) { std::fprintf(stderr, "\r\033[K%s", line.c_str()); };
  return [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
}

// Adds the scraped /metrics as report.json's "testnet_metrics" section and the CPU the nodes
// got over the steady window as "testnet_cpu" (report.json readers ignore keys they do not
// know), and prints their lines.
void add_scraped_metrics(const fs::path& out_dir, const testnet::TestnetOutcome& out) {
  std::cout << testnet::scrape_line(testnet::scrape_totals(out.metrics)) << "\n";
  if (out.cpu) std::cout << testnet::cpu_share_line(*out.cpu) << "\n";
  const fs::path p = out_dir / "report.json";
  std::ifstream in(p);
  if (!in) return;  // the scenario's outputs leave report.json out
  auto report = nlohmann::json::parse(in, nullptr, false);
  if (report.is_discarded() || !report.is_object()) {
    std::fprintf(stderr, "mtsim testnet: %s does not parse back; node metrics left out of it\n", p.c_str());
    return;
  }
  report["testnet_metrics"] = testnet::scrape_json(out.metrics);
  if (out.cpu) report["testnet_cpu"] = testnet::cpu_share_json(*out.cpu);
  std::ofstream(p, std::ios::trunc) << report.dump(2) << "\n";
}

std::string default_mtnode() {
  std::error_code ec;
  const auto self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("mtnode") : (self.parent_path() / "mtnode").string();
}

// Per-process resources next to the report (report.json has no place for them).
std::string write_nodes_json(const fs::path& out_dir, const testnet::TestnetOutcome& out) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& n : out.nodes) {
    nodes.push_back({{"name", n.name}, {"peak_rss_bytes", n.peak_rss_bytes}, {"restarts", n.restarts},
                     {"final_height", n.final_height}});
  }
  const fs::path p = out_dir / "testnet-nodes.json";
  std::ofstream f(p, std::ios::trunc);
  f << nlohmann::json{{"nodes", nodes}, {"txs_refused", out.txs_refused}}.dump(2) << "\n";
  return p.string();
}

void print_resources(const testnet::TestnetOutcome& out) {
  std::uint64_t max_rss = 0, sum_rss = 0;
  for (const auto& n : out.nodes) {
    max_rss = std::max(max_rss, n.peak_rss_bytes);
    sum_rss += n.peak_rss_bytes;
  }
  const double mib = 1024.0 * 1024.0;
  std::printf("processes: %zu nodes, peak RSS per node max %.1f MiB, mean %.1f MiB; submissions refused %llu\n",
              out.nodes.size(), static_cast<double>(max_rss) / mib,
              out.nodes.empty() ? 0.0 : static_cast<double>(sum_rss) / mib / static_cast<double>(out.nodes.size()),
              static_cast<unsigned long long>(out.txs_refused));
}

int report(const sim::Scenario& s, testnet::TestnetOutcome& out, const fs::path& out_dir, const std::string& cmd,
           double wall, bool color) {
  sim::RunResult& r = out.result;
  r.speed.wall_seconds = wall;
  r.speed.sim_seconds_per_wall_second = wall > 0 ? static_cast<double>(r.simulated_us) / 1e6 / wall : 0;
  for (const auto& n : out.nodes) r.speed.peak_rss_bytes = std::max(r.speed.peak_rss_bytes, n.peak_rss_bytes);
  r.provenance.mtsim_version = "0.1.0";
  r.provenance.command_line = cmd;
  std::vector<std::string> artifacts;
  auto written = reports::write_all(out_dir, r, reports::OutputSet::for_scenario(s.report.outputs));
  if (!written.ok()) {
    std::fprintf(stderr, "mtsim testnet: writing reports: %s\n", written.error().message.c_str());
  } else {
    for (const auto& p : written.value()) artifacts.push_back(p.string());
  }
  artifacts.push_back(write_nodes_json(out_dir, out));
  reports::print_summary(std::cout, r, color, artifacts);
  add_scraped_metrics(out_dir, out);
  std::cout.flush();
  print_resources(out);
  for (const auto& n : out.unplanned_exits) std::printf("FAIL: %s", n.c_str());
  // A node that died on its own is a failed run (an internal error: a crash nobody planned) even
  // when the expectations held without it; a safety violation still says so first.
  if (out.unplanned_exits.empty()) return r.exit_code;
  return r.exit_code == kExitSafety ? kExitSafety : kExitInternal;
}

int refuse(const testnet::ScopeCheck& scope, const std::string& path) {
  std::fprintf(stderr, "mtsim testnet: %s cannot run as real processes:\n", path.c_str());
  for (const auto& r : scope.refusals) std::fprintf(stderr, "  - %s\n", r.c_str());
  std::fprintf(stderr, "Run it in the simulator instead: mtsim run %s\n", path.c_str());
  return kExitBadScenario;
}

// Runs the testnet with SIGINT/SIGTERM turned into a clean stop of every node; `wall` is its
// duration in seconds.
testnet::TestnetOutcome run_catching_interrupts(const sim::Scenario& s, testnet::TestnetOptions& o, double& wall) {
  o.interrupted = &g_interrupted;
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int {}, old_term {};
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  const auto start = std::chrono::steady_clock::now();
  auto out = testnet::run_testnet(s, o);
  wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  return out;
}

// What the nodes need beyond the shared options: where they live and which mtnode; an exit code when bad.
std::optional<int> read_paths(const po::variables_map& vm, const fs::path& out_dir, testnet::TestnetOptions& o) {
  o.nodes_dir = vm.count("nodes-dir") != 0 ? vm["nodes-dir"].as<std::string>() : (out_dir / "nodes").string();
  o.mtnode_path = vm.count("mtnode") != 0 ? vm["mtnode"].as<std::string>() : default_mtnode();
  if (::access(o.mtnode_path.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "mtsim testnet: no mtnode executable at %s (build the mtnode target or pass --mtnode PATH)\n",
                 o.mtnode_path.c_str());
    return kExitUsage;
  }
  return std::nullopt;
}

int run_and_report(const sim::Scenario& s, testnet::TestnetOptions& o, const CommonOptions& c, const fs::path& out_dir,
                   const std::string& command_line) {
  double wall = 0;
  auto out = run_catching_interrupts(s, o, wall);
  if (c.progress == ProgressMode::bar) std::fputc('\n', stderr);
  if (out.interrupted) {
    std::fprintf(stderr, "mtsim testnet: interrupted; every node process was stopped\n");
    return kExitInterrupted;
  }
  if (!out.error.empty()) {
    std::fprintf(stderr, "mtsim testnet: %s\n", out.error.c_str());
    return out.error_exit;
  }
  return report(s, out, out_dir, command_line, wall, c.color == ColorMode::always);
}

}  // namespace

int testnet_command(const std::vector<std::string>& args, const std::string& command_line) {
  const auto desc = testnet_options();
  po::variables_map vm;
  if (auto stop = parse_file_command("testnet", desc, args, vm, print_testnet_help, "mtsim testnet FILE [options]")) {
    return *stop;
  }
  CommonOptions c;
  if (!read_common_options("testnet", vm, c)) return kExitUsage;
  testnet::TestnetOptions o;
  o.scenario_path = vm["file"].as<std::string>();
  o.overrides = c.overrides;
  o.until_us = c.until_us;
  auto s = sim::load_scenario(o.scenario_path, o.overrides);
  if (!s) {
    std::fprintf(stderr, "%s\nmtsim testnet: %s is not a valid scenario\n", s.error().message.c_str(), o.scenario_path.c_str());
    return kExitBadScenario;
  }
  o.seed = c.seed.value_or(s.value().seed.value_or(1));
  const auto scope = testnet::check_testnet_scope(s.value());
  if (!scope.refusals.empty()) return refuse(scope, o.scenario_path);
  const fs::path out_dir = c.out_dir ? fs::path(*c.out_dir) : fs::path(fmt::format("runs/{}-testnet-seed{}", s.value().name, o.seed));
  if (auto stop = read_paths(vm, out_dir, o)) return *stop;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  std::printf("mtsim testnet: scenario %s, seed %llu, %zu node processes, nodes in %s\n", s.value().name.c_str(),
              static_cast<unsigned long long>(o.seed), s.value().validators.size(), o.nodes_dir.c_str());
  for (const auto& n : scope.notes) std::printf("note: %s\n", n.c_str());
  for (const auto& w : s.value().warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  std::fflush(stdout);
  o.progress = progress_printer(c.progress);
  return run_and_report(s.value(), o, c, out_dir, command_line);
}

}  // namespace mt::cli

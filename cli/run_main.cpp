// run_main (cli/run_main.hpp): one scenario, one seed. It lives in cli/ because it
// is where the one wall clock of a simulated run is read (for the harness's speed report) and
// where reports/ is called; sim/ stays free of both.
#include "cli/run_main.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <fmt/format.h>

#include "core/crypto/hash.hpp"
#include "reports/console_summary.hpp"
#include "reports/output_set.hpp"
#include "sim/engine/digest.hpp"
#include "sim/runner/runner.hpp"
#include "sim/scenario/scenario_writer.hpp"

#ifndef MTSIM_GIT_COMMIT
#define MTSIM_GIT_COMMIT "unknown"
#endif
#ifndef MTSIM_BUILD_TYPE
#define MTSIM_BUILD_TYPE "unknown"
#endif

namespace mt::cli {

using sim::Digest;
using sim::ExpectationResult;
using sim::Progress;
using sim::RunOutput;
using sim::RunResult;
using sim::RunSettings;
using sim::Scenario;

namespace {

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,") ==
                        std::string::npos) {
    return s;
  }
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}


using WallClock = std::chrono::steady_clock;  // harness speed only; never reaches a simulated run

std::uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string hostname() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

class ProgressPrinter {
 public:
  ProgressPrinter(ProgressMode mode, WallClock::time_point start) : mode_(mode), start_(start) {}
  void operator()(const Progress& p) {
    if (mode_ == ProgressMode::none) return;
    const double wall = std::chrono::duration<double>(WallClock::now() - start_).count();
    const double sim_s = static_cast<double>(p.sim_us) / 1e6;
    const double speed = wall > 0 ? sim_s / wall : 0;
    const double eta = speed > 0 ? (static_cast<double>(p.end_us - p.sim_us) / 1e6) / speed : 0;
    char line[256];
    std::snprintf(line, sizeof line, "  t=%7.1fs/%.0fs  height %6llu  finalized %7.1f tx/s  %6.1f sim-s/wall-s  ETA %5.0fs",
                  sim_s, static_cast<double>(p.end_us) / 1e6, static_cast<unsigned long long>(p.height),
                  p.finalized_tps, speed, eta);
    if (mode_ == ProgressMode::bar) {
      std::fprintf(stderr, "\r%s\033[K", line);
    } else {
      const double since = wall - last_line_wall_;
      if (since < 2.0 && p.sim_us < p.end_us) return;  // a plain line every few seconds
      last_line_wall_ = wall;
      std::fprintf(stderr, "%s\n", line);
    }
    std::fflush(stderr);
  }
  void finish() {
    if (mode_ == ProgressMode::bar) std::fprintf(stderr, "\r\033[K");
  }

 private:
  ProgressMode mode_;
  WallClock::time_point start_;
  double last_line_wall_ = -1e9;
};

std::string self_path() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("mtsim") : p.string();
}

Status write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  if (!f) return make_error("cannot write " + p.string());
  f << text;
  return f ? Status{} : Status{make_error("cannot write " + p.string())};
}

// Runs twice (the second run recording per-event digests too) and names the first event where
// the runs part. Returns true when they agree.
bool determinism_holds(const Scenario& scenario, RunSettings settings, const RunOutput& first, std::string& detail) {
  settings.trace_path.clear();
  settings.events.path.clear();
  RunOutput second = sim::run_scenario(scenario, settings);
  if (second.result.digest == first.result.digest) {
    detail = "two runs agree: digest " + first.result.digest;
    return true;
  }
  auto at = Digest::first_divergence(first.per_event_digests, second.per_event_digests);
  detail = "runs parted: digests " + first.result.digest + " vs " + second.result.digest;
  if (at) {
    detail += fmt::format("; first differing event #{} (rerun both with --trace and compare line {} of trace.log)", *at,
                          *at + 1);
  }
  return false;
}

}  // namespace

std::string reproduce_command(const RunOptions& o, std::uint64_t seed) {
  std::string cmd = fmt::format("mtsim run {} --seed {}", shell_quote(o.scenario_path), seed);
  for (const auto& s : o.overrides) cmd += " --set " + shell_quote(s);
  if (o.until_us) cmd += fmt::format(" --until {}ms", *o.until_us / kUsPerMs);
  if (!o.share) cmd += " --no-share";
  return cmd;
}

namespace {

// The outputs a run writes: the scenario's report.outputs, plus --timeline.
reports::OutputSet outputs_of(const Scenario& scenario, const RunOptions& options) {
  auto set = reports::OutputSet::for_scenario(scenario.report.outputs);
  if (options.timeline) set.add(reports::Output::timeline);
  return set;
}

bool wants_events(const Scenario& scenario, const RunOptions& options) {
  const auto& outs = scenario.report.outputs;
  return options.events || std::find(outs.begin(), outs.end(), "events") != outs.end();
}

RunSettings settings_of(const Scenario& scenario, const RunOptions& options, const std::filesystem::path& out_dir) {
  RunSettings settings;
  const auto outputs = outputs_of(scenario, options);
  settings.record_consensus = outputs.has(reports::Output::timeline) || outputs.has(reports::Output::html);
  if (wants_events(scenario, options)) {
    settings.events = sim::EventRequest{(out_dir / "events.jsonl").string(), options.events_heights,
                                        options.events_nodes};
  }
  settings.seed = options.seed;
  settings.until_us = options.until_us;
  settings.share = options.share;
  if (options.trace) settings.trace_path = (out_dir / "trace.log").string();
  if (options.check_determinism) settings.record_event_digests = 20'000'000;
  return settings;
}

// What a replay does not reproduce: where, when and how fast this run went.
void stamp_provenance(RunResult& r, const RunOptions& options, double wall) {
  r.speed.wall_seconds = wall;
  r.speed.sim_seconds_per_wall_second = wall > 0 ? static_cast<double>(r.simulated_us) / 1e6 / wall : 0;
  r.speed.events_per_second = wall > 0 ? static_cast<double>(r.speed.events) / wall : 0;
  r.speed.peak_rss_bytes = peak_rss_bytes();
  r.provenance.mtsim_version = "0.1.0";
  r.provenance.git_commit = MTSIM_GIT_COMMIT;
  r.provenance.build_type = MTSIM_BUILD_TYPE;
  r.provenance.host = hostname();
  r.provenance.started_at_utc = utc_now();
  r.provenance.command_line = options.command_line;
}

// --check-determinism: a second run, reported as one more expectation.
void check_determinism(const Scenario& scenario, const RunSettings& settings, const RunOutput& out, RunResult& r) {
  std::string detail;
  const bool same = determinism_holds(scenario, settings, out, detail);
  ExpectationResult e;
  e.name = "deterministic";
  e.kind = "check";
  e.window = "always";
  e.passed = same;
  e.measured = same ? "identical digests" : "digests differ";
  e.detail = same ? "" : detail;
  e.exit_class = kExitNondeterminism;
  r.expectations.push_back(e);
  if (!same) r.exit_code = kExitNondeterminism;
  std::printf("determinism: %s\n", detail.c_str());
}

// repro.sh replays from the frozen resolved scenario, independent of later edits to the file.
void write_repro_script(const std::filesystem::path& out_dir, const Scenario& scenario, const RunOptions& options,
                        std::vector<std::string>& artifacts) {
  const std::string script = fmt::format(
      "#!/bin/sh\n# Replays {} seed {} exactly (same build).\ncd \"$(dirname \"$0\")\" && exec {} run resolved.yaml "
      "--seed {}{} \"$@\"\n",
      scenario.name, options.seed, self_path(), options.seed, options.share ? "" : " --no-share");
  const auto path = out_dir / "repro.sh";
  if (write_text(path, script).ok()) {
    std::error_code ec;
    std::filesystem::permissions(path, std::filesystem::perms::owner_exec, std::filesystem::perm_options::add, ec);
    artifacts.push_back(path.string());
  }
}

// Reports, plus resolved.yaml and repro.sh when asked for or when the run failed.
std::vector<std::string> write_artifacts(const std::filesystem::path& out_dir, const RunResult& r, const Scenario& scenario,
                                         const RunOptions& options, const std::string& resolved) {
  std::vector<std::string> artifacts;
  auto written = reports::write_all(out_dir, r, outputs_of(scenario, options));
  if (!written.ok()) {
    std::fprintf(stderr, "mtsim: writing reports: %s\n", written.error().message.c_str());
  } else {
    for (const auto& p : written.value()) artifacts.push_back(p.string());
  }
  if (wants_events(scenario, options)) artifacts.push_back((out_dir / "events.jsonl").string());
  if (options.dump_resolved || r.exit_code != kExitOk) {
    if (write_text(out_dir / "resolved.yaml", resolved).ok()) artifacts.push_back((out_dir / "resolved.yaml").string());
  }
  if (r.exit_code != kExitOk) write_repro_script(out_dir, scenario, options, artifacts);
  return artifacts;
}

}  // namespace

int run_main(const Scenario& scenario, const RunOptions& options) {
  const std::uint64_t seed = options.seed;
  // The seed comes first, always.
  std::printf("mtsim: scenario %s, seed %llu\n", scenario.name.c_str(), static_cast<unsigned long long>(seed));
  for (const auto& w : scenario.warnings) std::printf("warning: %s\n", w.c_str());
  std::fflush(stdout);

  const std::filesystem::path out_dir =
      options.out_dir.empty() ? std::filesystem::path("runs") / (fmt::format("{}-seed{}", scenario.name, seed))
                              : std::filesystem::path(options.out_dir);
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "mtsim: cannot create %s: %s\n", out_dir.c_str(), ec.message().c_str());
    return kExitInternal;
  }
  const std::string resolved = sim::to_yaml(scenario);
  const RunSettings settings = settings_of(scenario, options, out_dir);
  const auto start = WallClock::now();
  ProgressPrinter printer(options.progress, start);
  RunOutput out = sim::run_scenario(scenario, settings, [&](const Progress& p) { printer(p); });
  printer.finish();
  const double wall = std::chrono::duration<double>(WallClock::now() - start).count();
  if (!out.error.empty()) {
    std::fprintf(stderr, "mtsim: %s: %s\n", options.scenario_path.c_str(), out.error.c_str());
    return kExitBadScenario;
  }
  RunResult& r = out.result;
  r.scenario_file = options.scenario_path;
  r.scenario_hash = crypto::blake2b256(as_bytes(resolved)).hex();
  r.reproduce_command = reproduce_command(options, seed);
  stamp_provenance(r, options, wall);
  if (options.check_determinism) check_determinism(scenario, settings, out, r);
  const auto artifacts = write_artifacts(out_dir, r, scenario, options, resolved);
  reports::print_summary(std::cout, r, options.color == ColorMode::always, artifacts);
  std::cout.flush();
  return r.exit_code;
}

}  // namespace mt::cli

#include "sim/runner/shrink.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>

#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim {

namespace {

constexpr TimeUs kMinDurationUs = 5 * kUsPerSec;  // shorter than a few blocks proves little

std::string emit(const YAML::Node& n) {
  YAML::Emitter out;
  out << n;
  return std::string(out.c_str()) + "\n";
}

struct Attempt {
  bool failed_same = false;
  int exit_code = 0;
  std::optional<ShrinkSize> size;
};

ShrinkSize size_of(const Scenario& s) {
  ShrinkSize z;
  z.validators = s.validators.size();
  z.faults = s.faults.size();
  z.load_segments = s.load.size();
  z.duration_us = s.duration_us.value_or(0);
  return z;
}

// The positions of the failing expectations (the shrinker never edits `expect:`, so a position
// names the same expectation in every attempt).
std::vector<std::size_t> failing_positions(const RunResult& r) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < r.expectations.size(); ++i) {
    if (!r.expectations[i].passed) out.push_back(i);
  }
  return out;
}

std::string names_at(const RunResult& r, const std::vector<std::size_t>& positions) {
  std::string out;
  for (std::size_t i : positions) out += (out.empty() ? "" : ", ") + r.expectations[i].name;
  return out;
}

// A simplification may not end the run before an expectation's explicit window does: a window cut
// short measures something else (a liveness bound over a window that ends early fails for the
// wrong reason), so the shrunk scenario would fail for a reason the original did not.
TimeUs duration_floor(const Scenario& s) {
  TimeUs floor = 0;
  for (const auto& e : s.expect) {
    if (e.window.kind == Window::Kind::range) floor = std::max(floor, e.window.until_us);
  }
  return floor;
}

class Shrinker {
 public:
  Shrinker(std::string file, std::uint64_t seed, std::size_t max_runs, const std::function<void(const std::string&)>& log)
      : file_(std::move(file)), seed_(seed), max_runs_(max_runs), log_(log) {}

  // Runs `yaml`; failed_same when every expectation at `targets` still fails.
  Attempt attempt(const std::string& yaml, const std::vector<std::size_t>& targets) {
    Attempt a;
    if (runs_ >= max_runs_) return a;
    auto s = load_scenario_text(yaml, file_);
    if (!s.ok()) return a;  // a simplification that breaks the scenario is simply not taken
    ++runs_;
    RunSettings settings;
    settings.seed = seed_;
    auto out = run_scenario(s.value(), settings);
    if (!out.error.empty()) return a;
    a.exit_code = out.result.exit_code;
    a.size = size_of(s.value());
    const auto& got = out.result.expectations;
    a.failed_same = std::all_of(targets.begin(), targets.end(),
                                [&](std::size_t i) { return i < got.size() && !got[i].passed; });
    return a;
  }
  [[nodiscard]] std::size_t runs() const { return runs_; }
  [[nodiscard]] bool exhausted() const { return runs_ >= max_runs_; }
  void log(const std::string& m) const {
    if (log_) log_(m);
  }

 private:
  std::string file_;
  std::uint64_t seed_;
  std::size_t max_runs_;
  std::size_t runs_ = 0;
  const std::function<void(const std::string&)>& log_;
};

// Candidate simplifications of the current document, most effective first.
std::vector<std::pair<std::string, YAML::Node>> candidates(const YAML::Node& doc, TimeUs duration_floor_us) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  auto with = [&](const std::string& what, const std::function<void(YAML::Node&)>& edit) {
    YAML::Node copy = YAML::Clone(doc);
    edit(copy);
    out.emplace_back(what, copy);
  };
  if (doc["nemesis"]) with("drop the nemesis", [](YAML::Node& d) { d.remove("nemesis"); });
  if (doc["faults"] && doc["faults"].IsSequence()) {
    for (std::size_t i = doc["faults"].size(); i-- > 0;) {
      with(fmt::format("drop fault {}", i + 1), [i](YAML::Node& d) { d["faults"].remove(i); });
    }
  }
  if (doc["validators"] && doc["validators"].IsSequence()) {
    for (std::size_t i = 0; i < doc["validators"].size(); ++i) {
      auto c = doc["validators"][i]["count"];
      if (!c || !c.IsScalar()) continue;
      const auto n = c.as<long long>(0);
      if (n > 1) {
        with(fmt::format("halve group {} to {}", i + 1, (n + 1) / 2),
             [i, n](YAML::Node& d) { d["validators"][i]["count"] = (n + 1) / 2; });
        with(fmt::format("group {} to {}", i + 1, n - 1),
             [i, n](YAML::Node& d) { d["validators"][i]["count"] = n - 1; });
      }
    }
  }
  if (doc["load"] && doc["load"].IsSequence()) {
    for (std::size_t i = doc["load"].size(); i-- > 0;) {
      with(fmt::format("drop load segment {}", i + 1), [i](YAML::Node& d) { d["load"].remove(i); });
    }
  }
  if (doc["duration"] && doc["duration"].IsScalar()) {
    auto d = parse_duration(doc["duration"].as<std::string>());
    if (d.ok() && d.value() / 2 >= std::max<TimeUs>(kMinDurationUs, duration_floor_us)) {
      const auto half_ms = d.value() / 2 / kUsPerMs;
      with(fmt::format("halve duration to {}ms", half_ms), [half_ms](YAML::Node& n) {
        n["duration"] = fmt::format("{}ms", half_ms);
        if (n["warmup"]) n["warmup"] = "0s";
      });
    }
  }
  return out;
}

}  // namespace

std::string ShrinkSize::describe() const {
  return fmt::format("{} validators, {} faults, {} load segments, {}s", validators, faults, load_segments,
                     duration_us / kUsPerSec);
}

Result<ShrinkOutcome> shrink_scenario(const std::string& text, const std::string& file, std::uint64_t seed,
                                      std::size_t max_runs, const std::function<void(const std::string&)>& log) {
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return make_error(file + ": " + e.what());
  }
  auto first = load_scenario_text(text, file);
  if (!first.ok()) return first.error();
  RunSettings settings;
  settings.seed = seed;
  auto base = run_scenario(first.value(), settings);
  if (!base.error.empty()) return make_error(base.error);
  ShrinkOutcome out;
  const std::vector<std::size_t> targets = failing_positions(base.result);
  out.failing = names_at(base.result, targets);
  const TimeUs floor_us = duration_floor(first.value());
  if (targets.empty()) {
    return make_error(fmt::format("the scenario passes with seed {}: nothing to shrink", seed));
  }
  out.before = size_of(first.value());
  out.after = out.before;
  out.exit_code = base.result.exit_code;
  Shrinker shrinker(file, seed, max_runs, log);
  bool progress = true;
  while (progress && !shrinker.exhausted()) {
    progress = false;
    for (auto& [what, cand] : candidates(doc, floor_us)) {
      const std::string yaml = emit(cand);
      Attempt a = shrinker.attempt(yaml, targets);
      shrinker.log((a.failed_same ? "  kept:   " : "  tried:  ") + what);
      if (!a.failed_same) continue;
      doc = cand;
      out.steps.push_back(what);
      out.exit_code = a.exit_code;
      if (a.size) out.after = *a.size;
      progress = true;
      break;  // recompute candidates from the smaller scenario
    }
  }
  out.runs = shrinker.runs() + 1;
  out.minimal_yaml = fmt::format("# Shrunk by `mtsim shrink` (seed {}): still fails ", seed) + out.failing +
                     ".\n# From " + out.before.describe() + " to " + out.after.describe() + ".\n" + emit(doc);
  return out;
}

}  // namespace mt::sim

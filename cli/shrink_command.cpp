// `mtsim shrink FILE --seed N [--out MIN.yaml] [--max-runs K]`: simplify a failing scenario
// while the same expectation still fails, write the minimal one and say how much smaller it is.
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

#include "cli/commands.hpp"
#include "sim/run/exit_codes.hpp"
#include "sim/runner/shrink.hpp"
#include "sim/scenario/units.hpp"

namespace mt::cli {

void print_shrink_help() {
  std::printf(
      "usage: mtsim shrink FILE --seed N [--out MIN.yaml] [--max-runs K]\n"
      "  Repeatedly simplifies FILE (drops the nemesis, faults and load segments, removes validators,\n"
      "  halves the duration) and keeps a step only while the same expectation still fails with\n"
      "  seed N. Writes the minimal scenario (default: FILE with .min.yaml) and prints its size.\n"
      "  --max-runs K   at most K simulation runs (default 60)\n");
}

namespace {

struct ShrinkArgs {
  std::string file, out;
  std::uint64_t seed = 1;
  std::size_t max_runs = 60;
};

// Parses the arguments; an exit code when the command stops here (help, or a usage error).
std::optional<int> parse_shrink_args(const std::vector<std::string>& args, ShrinkArgs& o) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--help" || a == "-h") {
      print_shrink_help();
      return kExitOk;
    }
    if (a == "--seed" || a == "--out" || a == "--max-runs") {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "mtsim shrink: %s needs a value\n", a.c_str());
        return kExitUsage;
      }
      const std::string& v = args[++i];
      if (a == "--out") {
        o.out = v;
        continue;
      }
      auto n = sim::parse_count(v);
      if (!n.ok()) {
        std::fprintf(stderr, "mtsim shrink: %s: %s\n", a.c_str(), n.error().message.c_str());
        return kExitUsage;
      }
      (a == "--seed" ? o.seed : o.max_runs) = n.value();
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "mtsim shrink: unknown option '%s' (see mtsim help shrink)\n", a.c_str());
      return kExitUsage;
    } else if (o.file.empty()) {
      o.file = a;
    } else {
      std::fprintf(stderr, "mtsim shrink: one scenario file at a time\n");
      return kExitUsage;
    }
  }
  if (o.file.empty()) {
    std::fprintf(stderr, "mtsim shrink: no scenario file (see mtsim help shrink)\n");
    return kExitUsage;
  }
  return std::nullopt;
}

// "x.yaml" -> "x.min.yaml"
std::string minimal_path(const std::string& file) {
  std::string out = file;
  if (out.size() > 5 && out.substr(out.size() - 5) == ".yaml") out.resize(out.size() - 5);
  return out + ".min.yaml";
}

}  // namespace

int shrink_command(const std::vector<std::string>& args) {
  ShrinkArgs o;
  if (auto stop = parse_shrink_args(args, o)) return *stop;
  std::ifstream in(o.file);
  if (!in) {
    std::fprintf(stderr, "mtsim shrink: cannot read %s\n", o.file.c_str());
    return kExitBadScenario;
  }
  std::stringstream text;
  text << in.rdbuf();
  if (o.out.empty()) o.out = minimal_path(o.file);
  std::printf("mtsim: shrinking %s, seed %llu\n", o.file.c_str(), static_cast<unsigned long long>(o.seed));
  auto r = sim::shrink_scenario(text.str(), o.file, o.seed, o.max_runs, [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  });
  if (!r.ok()) {
    std::fprintf(stderr, "mtsim shrink: %s\n", r.error().message.c_str());
    return kExitBadScenario;
  }
  std::ofstream out(o.out, std::ios::trunc);
  out << r.value().minimal_yaml;
  if (!out) {
    std::fprintf(stderr, "mtsim shrink: cannot write %s\n", o.out.c_str());
    return kExitInternal;
  }
  const auto& v = r.value();
  std::printf("still fails %s (exit %d) after %zu runs\n  before: %s\n  after:  %s\nwrote %s\nreplay: mtsim run %s --seed %llu\n",
              v.failing.c_str(), v.exit_code, v.runs, v.before.describe().c_str(), v.after.describe().c_str(),
              o.out.c_str(), o.out.c_str(), static_cast<unsigned long long>(o.seed));
  return v.exit_code;
}

}  // namespace mt::cli

// `mtsim shrink FILE --seed N [--out MIN.yaml] [--max-runs K]`: simplify a failing scenario
// while the same expectation still fails, write the minimal one and say how much smaller it is.
#include <cstdio>
#include <fstream>
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

int shrink_command(const std::vector<std::string>& args) {
  std::string file, out;
  std::uint64_t seed = 1;
  std::size_t max_runs = 60;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto next = [&]() -> const std::string* { return i + 1 < args.size() ? &args[++i] : nullptr; };
    if (a == "--help" || a == "-h") {
      print_shrink_help();
      return kExitOk;
    } else if (a == "--seed" || a == "--out" || a == "--max-runs") {
      const std::string* v = next();
      if (v == nullptr) {
        std::fprintf(stderr, "mtsim shrink: %s needs a value\n", a.c_str());
        return kExitUsage;
      }
      if (a == "--out") {
        out = *v;
        continue;
      }
      auto n = sim::parse_count(*v);
      if (!n.ok()) {
        std::fprintf(stderr, "mtsim shrink: %s: %s\n", a.c_str(), n.error().message.c_str());
        return kExitUsage;
      }
      (a == "--seed" ? seed : max_runs) = n.value();
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "mtsim shrink: unknown option '%s' (see mtsim help shrink)\n", a.c_str());
      return kExitUsage;
    } else if (file.empty()) {
      file = a;
    } else {
      std::fprintf(stderr, "mtsim shrink: one scenario file at a time\n");
      return kExitUsage;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "mtsim shrink: no scenario file (see mtsim help shrink)\n");
    return kExitUsage;
  }
  std::ifstream in(file);
  if (!in) {
    std::fprintf(stderr, "mtsim shrink: cannot read %s\n", file.c_str());
    return kExitBadScenario;
  }
  std::stringstream text;
  text << in.rdbuf();
  if (out.empty()) {
    out = file;
    if (out.size() > 5 && out.substr(out.size() - 5) == ".yaml") out.resize(out.size() - 5);
    out += ".min.yaml";
  }
  std::printf("mtsim: shrinking %s, seed %llu\n", file.c_str(), static_cast<unsigned long long>(seed));
  auto r = sim::shrink_scenario(text.str(), file, seed, max_runs, [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  });
  if (!r.ok()) {
    std::fprintf(stderr, "mtsim shrink: %s\n", r.error().message.c_str());
    return kExitBadScenario;
  }
  std::ofstream o(out, std::ios::trunc);
  o << r.value().minimal_yaml;
  if (!o) {
    std::fprintf(stderr, "mtsim shrink: cannot write %s\n", out.c_str());
    return kExitInternal;
  }
  const auto& v = r.value();
  std::printf("still fails %s (exit %d) after %zu runs\n  before: %s\n  after:  %s\nwrote %s\nreplay: mtsim run %s --seed %llu\n",
              v.failing.c_str(), v.exit_code, v.runs, v.before.describe().c_str(), v.after.describe().c_str(),
              out.c_str(), out.c_str(), static_cast<unsigned long long>(seed));
  return v.exit_code;
}

}  // namespace mt::cli

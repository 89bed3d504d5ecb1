#include "cli/common_options.hpp"

#include <cstdio>

#include "sim/scenario/units.hpp"

namespace po = boost::program_options;

namespace mt::cli {

void add_common_options(po::options_description& desc) {
  desc.add_options()("seed", po::value<std::string>(), "seed")(
      "set", po::value<std::vector<std::string>>()->composing(), "override")("until", po::value<std::string>(), "until")(
      "out", po::value<std::string>(), "out")("progress", po::value<std::string>(), "progress")(
      "color", po::value<std::string>(), "color")("quiet,q", "quiet");
}

namespace {

bool read_progress(const std::string& command, const po::variables_map& vm, CommonOptions& o) {
  if (vm.count("progress") == 0) return true;
  const auto v = vm["progress"].as<std::string>();
  if (v == "auto") o.progress = ProgressMode::auto_detect;
  else if (v == "bar") o.progress = ProgressMode::bar;
  else if (v == "lines") o.progress = ProgressMode::lines;
  else if (v == "none") o.progress = ProgressMode::none;
  else {
    std::fprintf(stderr, "mtsim %s: --progress must be auto, bar, lines or none, not '%s'\n", command.c_str(), v.c_str());
    return false;
  }
  return true;
}

bool read_color(const std::string& command, const po::variables_map& vm, CommonOptions& o) {
  if (vm.count("color") == 0) return true;
  const auto v = vm["color"].as<std::string>();
  if (v == "auto") o.color = ColorMode::auto_detect;
  else if (v == "always") o.color = ColorMode::always;
  else if (v == "never") o.color = ColorMode::never;
  else {
    std::fprintf(stderr, "mtsim %s: --color must be auto, always or never, not '%s'\n", command.c_str(), v.c_str());
    return false;
  }
  return true;
}

bool read_numbers(const std::string& command, const po::variables_map& vm, CommonOptions& o) {
  if (vm.count("seed") != 0) {
    auto seed = sim::parse_count(vm["seed"].as<std::string>());
    if (!seed) {
      std::fprintf(stderr, "mtsim %s: --seed: %s\n", command.c_str(), seed.error().message.c_str());
      return false;
    }
    o.seed = seed.value();
  }
  if (vm.count("until") != 0) {
    auto until = sim::parse_duration(vm["until"].as<std::string>());
    if (!until || until.value() == 0) {
      std::fprintf(stderr, "mtsim %s: --until needs a duration above 0 such as 90s\n", command.c_str());
      return false;
    }
    o.until_us = until.value();
  }
  return true;
}

}  // namespace

bool read_common_options(const std::string& command, const po::variables_map& vm, CommonOptions& o) {
  if (!read_numbers(command, vm, o) || !read_progress(command, vm, o) || !read_color(command, vm, o)) return false;
  if (vm.count("set") != 0) o.overrides = vm["set"].as<std::vector<std::string>>();
  if (vm.count("out") != 0) o.out_dir = vm["out"].as<std::string>();
  if (vm.count("quiet") != 0) {
    if (vm.count("progress") != 0 && o.progress != ProgressMode::none) {
      std::fprintf(stderr, "mtsim %s: --quiet and --progress %s contradict each other\n", command.c_str(),
                   vm["progress"].as<std::string>().c_str());
      return false;
    }
    o.progress = ProgressMode::none;
  }
  o.progress = resolve_progress(o.progress);
  o.color = resolve_color(o.color);
  return true;
}

}  // namespace mt::cli

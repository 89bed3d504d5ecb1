// `mtsim explain`'s story: a run that crashes the proposers of the next height's rounds 0, 1
// and 2 just before that height begins is told as three rounds whose proposers are named, crashed
// by their faults, each failing on its propose timeout, and a fourth round that decides.
#include <doctest/doctest.h>

#include <filesystem>

#include <fmt/format.h>

#include "sim/explain/story_output.hpp"
#include "sim/runner/runner.hpp"
#include "sim/runner/world_builder.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/world/world.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kTen = R"(version: 1
name: explain-three-proposers
duration: 30s
chain: { block_time: 1s }
network:
  latency: { default: { dist: constant, value: 10ms } }
  peers: full_mesh
validators:
  - { group: v, count: 10, stake: 1000 }
expect:
  - { check: no_conflicting_finality }
)";

constexpr std::uint64_t kSeed = 4;

Scenario load(const std::string& text) {
  auto s = load_scenario_text(text, "explain-three-proposers.yaml");
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return std::move(s).value();
}

// Runs the fault-free world until some node has committed height 5 and returns that moment with
// the proposers (node indices) of height 6's rounds 0, 1 and 2.
std::pair<TimeUs, std::vector<std::size_t>> next_proposers(const Scenario& s) {
  auto config = build_world_config(s, kSeed, true);
  REQUIRE(config.ok());
  auto world = World::create(std::move(config).value());
  REQUIRE(world.ok());
  World& w = *world.value();
  w.start(sec(20));
  TimeUs t = 0;
  while (w.max_height() < 5) w.scheduler().run_until(t += ms(1));
  const Node* lead = nullptr;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w.height_of(i) == 5) lead = w.node(i);
  }
  REQUIRE(lead != nullptr);
  std::vector<std::size_t> proposers;
  for (std::uint32_t r = 0; r < 3; ++r) {
    proposers.push_back(static_cast<std::size_t>(w.view().node_by_address(lead->state()->validator_set().proposer_for_round(r))));
  }
  return {t, proposers};
}
}  // namespace

TEST_CASE("explain names the three crashed proposers of a height and their faults") {
  const auto [t, proposers] = next_proposers(load(kTen));
  std::string faults = "faults:\n";
  for (std::size_t k = 0; k < 3; ++k) {
    faults += fmt::format("  - {{ id: crash{}, at: {}ms, crash: \"v[{}]\" }}\n", k, t / kUsPerMs + 1, proposers[k]);
  }
  std::string text = kTen;
  text.insert(text.find("expect:"), faults);
  const auto path = std::filesystem::temp_directory_path() / "mtsim-explain-three.jsonl";
  RunSettings settings;
  settings.seed = kSeed;
  settings.events.path = path.string();
  auto out = run_scenario(load(text), settings);
  REQUIRE_MESSAGE(out.error.empty(), out.error);
  auto log = read_event_log(path.string());
  REQUIRE_MESSAGE(log.ok(), (log.ok() ? "" : log.error().message));

  const HeightStory story = tell_height(log.value(), 6);
  REQUIRE(story.rounds.size() == 4);
  for (std::size_t k = 0; k < 3; ++k) {
    const RoundStory& r = story.rounds[k];
    const std::string name = fmt::format("v[{}]", proposers[k]);
    CHECK(r.proposer == static_cast<std::int64_t>(proposers[k]));
    CHECK(r.proposer_state == "crashed");
    CHECK(r.proposer_fault == fmt::format("crash{}", k));
    CHECK_MESSAGE(r.why.find(fmt::format("proposer {} crashed (fault crash{}) -> propose timeout", name, k)) !=
                      std::string::npos,
                  r.why);
    CHECK(r.prevotes.missing == 3000);  // the three crashed validators
    CHECK(r.prevotes.block == 0);
  }
  CHECK(story.rounds[3].decided);
  CHECK(story.decided_round == 3u);
  CHECK(worst_height(log.value()) == 6u);  // explain opens here without --height
  const std::string screen = story_text(log.value(), story, {});
  CHECK(screen.find(fmt::format("round 0: proposer v[{}] crashed (fault crash0)", proposers[0])) != std::string::npos);
  std::filesystem::remove(path);
}

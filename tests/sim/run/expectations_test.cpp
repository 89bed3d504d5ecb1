// The expectation set turns a scenario's `expect:` list into live checks and, at the end, into
// results in scenario order: each check and metric can pass and fail, windows gate what a check
// sees (steady leaves out warm-up and each fault plus its settling time), a safety violation is
// visible as it happens, and the exit code follows the worst failure.
#include <doctest/doctest.h>

#include "sim/run/expectations.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "tests/sim/checks/check_events.hpp"

using namespace mt;
using namespace mt::sim;
using namespace mt::sim::test;

namespace {

const char* kExpect = R"(version: 1
name: expectations
duration: 60s
warmup: 5s
chain: { block_time: 1s }
validators:
  - { group: v, count: 4, stake: 1000 }
faults:
  - { id: split, at: 10s, partition: { isolate: "v[0]" }, duration: 10s }
expect:
  - { check: no_conflicting_finality }
  - { check: chain_height, min: 5 }
  - { check: state_root_agreement, window: during:split }
  - { metric: block_interval.max, window: always, max: 2s }
)";

Scenario load(const std::vector<std::string>& sets = {}) {
  auto s = load_scenario_text(kExpect, "expectations.yaml", sets);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return std::move(s).value();
}

// Every node commits heights 1..n, one a second, the same blocks and roots.
void feed_chain(ExpectationSet& set, MetricsCollector& metrics, std::size_t nodes, std::uint64_t n) {
  for (std::uint64_t height = 1; height <= n; ++height) {
    for (std::size_t node = 0; node < nodes; ++node) {
      const TimeUs t = sec(static_cast<std::int64_t>(height));
      set.on_event(node, t, commit(height, "b" + std::to_string(height)));
      metrics.on_event(node, t, commit(height, "b" + std::to_string(height)));
    }
  }
}

}  // namespace

TEST_CASE("a healthy run passes every expectation, reported in scenario order with its source line") {
  const auto s = load();
  RunView view = make_view(4);
  view.faults.push_back(FaultWindow{"split", "partition", "v[0]", sec(10), sec(20)});
  ExpectationSet set(s, view, nullptr, crypto::Backend::fast, 1);
  MetricsCollector metrics(view, kUsPerSec);
  feed_chain(set, metrics, 4, 30);
  CHECK_FALSE(set.safety_violated());
  const auto results = set.finish(sec(30), metrics);
  REQUIRE(results.size() == 4);
  CHECK(results[0].name == "no_conflicting_finality");
  CHECK(results[1].name == "chain_height");
  CHECK(results[2].name == "state_root_agreement");
  CHECK(results[3].name == "block_interval.max");
  CHECK(results[3].kind == "metric");
  CHECK(results[3].threshold == "<= 2000.00 ms");
  for (const auto& r : results) {
    CAPTURE(r.name);
    CHECK(r.passed);
    CHECK(r.source_file == "expectations.yaml");
    CHECK(r.source_line > 0);
  }
  CHECK(exit_code_of(results) == kExitOk);
}

TEST_CASE("conflicting finality is a safety violation as it happens, and the exit code says safety") {
  const auto s = load();
  RunView view = make_view(4);
  ExpectationSet set(s, view, nullptr, crypto::Backend::fast, 1);
  MetricsCollector metrics(view, kUsPerSec);
  feed_chain(set, metrics, 4, 3);
  set.on_event(1, sec(4), commit(4, "x"));
  CHECK_FALSE(set.safety_violated());
  set.on_event(2, sec(4), commit(4, "y"));
  CHECK(set.safety_violated());
  const auto results = set.finish(sec(5), metrics);
  CHECK_FALSE(results[0].passed);
  CHECK(results[0].exit_class == kExitSafety);
  CHECK(results[0].detail.find("4.000s") != std::string::npos);
  CHECK_FALSE(results[1].passed);  // height 3 < 5: liveness missed too, but safety dominates
  CHECK(results[1].exit_class == kExitLiveness);
  CHECK(exit_code_of(results) == kExitSafety);
}

TEST_CASE("a metric past its bound fails with what was measured; a check sees only its window") {
  const auto s = load();
  RunView view = make_view(4);
  view.faults.push_back(FaultWindow{"split", "partition", "v[0]", sec(10), sec(20)});
  ExpectationSet set(s, view, nullptr, crypto::Backend::fast, 1);
  MetricsCollector metrics(view, kUsPerSec);
  feed_chain(set, metrics, 4, 8);
  // Height 9 after a 5 s stall, and a state root that disagrees outside the during:split window.
  for (std::size_t node = 0; node < 4; ++node) {
    set.on_event(node, sec(13), commit(9, "b9", node == 0 ? "other" : "root"));
    metrics.on_event(node, sec(13), commit(9, "b9"));
  }
  const auto results = set.finish(sec(14), metrics);
  CHECK_FALSE(results[2].passed);  // 13 s is inside [10 s, 20 s): the disagreement counts
  CHECK(results[2].exit_class == kExitSafety);
  CHECK_FALSE(results[3].passed);
  CHECK(results[3].measured == "5000.00 ms");
  CHECK(results[3].detail.find("expected <= 2000.00 ms") != std::string::npos);
  CHECK(exit_code_of(results) == kExitSafety);

  // The same disagreement before the fault starts is outside the check's window.
  ExpectationSet before(s, view, nullptr, crypto::Backend::fast, 1);
  before.on_event(0, sec(3), commit(3, "b3", "other"));
  before.on_event(1, sec(3), commit(3, "b3", "root"));
  MetricsCollector none(view, kUsPerSec);
  CHECK(before.finish(sec(4), none)[2].passed);
}

TEST_CASE("steady leaves out warm-up and each fault plus two blocks of settling; during and after follow the fault") {
  const auto s = load();
  RunView view = make_view(4);
  view.faults.push_back(FaultWindow{"split", "partition", "v[0]", sec(10), sec(20)});
  ExpectationSet set(s, view, nullptr, crypto::Backend::fast, 1);
  const auto steady = set.steady(sec(60));
  REQUIRE(steady.parts().size() == 2);
  CHECK(steady.parts()[0] == std::pair<TimeUs, TimeUs>{sec(5), sec(10)});
  CHECK(steady.parts()[1] == std::pair<TimeUs, TimeUs>{sec(22), sec(60) + 1});
  const auto during = set.window_set(Window{Window::Kind::during, "split", 0, 0}, sec(60));
  CHECK(during.parts() == std::vector<std::pair<TimeUs, TimeUs>>{{sec(10), sec(20)}});
  const auto after = set.window_set(Window{Window::Kind::after, "split", 0, 0}, sec(60));
  CHECK(after.parts() == std::vector<std::pair<TimeUs, TimeUs>>{{sec(20), sec(60) + 1}});
  // A fault still open at the end: steady stops at its start, after is empty.
  view.faults[0].end_us = -1;
  CHECK(set.steady(sec(60)).parts().size() == 1);
  CHECK(set.window_set(Window{Window::Kind::after, "split", 0, 0}, sec(60)).empty());
}

TEST_CASE("exit_code_of: safety dominates, then an expectation that could not be evaluated, then liveness") {
  auto failed = [](int exit_class) {
    ExpectationResult r;
    r.exit_class = exit_class;
    return r;
  };
  ExpectationResult ok;
  ok.passed = true;
  ok.exit_class = kExitSafety;
  CHECK(exit_code_of({}) == kExitOk);
  CHECK(exit_code_of({ok}) == kExitOk);
  CHECK(exit_code_of({ok, failed(kExitLiveness)}) == kExitLiveness);
  CHECK(exit_code_of({failed(kExitLiveness), failed(kExitInternal)}) == kExitInternal);
  CHECK(exit_code_of({failed(kExitInternal), failed(kExitSafety), failed(kExitLiveness)}) == kExitSafety);
}

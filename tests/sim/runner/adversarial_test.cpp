// The shipped adversarial scenarios (scenarios/adversarial/) run through the runner and give the
// verdicts BFT theory predicts: crashes and partitions below the fault threshold keep the chain
// safe (and live where a quorum remains), equivocators are slashed, and a weakened quorum with an
// equivocating bridge forks, which no_conflicting_finality detects (exit 1), while the default
// quorum in the same setup does not fork.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"

using namespace mt;
using namespace mt::sim;

namespace {

RunOutput run_shipped(const std::string& name, const std::vector<std::string>& sets = {}) {
  const std::string path = std::string(MTSIM_SOURCE_DIR) + "/scenarios/adversarial/" + name;
  std::vector<std::string> all{"chain.crypto=fast"};  // same protocol, cheaper signatures
  all.insert(all.end(), sets.begin(), sets.end());
  auto s = load_scenario(path, all);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  RunSettings settings;
  settings.seed = s.value().seed.value_or(1);
  auto out = run_scenario(s.value(), settings);
  REQUIRE_MESSAGE(out.error.empty(), out.error);
  return out;
}

const ExpectationResult* find(const RunOutput& out, const std::string& name) {
  for (const auto& e : out.result.expectations) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

void all_pass(const RunOutput& out) {
  for (const auto& e : out.result.expectations) CHECK_MESSAGE(e.passed, (e.name + ": " + e.detail));
  CHECK(out.result.exit_code == 0);
}

}  // namespace

TEST_CASE("a weak quorum (1/2) with an equivocating bridge forks and no_conflicting_finality fails with exit 1") {
  auto out = run_shipped("weak-quorum-fork.yaml");
  const auto* e = find(out, "no_conflicting_finality");
  REQUIRE(e != nullptr);
  CHECK_FALSE(e->passed);
  CHECK_FALSE(e->detail.empty());
  CHECK(out.result.exit_code == 1);
}

TEST_CASE("the same bridge setup with the default 2/3 quorum halts instead of forking") {
  auto out = run_shipped("weak-quorum-fork.yaml", {"chain.quorum=2/3"});
  const auto* e = find(out, "no_conflicting_finality");
  REQUIRE(e != nullptr);
  CHECK(e->passed);
  CHECK(out.result.exit_code == 0);
}

TEST_CASE("equivocating validators under a third of stake are slashed and honest ones never") {
  all_pass(run_shipped("equivocators-slashed.yaml"));
}

TEST_CASE("a proposer of blocks with a wrong state root never gets one finalized; the chain continues") {
  all_pass(run_shipped("invalid-block-proposer.yaml"));
}

TEST_SUITE("slow") {
  TEST_CASE("crashing just under a third of stake keeps finality going") {
    all_pass(run_shipped("crash-under-third.yaml"));
  }

  TEST_CASE("crashing just over a third halts finality until the crashed nodes restart") {
    auto out = run_shipped("crash-over-third.yaml");
    all_pass(out);
    const auto* stall = find(out, "longest_stall");
    REQUIRE(stall != nullptr);
    CHECK(stall->passed);
  }

  TEST_CASE("a 50/50 partition halts both sides without a fork and recovers after the heal") {
    all_pass(run_shipped("partition-half.yaml"));
  }

  TEST_CASE("clock skew on a minority leaves the chain safe and live") {
    all_pass(run_shipped("clock-skew-minority.yaml"));
  }

  TEST_CASE("a restart storm over a third of the validators causes no double signing") {
    all_pass(run_shipped("restart-storm.yaml"));
  }

  TEST_CASE("validators crashed right after their precommit restart without forking or being slashed") {
    auto out = run_shipped("crash-after-precommit.yaml");
    all_pass(out);
    REQUIRE(out.result.faults.size() == 3);
    for (const auto& f : out.result.faults) CHECK(f.start_us > 0);  // every protocol point was reached
  }

  TEST_CASE("forged evidence and next-height vote spam are rejected and slash nobody honest") {
    all_pass(run_shipped("forged-evidence.yaml"));
  }

  TEST_CASE("out-of-turn blocks, doubled or stale self-evidence, back-dated blocks and forged sync are refused") {
    all_pass(run_shipped("forged-blocks.yaml"));
  }

  TEST_CASE("a message rule dropping round-0 proposals moves those heights to round 1") {
    auto out = run_shipped("drop-round0-proposals.yaml");
    all_pass(out);
    for (const auto& b : out.result.blocks) CHECK((b.round >= 1) == (b.height >= 5 && b.height <= 8));
  }
}

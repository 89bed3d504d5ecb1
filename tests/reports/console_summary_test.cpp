// The console summary: every expectation with PASS/FAIL and measured vs threshold, key metrics,
// artifact paths, the reproduce command on failure, colour only when asked.
#include <doctest/doctest.h>

#include <sstream>

#include "reports/console_summary.hpp"
#include "tests/reports/sample_run.hpp"

using namespace mt;
using namespace mt::reports;
using namespace mt::reports::testing;

TEST_CASE("a failing run prints each expectation, the key metrics and ends with the reproduce command") {
  std::ostringstream out;
  print_summary(out, make_sample_run(42), false, {"out/report.json", "out/report.html"});
  auto text = out.str();
  CHECK(text.find("FAIL  tps.finalized.mean") != std::string::npos);
  CHECK(text.find("measured 41.7 tx/s vs >= 50 tx/s") != std::string::npos);
  CHECK(text.find("PASS  no_conflicting_finality") != std::string::npos);
  for (const char* key : {"finalized TPS (steady)", "finality latency ms", "block interval ms", "rounds per height",
                          "heights", "resources (steady)", "evidence / slashing", "messages by type", "harness speed", "p99", "prevote"}) {
    CHECK_MESSAGE(text.find(key) != std::string::npos, key);
  }
  // 60 heights in 1.25 s of wall time.
  CHECK(text.find("97.6 sim s per wall s, 48.0 heights per wall s") != std::string::npos);
  CHECK(text.find("out/report.html") != std::string::npos);
  CHECK(text.ends_with("reproduce: mtsim run scenarios/partition-heal.yaml --seed 42\n"));
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("a passing run prints no reproduce line, and colour appears only when asked") {
  std::ostringstream plain, colored;
  print_summary(plain, make_passing_run(), false);
  print_summary(colored, make_passing_run(), true);
  CHECK(plain.str().find("reproduce:") == std::string::npos);
  CHECK(plain.str().find('\x1b') == std::string::npos);
  CHECK(colored.str().find("\x1b[32;1mPASS\x1b[0m") != std::string::npos);
}

// junit.xml: well-formed, escaped, one suite per scenario and one case per expectation per seed,
// failures carrying the reproduce command.
#include <doctest/doctest.h>

#include "reports/junit_writer.hpp"
#include "tests/reports/sample_run.hpp"
#include "tests/reports/xml_checker.hpp"

using namespace mt;
using namespace mt::reports;
using namespace mt::reports::testing;

TEST_CASE("the xml checker itself rejects what a strict parser rejects") {
  CHECK(parse_xml("<a><b x=\"1\"/>t &amp; u</a>").error.empty());
  CHECK_FALSE(parse_xml("<a>1 < 2</a>").error.empty());
  CHECK_FALSE(parse_xml("<a>fish & chips</a>").error.empty());
  CHECK_FALSE(parse_xml("<a x=\"say \"hi\"\"/>").error.empty());
  CHECK_FALSE(parse_xml("<a><b></a></b>").error.empty());
  CHECK_FALSE(parse_xml("<a>").error.empty());
}

TEST_CASE("a sweep gives one suite per scenario and one case per expectation per seed") {
  std::vector<sim::RunResult> runs{make_sample_run(1), make_sample_run(2), make_passing_run(3)};
  auto parsed = parse_xml(junit_xml(runs));
  REQUIRE_MESSAGE(parsed.error.empty(), parsed.error);
  const auto& root = *parsed.root;
  CHECK(root.name == "testsuites");
  auto suites = root.all("testsuite");
  REQUIRE(suites.size() == 2);
  CHECK(suites[0]->attributes.at("name") == "partition-heal");  // sorted by scenario name
  CHECK(suites[1]->attributes.at("name") == "quickstart");
  CHECK(suites[0]->all("testcase").size() == 10);
  CHECK(suites[0]->attributes.at("tests") == "10");
  CHECK(suites[0]->attributes.at("failures") == "4");
  CHECK(suites[1]->attributes.at("failures") == "0");
  CHECK(root.attributes.at("tests") == "15");
  CHECK(root.all("failure").size() == 4);
  auto cases = suites[0]->all("testcase");
  CHECK(cases[0]->attributes.at("name") == "no_conflicting_finality [seed=1]");
  CHECK(cases[5]->attributes.at("name") == "no_conflicting_finality [seed=2]");
  CHECK(cases[0]->attributes.at("classname") == "partition-heal");
  CHECK(cases[2]->attributes.at("file") == "scenarios/partition-heal.yaml");
  CHECK(cases[2]->attributes.at("line") == "34");
}

TEST_CASE("failure text carries the reproduce command and special characters survive escaping") {
  auto run = make_sample_run(9);
  run.expectations[2].measured = "41 < 50 & \"low\"";
  auto parsed = parse_xml(junit_xml({run}));
  REQUIRE_MESSAGE(parsed.error.empty(), parsed.error);
  auto failures = parsed.root->all("failure");
  REQUIRE(failures.size() == 2);
  CHECK(failures[0]->attributes.at("message").find("41 < 50 & \"low\"") != std::string::npos);
  CHECK(failures[0]->attributes.at("type") == "liveness");
  CHECK(failures[0]->text.find("<partition> & recovery") != std::string::npos);
  CHECK(failures[0]->text.find("reproduce: mtsim run scenarios/partition-heal.yaml --seed 9") != std::string::npos);
}

TEST_CASE("an exit code no expectation explains adds a failed run case") {
  auto run = make_passing_run(4);
  run.exit_code = 3;  // nondeterminism detected
  auto parsed = parse_xml(junit_xml({run}));
  REQUIRE(parsed.error.empty());
  auto failures = parsed.root->all("failure");
  REQUIRE(failures.size() == 1);
  CHECK(failures[0]->attributes.at("message").find("exit code 3") != std::string::npos);
  CHECK(parsed.root->all("testcase").back()->attributes.at("name") == "run completed [seed=4]");
}

TEST_CASE("control characters that XML cannot carry are replaced, not written raw") {
  auto run = make_sample_run();
  run.expectations[2].detail = std::string("bell\x07 and nul") + '\0' + "end";
  auto xml = junit_xml({run});
  CHECK(xml.find('\x07') == std::string::npos);
  CHECK(xml.find('\0') == std::string::npos);
  CHECK(parse_xml(xml).error.empty());
}

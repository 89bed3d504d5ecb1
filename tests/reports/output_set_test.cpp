// write_all writes exactly the outputs asked for, and the output list parses from the command line.
#include <doctest/doctest.h>

#include <filesystem>
#include <unistd.h>

#include "reports/output_set.hpp"
#include "reports/report_json.hpp"
#include "reports/results_database.hpp"
#include "tests/reports/sample_run.hpp"

using namespace mt;
using namespace mt::reports;
using namespace mt::reports::testing;
namespace fs = std::filesystem;

TEST_CASE("write_all writes every chosen file and only those") {
  std::string dir = (fs::temp_directory_path() / "mtsim-out-XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  auto out = fs::path(dir) / "nested" / "out";
  auto written = write_all(out, make_sample_run(5), OutputSet::all());
  REQUIRE_MESSAGE(written.ok(), written.error().message);
  for (const char* name : {"report.json", "blocks.csv", "series.csv", "summary.md", "report.html", "junit.xml",
                           "results.sqlite"}) {
    CHECK_MESSAGE(fs::exists(out / name), name);
  }
  CHECK(written.value().size() == 7);
  CHECK(read_report_json(out / "report.json").value().seed == 5);
  REQUIRE(write_all(out, make_sample_run(6), OutputSet::parse("sqlite").value()).ok());
  CHECK(load_runs(out / "results.sqlite").value().size() == 2);  // the database collects runs
  auto only = fs::path(dir) / "only";
  auto some = write_all(only, make_sample_run(5), OutputSet::parse("json,md").value());
  REQUIRE(some.ok());
  CHECK(some.value().size() == 2);
  CHECK_FALSE(fs::exists(only / "report.html"));
  CHECK_FALSE(fs::exists(only / "report.json.tmp"));
  fs::remove_all(dir);
}

TEST_CASE("the output list parses known names and names the unknown one") {
  CHECK(OutputSet::parse("json,csv").value().has(Output::csv));
  CHECK_FALSE(OutputSet::parse("json,csv").value().has(Output::html));
  CHECK(OutputSet::parse("all").value().has(Output::junit));
  auto bad = OutputSet::parse("json,pdf");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("pdf") != std::string::npos);
}

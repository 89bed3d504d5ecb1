// compare_reports: metric deltas against a baseline report, with the direction that is better.
#include <doctest/doctest.h>

#include <sstream>

#include "reports/metric_delta.hpp"
#include "reports/report_json.hpp"
#include "tests/reports/sample_run.hpp"

using namespace mt;
using namespace mt::reports;
using mt::reports::testing::make_sample_run;

namespace {
const MetricDelta& row_named(const std::vector<MetricDelta>& rows, const std::string& name) {
  for (const auto& r : rows) {
    if (r.metric == name) return r;
  }
  FAIL("no row " << name);
  return rows.front();
}
}  // namespace

TEST_CASE("compare_reports gives old, new and relative change per metric") {
  auto old_run = make_sample_run(1);
  auto new_run = old_run;
  new_run.metrics.tps_finalized_mean = old_run.metrics.tps_finalized_mean * 1.5;
  new_run.metrics.finality_latency_ms.p99 = old_run.metrics.finality_latency_ms.p99 * 2.0;
  auto rows = compare_reports(old_run, new_run);
  const auto& tps = row_named(rows, "tps_finalized_mean");
  CHECK(tps.old_value == doctest::Approx(old_run.metrics.tps_finalized_mean));
  CHECK(tps.new_value == doctest::Approx(new_run.metrics.tps_finalized_mean));
  REQUIRE(tps.delta_percent.has_value());
  CHECK(*tps.delta_percent == doctest::Approx(50.0));
  CHECK_FALSE(is_regression(tps, 5.0));
  const auto& p99 = row_named(rows, "finality_latency_ms.p99");
  CHECK(*p99.delta_percent == doctest::Approx(100.0));
  CHECK(is_regression(p99, 5.0));
  CHECK(*row_named(rows, "final_height").delta_percent == doctest::Approx(0.0));
}

TEST_CASE("a zero baseline gives no percentage rather than a division by zero") {
  auto old_run = make_sample_run(1);
  old_run.metrics.longest_stall_us = 0;
  auto rows = compare_reports(old_run, make_sample_run(1));
  CHECK_FALSE(row_named(rows, "longest_stall_ms").delta_percent.has_value());
  std::ostringstream out;
  print_metric_deltas(out, rows);
  CHECK(out.str().find("n/a") != std::string::npos);
}

TEST_CASE("a baseline read from report.json compares like the in-memory run") {
  auto old_run = make_sample_run(3);
  auto reloaded = parse_report_json(report_json_text(old_run));
  REQUIRE(reloaded.ok());
  auto new_run = make_sample_run(3);
  new_run.metrics.final_height = 30;
  auto rows = compare_reports(reloaded.value(), new_run);
  CHECK(*row_named(rows, "final_height").delta_percent == doctest::Approx(-50.0));
  std::ostringstream out;
  print_metric_deltas(out, rows);
  CHECK(out.str().find("final_height") != std::string::npos);
  CHECK(out.str().find("-50.0%  worse") != std::string::npos);
}

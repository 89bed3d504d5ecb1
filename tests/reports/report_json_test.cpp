// report.json: versioned, stable key order, deterministic content apart from provenance, and a
// reader that gives back the same RunResult (needed for `--baseline OLD`).
#include <doctest/doctest.h>

#include <cmath>

#include "reports/report_json.hpp"
#include "tests/reports/sample_run.hpp"

using namespace mt;
using namespace mt::reports;
using mt::reports::testing::make_sample_run;

TEST_CASE("report.json opens with its format and version and keeps top-level keys in order") {
  auto j = report_json(make_sample_run());
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"format", "version", "deterministic", "provenance"});
  CHECK(j["format"] == "mtsim-report");
  CHECK(j["version"] == 1);
  auto text = report_json_text(make_sample_run());
  CHECK(text.find("\"format\"") < text.find("\"version\""));
  CHECK(text.find("\"version\"") < text.find("\"deterministic\""));
  CHECK(text.find("\"deterministic\"") < text.find("\"provenance\""));
}

TEST_CASE("two runs differing only in provenance have identical deterministic sections") {
  auto a = make_sample_run(5);
  auto b = make_sample_run(5);
  b.provenance.host = "another-host";
  b.provenance.started_at_utc = "2030-01-01T00:00:00Z";
  b.speed.wall_seconds = 99.0;
  b.speed.events_per_second = 1.0;
  CHECK(deterministic_json(a).dump() == deterministic_json(b).dump());
  CHECK(report_json(a).dump() != report_json(b).dump());
  auto c = make_sample_run(6);  // a different seed changes the deterministic part
  CHECK(deterministic_json(a).dump() != deterministic_json(c).dump());
}

TEST_CASE("report.json read back gives the same run, byte for byte when rewritten") {
  auto run = make_sample_run(11);
  auto text = report_json_text(run);
  auto back = parse_report_json(text);
  REQUIRE(back.ok());
  CHECK(back.value().seed == 11);
  CHECK(back.value().expectations.size() == run.expectations.size());
  CHECK(back.value().metrics.finality_latency_samples_ms == run.metrics.finality_latency_samples_ms);
  CHECK(back.value().metrics.messages_by_kind.at("tx").bytes == run.metrics.messages_by_kind.at("tx").bytes);
  CHECK(back.value().metrics.cpu_busy_max == run.metrics.cpu_busy_max);
  CHECK(back.value().metrics.link_utilisation_max_name == "validator[1] uplink");
  CHECK(back.value().metrics.mempool_peak == 812);
  CHECK(report_json_text(back.value()) == text);
}

TEST_CASE("a report written before the cost model (no resources) reads back with zeros") {
  auto j = report_json(make_sample_run(11));
  j["deterministic"]["metrics"].erase("resources");
  auto back = parse_report_json(j.dump());
  REQUIRE(back.ok());
  CHECK(back.value().metrics.cpu_busy_max == 0);
  CHECK(back.value().metrics.link_utilisation_max_name.empty());
}

TEST_CASE("a non-finite metric is written as null and read back as NaN") {
  auto run = make_sample_run();
  run.metrics.tps_finalized_mean = std::nan("");
  auto back = parse_report_json(report_json_text(run));
  REQUIRE(back.ok());
  CHECK(std::isnan(back.value().metrics.tps_finalized_mean));
}

TEST_CASE("the report reader refuses garbage, other formats, newer versions and missing keys") {
  CHECK_FALSE(parse_report_json("{not json").ok());
  CHECK_FALSE(parse_report_json("[1,2]").ok());
  CHECK_FALSE(parse_report_json(R"({"format":"other","version":1})").ok());
  auto j = report_json(make_sample_run());
  j["version"] = 2;
  auto newer = run_result_from_json(j);
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.error().message.find("version 2") != std::string::npos);
  j = report_json(make_sample_run());
  j["deterministic"].erase("seed");
  auto missing = run_result_from_json(j);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("seed") != std::string::npos);
  j = report_json(make_sample_run());
  j["deterministic"]["blocks"][0]["height"] = "tall";
  CHECK_FALSE(run_result_from_json(j).ok());
  CHECK_FALSE(read_report_json("/nonexistent/report.json").ok());
}

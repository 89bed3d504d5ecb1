// mtsim capacity's outputs from a hand-made search: the saturation line in its three forms, the
// table with one row per point, capacity.json's saturation and bottleneck, and capacity.html's two
// curves with the knee marked.
#include <doctest/doctest.h>

#include <algorithm>

#include "reports/capacity_report.hpp"

using namespace mt;

namespace {

sim::CapacityPoint point_of(std::uint64_t rate, double finalized) {
  sim::CapacityPoint p;
  p.rate_per_s = rate;
  p.ran = true;
  p.offered_tps = static_cast<double>(rate);
  p.finalized_tps = finalized;
  p.latency_p50_ms = 1900;
  p.latency_p99_ms = 3400;
  p.rounds_per_height = 1;
  return p;
}

// Keeps up at 50 and 75, not at 100 where the CPU of val[2] is busy 97% of the time.
reports::CapacityResult knee_at_75() {
  reports::CapacityResult r;
  r.scenario_name = "tiny";
  r.scenario_file = "tiny.yaml";
  r.seed = 7;
  r.max_rate_per_s = 200;
  r.p99_bound_ms = 6000;
  r.points = {point_of(50, 50), point_of(75, 74), point_of(100, 80)};
  r.points[2].cpu_busy_max = 0.97;
  r.points[2].busiest_node = "val[2]";
  sim::RateSearch s;
  s.max_rate_per_s = r.max_rate_per_s;
  r.saturation = sim::find_saturation(s, r.points);
  r.bottleneck = sim::find_bottleneck(r.points[2], r.p99_bound_ms);
  return r;
}

}  // namespace

TEST_CASE("the saturation line names the rate and the bottleneck, or says the maximum kept up") {
  auto r = knee_at_75();
  CHECK(reports::saturation_line(r) == "saturation: 75 tx/s (bottleneck: cpu of node val[2])");
  r.points.pop_back();
  r.saturation = sim::find_saturation(sim::RateSearch{}, r.points);
  r.bottleneck = {};
  CHECK(reports::saturation_line(r) == "saturation: >= 75 tx/s");
  r.points = {point_of(50, 10)};
  r.saturation = sim::find_saturation(sim::RateSearch{}, r.points);
  CHECK(reports::saturation_line(r) == "saturation: < 50 tx/s (bottleneck: none)");
}

TEST_CASE("the table has a row per point, marks the saturated one, and ends with the saturation line") {
  const auto table = reports::capacity_table(knee_at_75());
  CHECK(table.find("rate/s") < table.find('\n'));  // the header comes first
  CHECK(table.find("SATURATED") != std::string::npos);
  CHECK(table.find("0.97") != std::string::npos);  // the busiest CPU, where measured
  CHECK(table.ends_with("saturation: 75 tx/s (bottleneck: cpu of node val[2])\n"));
  CHECK(std::count(table.begin(), table.end(), '\n') == 5);  // header, 3 points, saturation
}

TEST_CASE("capacity.json holds the points, the saturation and the bottleneck") {
  const auto j = reports::capacity_json(knee_at_75());
  CHECK(j["format"] == "mtsim-capacity");
  CHECK(j["points"].size() == 3);
  CHECK(j["points"][1]["keeps_up"] == true);
  CHECK(j["points"][2]["keeps_up"] == false);
  CHECK(j["points"][0]["cpu_busy_max"].is_null());  // not measured is null, not zero
  CHECK(j["saturation"]["rate_per_s"] == 75);
  CHECK(j["saturation"]["first_failing_rate_per_s"] == 100);
  CHECK(j["bottleneck"]["verdict"] == "cpu of node val[2]");
}

TEST_CASE("capacity.html draws both curves and marks the knee") {
  const auto page = reports::capacity_html(knee_at_75());
  CHECK(page.find("id=\"capacity-throughput\"") != std::string::npos);
  CHECK(page.find("id=\"capacity-latency\"") != std::string::npos);
  CHECK(page.find("knee 75 tx/s") != std::string::npos);
  CHECK(page.find("line-finalized") != std::string::npos);
  CHECK(page.find("line-bound") != std::string::npos);
}

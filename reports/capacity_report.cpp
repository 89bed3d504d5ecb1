#include "reports/capacity_report.hpp"

#include <fmt/format.h>

#include "reports/text_format.hpp"

namespace mt::reports {
namespace {

std::string optional_fixed(const std::optional<double>& v, int decimals) {
  return v ? format_fixed(*v, decimals) : std::string("-");
}

std::string table_row(const sim::CapacityPoint& p, double p99_bound_ms) {
  if (!p.ran) return fmt::format("{:>8} {:>9}  (run failed: exit {})\n", p.rate_per_s, "-", p.exit_code);
  return fmt::format("{:>8} {:>9} {:>9} {:>8} {:>8} {:>7} {:>8} {:>6} {:>6}  {}\n", p.rate_per_s,
                     format_fixed(p.offered_tps, 1), format_fixed(p.finalized_tps, 1), format_fixed(p.latency_p50_ms, 0),
                     format_fixed(p.latency_p99_ms, 0), format_fixed(p.rounds_per_height, 2),
                     optional_fixed(p.mempool_peak, 0), optional_fixed(p.cpu_busy_max, 2),
                     optional_fixed(p.link_utilisation_max, 2), sim::keeps_up(p, p99_bound_ms) ? "ok" : "SATURATED");
}

nlohmann::ordered_json optional_json(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json point_json(const sim::CapacityPoint& p, double p99_bound_ms) {
  return {{"rate_per_s", p.rate_per_s},
          {"ran", p.ran},
          {"exit_code", p.exit_code},
          {"keeps_up", sim::keeps_up(p, p99_bound_ms)},
          {"offered_tps", p.offered_tps},
          {"finalized_tps", p.finalized_tps},
          {"finality_latency_p50_ms", p.latency_p50_ms},
          {"finality_latency_p99_ms", p.latency_p99_ms},
          {"rounds_per_height", p.rounds_per_height},
          {"txs_submitted", p.txs_submitted},
          {"txs_rejected", p.txs_rejected},
          {"mempool_peak", optional_json(p.mempool_peak)},
          {"cpu_busy_max", optional_json(p.cpu_busy_max)},
          {"busiest_node", p.busiest_node},
          {"link_utilisation_max", optional_json(p.link_utilisation_max)},
          {"busiest_link", p.busiest_link},
          {"blocks_full_fraction", optional_json(p.blocks_full_fraction)},
          {"node_cpu_cores", optional_json(p.node_cpu_cores)},
          {"implied_speed", optional_json(p.implied_speed)},
          {"load_avg", optional_json(p.load_avg)}};
}

nlohmann::ordered_json expectation_json(const sim::ExpectationResult& e) {
  return {{"name", e.name}, {"passed", e.passed}, {"measured", e.measured}, {"threshold", e.threshold}, {"detail", e.detail}};
}

}  // namespace

std::string saturation_line(const CapacityResult& r) {
  const auto& s = r.saturation;
  if (s.beyond_max()) return fmt::format("saturation: >= {} tx/s", s.rate_per_s.value_or(r.max_rate_per_s));
  const std::string verdict = fmt::format(" (bottleneck: {})", r.bottleneck.describe());
  if (!s.rate_per_s) return fmt::format("saturation: < {} tx/s{}", *s.first_failing_rate_per_s, verdict);
  return fmt::format("saturation: {} tx/s{}", *s.rate_per_s, verdict);
}

std::string capacity_table(const CapacityResult& r) {
  std::string out = fmt::format("{:>8} {:>9} {:>9} {:>8} {:>8} {:>7} {:>8} {:>6} {:>6}\n", "rate/s", "offered", "final",
                                "p50 ms", "p99 ms", "rounds", "mempool", "cpu", "link");
  for (const auto& p : r.points) out += table_row(p, r.p99_bound_ms);
  return out + saturation_line(r) + "\n";
}

nlohmann::ordered_json capacity_json(const CapacityResult& r) {
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (const auto& p : r.points) points.push_back(point_json(p, r.p99_bound_ms));
  nlohmann::ordered_json expectations = nlohmann::ordered_json::array();
  for (const auto& e : r.expectations) expectations.push_back(expectation_json(e));
  const auto& s = r.saturation;
  return {{"format", "mtsim-capacity"},
          {"version", 1},
          {"scenario", r.scenario_name},
          {"scenario_file", r.scenario_file},
          {"seed", r.seed},
          {"max_rate_per_s", r.max_rate_per_s},
          {"p99_bound_ms", r.p99_bound_ms},
          {"keeps_up_fraction", sim::kKeepsUpFraction},
          {"saturation",
           {{"rate_per_s", s.rate_per_s ? nlohmann::ordered_json(*s.rate_per_s) : nlohmann::ordered_json(nullptr)},
            {"beyond_max_rate", s.beyond_max()},
            {"first_failing_rate_per_s",
             s.first_failing_rate_per_s ? nlohmann::ordered_json(*s.first_failing_rate_per_s) : nlohmann::ordered_json(nullptr)},
            {"line", saturation_line(r)}}},
          {"bottleneck", {{"verdict", r.bottleneck.describe()}, {"where", r.bottleneck.where}}},
          {"points", points},
          {"expectations", expectations}};
}

}  // namespace mt::reports

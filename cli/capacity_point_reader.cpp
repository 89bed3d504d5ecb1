#include "cli/capacity_point_reader.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/report_json.hpp"

namespace mt::cli {
namespace {

using Json = nlohmann::ordered_json;

// A number by its metric path ("cpu.busy_max") or the report's key spelling ("cpu_busy_max");
// nullopt when the run did not report it.
std::optional<double> resource_number(const Json& metrics, const std::string& path) {
  std::string key = path;
  for (char& c : key) c = c == '.' ? '_' : c;
  for (const std::string& k : {path, key}) {
    auto it = metrics.find(k);
    if (it != metrics.end() && it->is_number()) return it->get<double>();
  }
  return std::nullopt;
}

std::string resource_name(const Json& metrics, const std::string& key) {
  auto it = metrics.find(key);
  return it != metrics.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The cost model's numbers live under metrics.resources (reports/report_json.cpp); a report
// without them (an older build, a run without the cost model) leaves the point's fields empty.
void read_resources(const Json& metrics, sim::CapacityPoint& p) {
  auto it = metrics.find("resources");
  if (it == metrics.end() || !it->is_object()) return;
  const Json& r = *it;
  p.mempool_peak = resource_number(r, "mempool.peak");
  p.cpu_busy_max = resource_number(r, "cpu.busy_max");
  p.link_utilisation_max = resource_number(r, "link.utilisation_max");
  p.blocks_full_fraction = resource_number(r, "blocks.full_fraction");
  p.busiest_node = resource_name(r, "cpu_busy_max_node");
  p.busiest_link = resource_name(r, "link_utilisation_max_name");
}

// What a testnet point's node processes got (report.json's "testnet_cpu", written by
// `mtsim testnet`); a simulator point has none.
void read_testnet_cpu(const Json& doc, sim::CapacityPoint& p) {
  auto it = doc.find("testnet_cpu");
  if (it == doc.end() || !it->is_object()) return;
  p.node_cpu_cores = resource_number(*it, "node_cores_mean");
  p.implied_speed = resource_number(*it, "implied_speed");
  p.load_avg = resource_number(*it, "load_avg_end");
}

}  // namespace

Result<sim::CapacityPoint> read_capacity_point(const std::filesystem::path& report_json, std::uint64_t rate_per_s) {
  auto run = reports::read_report_json(report_json);
  if (!run.ok()) return run.error();
  const auto& m = run.value().metrics;
  sim::CapacityPoint p;
  p.rate_per_s = rate_per_s;
  p.ran = true;
  p.exit_code = run.value().exit_code;
  p.offered_tps = m.tps_offered_mean;
  p.finalized_tps = m.tps_finalized_mean;
  p.latency_p50_ms = m.finality_latency_ms.p50;
  p.latency_p99_ms = m.finality_latency_ms.p99;
  p.rounds_per_height = m.rounds_per_height.mean;
  p.txs_submitted = m.txs_submitted;
  p.txs_rejected = m.txs_rejected;
  std::ifstream in(report_json);
  std::stringstream text;
  text << in.rdbuf();
  const Json doc = Json::parse(text.str(), nullptr, false);
  if (!doc.is_discarded() && doc.contains("deterministic") && doc["deterministic"].contains("metrics")) {
    read_resources(doc["deterministic"]["metrics"], p);
  }
  if (!doc.is_discarded() && doc.is_object()) read_testnet_cpu(doc, p);
  return p;
}

}  // namespace mt::cli

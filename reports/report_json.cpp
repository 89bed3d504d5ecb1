#include "reports/report_json.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <fmt/format.h>

#include "reports/run_facts.hpp"

namespace mt::reports {
namespace {

using Json = nlohmann::ordered_json;

// JSON has no NaN or infinity; nlohmann would write null, so the reader maps null back to NaN.
double number_or_nan(const Json& j) {
  if (j.is_null()) return std::numeric_limits<double>::quiet_NaN();
  return j.get<double>();
}

Json percentiles_json(const sim::Percentiles& p) {
  return Json{{"p50", p.p50}, {"p90", p.p90},   {"p99", p.p99},
              {"max", p.max}, {"mean", p.mean}, {"count", p.count}};
}

sim::Percentiles percentiles_from(const Json& j) {
  sim::Percentiles p;
  p.p50 = number_or_nan(j.at("p50"));
  p.p90 = number_or_nan(j.at("p90"));
  p.p99 = number_or_nan(j.at("p99"));
  p.max = number_or_nan(j.at("max"));
  p.mean = number_or_nan(j.at("mean"));
  p.count = j.at("count").get<std::uint64_t>();
  return p;
}

Json expectation_json(const sim::ExpectationResult& e) {
  return Json{{"name", e.name},          {"kind", e.kind},
              {"window", e.window},      {"passed", e.passed},
              {"measured", e.measured},  {"threshold", e.threshold},
              {"detail", e.detail},      {"exit_class", e.exit_class},
              {"source_file", e.source_file}, {"source_line", e.source_line}};
}

sim::ExpectationResult expectation_from(const Json& j) {
  sim::ExpectationResult e;
  e.name = j.at("name").get<std::string>();
  e.kind = j.at("kind").get<std::string>();
  e.window = j.at("window").get<std::string>();
  e.passed = j.at("passed").get<bool>();
  e.measured = j.at("measured").get<std::string>();
  e.threshold = j.at("threshold").get<std::string>();
  e.detail = j.at("detail").get<std::string>();
  e.exit_class = j.at("exit_class").get<int>();
  e.source_file = j.at("source_file").get<std::string>();
  e.source_line = j.at("source_line").get<int>();
  return e;
}

// The cost model's resource metrics over the steady window, each with the resource it names.
Json resources_json(const sim::RunMetrics& m) {
  return Json{
      {"cpu_busy_max", m.cpu_busy_max},
      {"cpu_busy_max_node", m.cpu_busy_max_node},
      {"link_utilisation_max", m.link_utilisation_max},
      {"link_utilisation_max_name", m.link_utilisation_max_name},
      {"mempool_peak", m.mempool_peak},
      {"mempool_peak_node", m.mempool_peak_node},
      {"blocks_full_fraction", m.blocks_full_fraction},
  };
}

// Older reports have no "resources": they read as zeros.
void resources_from(const Json& j, sim::RunMetrics& m) {
  if (!j.contains("resources")) return;
  const Json& r = j.at("resources");
  m.cpu_busy_max = number_or_nan(r.at("cpu_busy_max"));
  m.cpu_busy_max_node = r.at("cpu_busy_max_node").get<std::string>();
  m.link_utilisation_max = number_or_nan(r.at("link_utilisation_max"));
  m.link_utilisation_max_name = r.at("link_utilisation_max_name").get<std::string>();
  m.mempool_peak = r.at("mempool_peak").get<std::uint64_t>();
  m.mempool_peak_node = r.at("mempool_peak_node").get<std::string>();
  m.blocks_full_fraction = number_or_nan(r.at("blocks_full_fraction"));
}

Json metrics_json(const sim::RunMetrics& m) {
  Json messages = Json::object();
  for (const auto& [kind, s] : m.messages_by_kind) {
    messages[kind] = Json{{"sent", s.sent},           {"delivered", s.delivered},
                          {"dropped", s.dropped},     {"duplicated", s.duplicated},
                          {"bytes", s.bytes}};
  }
  Json out{
      {"tps_finalized_mean", m.tps_finalized_mean},
      {"tps_included_mean", m.tps_included_mean},
      {"tps_offered_mean", m.tps_offered_mean},
      {"steady_from_us", m.steady_from_us},
      {"steady_until_us", m.steady_until_us},
      {"finality_latency_ms", percentiles_json(m.finality_latency_ms)},
      {"finality_latency_samples_ms", m.finality_latency_samples_ms},
      {"block_interval_ms", percentiles_json(m.block_interval_ms)},
      {"rounds_per_height", percentiles_json(m.rounds_per_height)},
      {"final_height", m.final_height},
      {"txs_submitted", m.txs_submitted},
      {"txs_finalized", m.txs_finalized},
      {"txs_pending_at_end", m.txs_pending_at_end},
      {"txs_rejected", m.txs_rejected},
      {"evidence_committed", m.evidence_committed},
      {"slashes_double_sign", m.slashes_double_sign},
      {"slashes_downtime", m.slashes_downtime},
      {"longest_stall_us", m.longest_stall_us},
      {"resources", resources_json(m)},
      {"messages_by_kind", messages},
  };
  if (!m.subnet.empty()) out["subnet"] = m.subnet;  // AI layer, only when the run had subnets
  out["bytes_per_node_per_s"] = Json{{"sent_mean", m.bytes_sent_per_node_s_mean},
                                     {"sent_max", m.bytes_sent_per_node_s_max},
                                     {"received_mean", m.bytes_received_per_node_s_mean},
                                     {"received_max", m.bytes_received_per_node_s_max}};
  out["gossip_copies_per_message"] = m.gossip_copies_per_message;
  return out;
}

sim::RunMetrics metrics_from(const Json& j) {
  sim::RunMetrics m;
  m.tps_finalized_mean = number_or_nan(j.at("tps_finalized_mean"));
  m.tps_included_mean = number_or_nan(j.at("tps_included_mean"));
  m.tps_offered_mean = number_or_nan(j.at("tps_offered_mean"));
  m.steady_from_us = j.at("steady_from_us").get<std::int64_t>();
  m.steady_until_us = j.at("steady_until_us").get<std::int64_t>();
  m.finality_latency_ms = percentiles_from(j.at("finality_latency_ms"));
  for (const auto& v : j.at("finality_latency_samples_ms")) {
    m.finality_latency_samples_ms.push_back(number_or_nan(v));
  }
  m.block_interval_ms = percentiles_from(j.at("block_interval_ms"));
  m.rounds_per_height = percentiles_from(j.at("rounds_per_height"));
  m.final_height = j.at("final_height").get<std::uint64_t>();
  m.txs_submitted = j.at("txs_submitted").get<std::uint64_t>();
  m.txs_finalized = j.at("txs_finalized").get<std::uint64_t>();
  m.txs_pending_at_end = j.at("txs_pending_at_end").get<std::uint64_t>();
  m.txs_rejected = j.at("txs_rejected").get<std::uint64_t>();
  m.evidence_committed = j.at("evidence_committed").get<std::uint64_t>();
  m.slashes_double_sign = j.at("slashes_double_sign").get<std::uint64_t>();
  m.slashes_downtime = j.at("slashes_downtime").get<std::uint64_t>();
  m.longest_stall_us = j.at("longest_stall_us").get<std::int64_t>();
  resources_from(j, m);
  for (const auto& [kind, s] : j.at("messages_by_kind").items()) {
    m.messages_by_kind[kind] = sim::MessageStats{
        s.at("sent").get<std::uint64_t>(), s.at("delivered").get<std::uint64_t>(),
        s.at("dropped").get<std::uint64_t>(), s.at("duplicated").get<std::uint64_t>(),
        s.at("bytes").get<std::uint64_t>()};
  }
  if (j.contains("subnet")) {
    for (const auto& [name, v] : j.at("subnet").items()) m.subnet[name] = number_or_nan(v);
  }
  if (j.contains("bytes_per_node_per_s")) {  // reports older than the gossip router have none
    const Json& b = j.at("bytes_per_node_per_s");
    m.bytes_sent_per_node_s_mean = number_or_nan(b.at("sent_mean"));
    m.bytes_sent_per_node_s_max = number_or_nan(b.at("sent_max"));
    m.bytes_received_per_node_s_mean = number_or_nan(b.at("received_mean"));
    m.bytes_received_per_node_s_max = number_or_nan(b.at("received_max"));
  }
  if (j.contains("gossip_copies_per_message")) {
    for (const auto& [kind, v] : j.at("gossip_copies_per_message").items()) {
      m.gossip_copies_per_message[kind] = number_or_nan(v);
    }
  }
  return m;
}

Json blocks_json(const std::vector<sim::BlockRecord>& blocks) {
  Json out = Json::array();
  for (const auto& b : blocks) {
    out.push_back(Json{{"height", b.height},     {"commit_time_us", b.commit_time_us},
                       {"timestamp_ms", b.timestamp_ms}, {"round", b.round},
                       {"tx_count", b.tx_count}, {"hash", b.hash},
                       {"proposer", b.proposer}});
  }
  return out;
}

std::vector<sim::BlockRecord> blocks_from(const Json& j) {
  std::vector<sim::BlockRecord> out;
  for (const auto& b : j) {
    out.push_back(sim::BlockRecord{
        b.at("height").get<std::uint64_t>(), b.at("commit_time_us").get<std::int64_t>(),
        b.at("timestamp_ms").get<std::uint64_t>(), b.at("round").get<std::uint32_t>(),
        b.at("tx_count").get<std::uint32_t>(), b.at("hash").get<std::string>(),
        b.at("proposer").get<std::string>()});
  }
  return out;
}

Json series_json(const std::vector<sim::SeriesPoint>& series) {
  Json out = Json::array();
  for (const auto& p : series) {
    out.push_back(Json{{"t_us", p.t_us},
                       {"offered_tps", p.offered_tps},
                       {"included_tps", p.included_tps},
                       {"finalized_tps", p.finalized_tps},
                       {"height", p.height}});
  }
  return out;
}

std::vector<sim::SeriesPoint> series_from(const Json& j) {
  std::vector<sim::SeriesPoint> out;
  for (const auto& p : j) {
    out.push_back(sim::SeriesPoint{
        p.at("t_us").get<std::int64_t>(), number_or_nan(p.at("offered_tps")),
        number_or_nan(p.at("included_tps")), number_or_nan(p.at("finalized_tps")),
        p.at("height").get<std::uint64_t>()});
  }
  return out;
}

Json faults_json(const std::vector<sim::FaultWindow>& faults) {
  Json out = Json::array();
  for (const auto& f : faults) {
    out.push_back(Json{{"id", f.id},           {"kind", f.kind},     {"targets", f.targets},
                       {"start_us", f.start_us}, {"end_us", f.end_us}});
  }
  return out;
}

std::vector<sim::FaultWindow> faults_from(const Json& j) {
  std::vector<sim::FaultWindow> out;
  for (const auto& f : j) {
    out.push_back(sim::FaultWindow{f.at("id").get<std::string>(), f.at("kind").get<std::string>(),
                                   f.at("targets").get<std::string>(),
                                   f.at("start_us").get<std::int64_t>(),
                                   f.at("end_us").get<std::int64_t>()});
  }
  return out;
}

Json node_heights_json(const std::vector<sim::NodeHeightPoint>& points) {
  Json out = Json::array();
  for (const auto& p : points) out.push_back(Json{{"t_us", p.t_us}, {"heights", p.heights}});
  return out;
}

std::vector<sim::NodeHeightPoint> node_heights_from(const Json& j) {
  std::vector<sim::NodeHeightPoint> out;
  for (const auto& p : j) {
    out.push_back(sim::NodeHeightPoint{p.at("t_us").get<std::int64_t>(),
                                       p.at("heights").get<std::vector<std::uint64_t>>()});
  }
  return out;
}

void read_deterministic(const Json& d, sim::RunResult& run) {
  const auto& scenario = d.at("scenario");
  run.scenario_name = scenario.at("name").get<std::string>();
  run.scenario_file = scenario.at("file").get<std::string>();
  run.scenario_hash = scenario.at("hash").get<std::string>();
  run.seed = d.at("seed").get<std::uint64_t>();
  run.simulated_us = d.at("simulated_us").get<std::int64_t>();
  run.validators = d.at("validators").get<std::size_t>();
  run.digest = d.at("digest").get<std::string>();
  run.exit_code = d.at("exit_code").get<int>();
  run.reproduce_command = d.at("reproduce_command").get<std::string>();
  for (const auto& e : d.at("expectations")) run.expectations.push_back(expectation_from(e));
  run.metrics = metrics_from(d.at("metrics"));
  run.blocks = blocks_from(d.at("blocks"));
  run.series = series_from(d.at("series"));
  run.node_names = d.at("node_names").get<std::vector<std::string>>();
  run.node_heights = node_heights_from(d.at("node_heights"));
  run.faults = faults_from(d.at("faults"));
}

void read_provenance(const Json& p, sim::RunResult& run) {
  run.provenance.mtsim_version = p.at("mtsim_version").get<std::string>();
  run.provenance.git_commit = p.at("git_commit").get<std::string>();
  run.provenance.build_type = p.at("build_type").get<std::string>();
  run.provenance.host = p.at("host").get<std::string>();
  run.provenance.started_at_utc = p.at("started_at_utc").get<std::string>();
  run.provenance.command_line = p.at("command_line").get<std::string>();
  const auto& s = p.at("speed");
  run.speed.wall_seconds = number_or_nan(s.at("wall_seconds"));
  run.speed.sim_seconds_per_wall_second = number_or_nan(s.at("sim_seconds_per_wall_second"));
  run.speed.events_per_second = number_or_nan(s.at("events_per_second"));
  run.speed.events = s.at("events").get<std::uint64_t>();
  run.speed.peak_rss_bytes = s.at("peak_rss_bytes").get<std::uint64_t>();
}

}  // namespace

Json deterministic_json(const sim::RunResult& run) {
  Json expectations = Json::array();
  for (const auto& e : run.expectations) expectations.push_back(expectation_json(e));
  return Json{
      {"scenario", Json{{"name", run.scenario_name},
                        {"file", run.scenario_file},
                        {"hash", run.scenario_hash}}},
      {"seed", run.seed},
      {"simulated_us", run.simulated_us},
      {"validators", run.validators},
      {"digest", run.digest},
      {"exit_code", run.exit_code},
      {"verdict", verdict_word(run)},
      {"reproduce_command", run.reproduce_command},
      {"expectations", expectations},
      {"metrics", metrics_json(run.metrics)},
      {"blocks", blocks_json(run.blocks)},
      {"series", series_json(run.series)},
      {"node_names", run.node_names},
      {"node_heights", node_heights_json(run.node_heights)},
      {"faults", faults_json(run.faults)},
  };
}

Json provenance_json(const sim::RunResult& run) {
  const auto& p = run.provenance;
  const auto& s = run.speed;
  return Json{
      {"mtsim_version", p.mtsim_version},
      {"git_commit", p.git_commit},
      {"build_type", p.build_type},
      {"host", p.host},
      {"started_at_utc", p.started_at_utc},
      {"command_line", p.command_line},
      {"speed", Json{{"wall_seconds", s.wall_seconds},
                     {"sim_seconds_per_wall_second", s.sim_seconds_per_wall_second},
                     {"events_per_second", s.events_per_second},
                     {"events", s.events},
                     {"peak_rss_bytes", s.peak_rss_bytes}}},
  };
}

Json report_json(const sim::RunResult& run) {
  return Json{{"format", kReportFormat},
              {"version", kReportVersion},
              {"deterministic", deterministic_json(run)},
              {"provenance", provenance_json(run)}};
}

std::string report_json_text(const sim::RunResult& run) { return report_json(run).dump(2) + "\n"; }

Result<sim::RunResult> run_result_from_json(const Json& report) {
  try {
    if (!report.is_object() || report.value("format", "") != kReportFormat) {
      return make_error("not an mtsim report (expected \"format\": \"mtsim-report\")");
    }
    int version = report.at("version").get<int>();
    if (version != kReportVersion) {
      return make_error(
          fmt::format("report version {} is not supported (this mtsim reads {})", version, kReportVersion));
    }
    sim::RunResult run;
    read_deterministic(report.at("deterministic"), run);
    read_provenance(report.at("provenance"), run);
    return run;
  } catch (const nlohmann::json::exception& e) {
    return make_error(std::string("malformed report: ") + e.what());
  }
}

Result<sim::RunResult> parse_report_json(const std::string& text) {
  Json report = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (report.is_discarded()) return make_error("report is not valid JSON");
  return run_result_from_json(report);
}

Result<sim::RunResult> read_report_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot open " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto run = parse_report_json(buffer.str());
  if (!run.ok()) return make_error(path.string() + ": " + run.error().message);
  return run;
}

}  // namespace mt::reports

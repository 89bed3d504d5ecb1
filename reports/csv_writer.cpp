#include "reports/csv_writer.hpp"

#include <fmt/format.h>

#include "core/util/assert.hpp"
#include "reports/text_format.hpp"

namespace mt::reports {

CsvWriter::CsvWriter(const std::vector<std::string>& header) : columns_(header.size()) {
  MT_ASSERT(!header.empty(), "CsvWriter: a table needs at least one column");
  append(header);
}

void CsvWriter::row(const std::vector<std::string>& fields) {
  MT_ASSERT(fields.size() == columns_, "CsvWriter: row width differs from the header");
  append(fields);
  ++rows_;
}

void CsvWriter::append(const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) text_ += ',';
    text_ += field(fields[i]);
  }
  text_ += "\r\n";
}

std::string CsvWriter::field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string blocks_csv(const sim::RunResult& run) {
  CsvWriter csv({"scenario", "seed", "height", "commit_time_us", "timestamp_ms", "round", "tx_count", "hash",
                 "proposer"});
  const std::string seed = fmt::format("{}", run.seed);
  for (const auto& b : run.blocks) {
    csv.row({run.scenario_name, seed, fmt::format("{}", b.height), fmt::format("{}", b.commit_time_us),
             fmt::format("{}", b.timestamp_ms), fmt::format("{}", b.round), fmt::format("{}", b.tx_count), b.hash,
             b.proposer});
  }
  return csv.text();
}

std::string series_csv(const sim::RunResult& run) {
  CsvWriter csv({"scenario", "seed", "t_us", "series", "node", "value"});
  const std::string seed = fmt::format("{}", run.seed);
  for (const auto& p : run.series) {
    const std::string t = fmt::format("{}", p.t_us);
    csv.row({run.scenario_name, seed, t, "offered_tps", "", format_shortest(p.offered_tps)});
    csv.row({run.scenario_name, seed, t, "included_tps", "", format_shortest(p.included_tps)});
    csv.row({run.scenario_name, seed, t, "finalized_tps", "", format_shortest(p.finalized_tps)});
    csv.row({run.scenario_name, seed, t, "finalized_height", "", fmt::format("{}", p.height)});
  }
  for (const auto& p : run.node_heights) {
    const std::string t = fmt::format("{}", p.t_us);
    for (std::size_t i = 0; i < p.heights.size(); ++i) {
      std::string node = i < run.node_names.size() ? run.node_names[i] : fmt::format("node[{}]", i);
      csv.row({run.scenario_name, seed, t, "node_height", node, fmt::format("{}", p.heights[i])});
    }
  }
  return csv.text();
}

}  // namespace mt::reports

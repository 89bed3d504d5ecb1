// Tidy CSV (one observation per row, a header line, RFC 4180: comma separated, CRLF line ends,
// fields with a comma, quote, CR or LF quoted with inner quotes doubled). Every row starts with
// the run's scenario and seed, so the files of many runs concatenate into one table.
//   blocks.csv: scenario,seed,height,commit_time_us,timestamp_ms,round,tx_count,hash,proposer
//   series.csv: scenario,seed,t_us,series,node,value   (long form: one value per row)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/run/run_result.hpp"

namespace mt::reports {

// Builds CSV text row by row.
class CsvWriter {
 public:
  explicit CsvWriter(const std::vector<std::string>& header);

  void row(const std::vector<std::string>& fields);
  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] std::size_t rows() const { return rows_; }  // excluding the header

  // One field, quoted only when RFC 4180 requires it.
  static std::string field(std::string_view value);

 private:
  void append(const std::vector<std::string>& fields);

  std::string text_;
  std::size_t columns_ = 0;
  std::size_t rows_ = 0;
};

std::string blocks_csv(const sim::RunResult& run);

// Series names: offered_tps, included_tps, finalized_tps, finalized_height (node empty) and
// node_height (node = the node's name).
std::string series_csv(const sim::RunResult& run);

}  // namespace mt::reports

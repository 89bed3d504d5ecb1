// CSV outputs: RFC 4180 quoting and tidy tables (one observation per row, a header line).
#include <doctest/doctest.h>

#include <sstream>

#include "reports/csv_writer.hpp"
#include "tests/reports/sample_run.hpp"

using namespace mt;
using namespace mt::reports;
using mt::reports::testing::make_sample_run;

namespace {
// Splits CRLF-terminated CSV text into records of fields (a strict RFC 4180 reader).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      REQUIRE(field.empty());  // a quote may only open a field
      quoted = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
    } else if (c == '\r') {
      REQUIRE(i + 1 < text.size());
      REQUIRE(text[i + 1] == '\n');
      ++i;
      record.push_back(field);
      field.clear();
      records.push_back(record);
      record.clear();
    } else {
      REQUIRE(c != '\n');  // a bare LF outside quotes is not RFC 4180
      field += c;
    }
  }
  REQUIRE_FALSE(quoted);
  REQUIRE(record.empty());
  return records;
}
}  // namespace

TEST_CASE("csv fields with commas, quotes and newlines are quoted, others are not") {
  CHECK(CsvWriter::field("plain") == "plain");
  CHECK(CsvWriter::field("a,b") == "\"a,b\"");
  CHECK(CsvWriter::field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvWriter::field("two\nlines") == "\"two\nlines\"");
  CsvWriter csv({"a", "b"});
  csv.row({"x,y", "q\"\r\n"});
  auto records = parse_csv(csv.text());
  REQUIRE(records.size() == 2);
  CHECK(records[1] == std::vector<std::string>{"x,y", "q\"\r\n"});
}

TEST_CASE("blocks.csv has a header and one row per block, every row as wide as the header") {
  auto run = make_sample_run();
  run.blocks[0].proposer = "odd, \"name\"";
  auto records = parse_csv(blocks_csv(run));
  REQUIRE(records.size() == run.blocks.size() + 1);
  CHECK(records[0][0] == "scenario");
  CHECK(records[0][2] == "height");
  for (const auto& r : records) CHECK(r.size() == records[0].size());
  CHECK(records[1][8] == "odd, \"name\"");
  CHECK(records[60][2] == "60");
}

TEST_CASE("series.csv is long form: four series per bucket plus one row per node and sample") {
  auto run = make_sample_run();
  auto records = parse_csv(series_csv(run));
  std::size_t node_rows = run.node_heights.size() * run.node_names.size();
  REQUIRE(records.size() == 1 + 4 * run.series.size() + node_rows);
  CHECK(records[0] == std::vector<std::string>{"scenario", "seed", "t_us", "series", "node", "value"});
  std::size_t finalized = 0, node_height = 0;
  for (std::size_t i = 1; i < records.size(); ++i) {
    CHECK(records[i].size() == 6);
    if (records[i][3] == "finalized_tps") ++finalized;
    if (records[i][3] == "node_height") {
      ++node_height;
      CHECK_FALSE(records[i][4].empty());
    }
  }
  CHECK(finalized == run.series.size());
  CHECK(node_height == node_rows);
}

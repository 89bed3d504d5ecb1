#include "sim/net/latency_model.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <fmt/format.h>

namespace mt::sim {

namespace {
std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  for (char c : line) {
    if (c == ',') {
      cells.push_back(cell);
      cell.clear();
    } else if (c != '\r' && c != ' ') {
      cell.push_back(c);
    }
  }
  cells.push_back(cell);
  return cells;
}

// Milliseconds with an optional fraction ("38", "12.5"); negative or junk is an error.
bool parse_ms(const std::string& s, TimeUs& out) {
  if (s.empty()) return false;
  TimeUs whole = 0, frac = 0, frac_scale = 1000;
  bool dot = false;
  for (char c : s) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (c >= '0' && c <= '9') {
      if (!dot) {
        whole = whole * 10 + (c - '0');
        if (whole > 3'600'000) return false;
      } else if (frac_scale > 1) {
        frac_scale /= 10;
        frac += (c - '0') * frac_scale;
      }
    } else {
      return false;
    }
  }
  out = whole * kUsPerMs + frac;
  return true;
}
}  // namespace

LatencyModel::LatencyModel(Distribution everywhere) : zones_{"default"}, matrix_{everywhere} {
  MT_ASSERT(everywhere.validate().ok(), "invalid latency distribution");
}

LatencyModel::LatencyModel(std::vector<std::string> zones, Distribution default_shape)
    : zones_(std::move(zones)) {
  MT_ASSERT(!zones_.empty() && zones_.size() <= kMaxZones, "latency model needs 1..256 zones");
  MT_ASSERT(default_shape.validate().ok(), "invalid latency distribution");
  matrix_.assign(zones_.size() * zones_.size(), default_shape);
}

Result<LatencyModel> LatencyModel::from_csv(std::string_view csv_text, Distribution default_shape) {
  if (auto st = default_shape.validate(); !st) return st.error();
  std::vector<std::vector<std::string>> rows;
  std::size_t start = 0;
  while (start < csv_text.size()) {
    std::size_t end = csv_text.find('\n', start);
    if (end == std::string_view::npos) end = csv_text.size();
    std::string_view line = csv_text.substr(start, end - start);
    if (!line.empty() && line != "\r") rows.push_back(split_csv_line(line));
    start = end + 1;
  }
  if (rows.size() < 2) return make_error("latency CSV: need a header and at least one row");
  std::vector<std::string> zones(rows[0].begin() + 1, rows[0].end());
  if (zones.empty() || zones.size() > kMaxZones) return make_error("latency CSV: 1..256 zones expected");
  if (rows.size() != zones.size() + 1) return make_error("latency CSV: expected one row per zone");
  LatencyModel model(zones, default_shape);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const std::string where = fmt::format("latency CSV line {}", r + 1);
    if (row.size() != zones.size() + 1) return make_error(where + ": wrong number of cells");
    if (row[0] != zones[r - 1]) return make_error(where + ": row zone '" + row[0] + "' != column '" + zones[r - 1] + "'");
    for (std::size_t c = 1; c < row.size(); ++c) {
      TimeUs v = 0;
      if (!parse_ms(row[c], v)) return make_error(where + ": bad milliseconds '" + row[c] + "'");
      model.set_pair(static_cast<std::uint32_t>(r - 1), static_cast<std::uint32_t>(c - 1), v, false);
    }
  }
  return model;
}

Result<LatencyModel> LatencyModel::from_csv_file(const std::string& path, Distribution default_shape) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read latency matrix file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  auto model = from_csv(text.str(), default_shape);
  if (!model) return make_error(path + ": " + model.error().message);
  return model;
}

Result<std::uint32_t> LatencyModel::zone_index(std::string_view name) const {
  for (std::size_t i = 0; i < zones_.size(); ++i) {
    if (zones_[i] == name) return static_cast<std::uint32_t>(i);
  }
  return make_error("unknown zone '" + std::string(name) + "'");
}

void LatencyModel::set_pair(std::uint32_t from_zone, std::uint32_t to_zone, TimeUs one_way, bool symmetric) {
  MT_ASSERT(from_zone < zones_.size() && to_zone < zones_.size() && one_way >= 0, "bad latency pair");
  auto& cell = matrix_[from_zone * zones_.size() + to_zone];
  cell = cell.with_centre(static_cast<double>(one_way));
  if (symmetric) set_pair(to_zone, from_zone, one_way, false);
}

void LatencyModel::set_pair_distribution(std::uint32_t from_zone, std::uint32_t to_zone, Distribution d) {
  MT_ASSERT(from_zone < zones_.size() && to_zone < zones_.size() && d.validate().ok(), "bad latency pair");
  matrix_[from_zone * zones_.size() + to_zone] = d;
}

void LatencyModel::set_jitter(TimeUs jitter_us) {
  MT_ASSERT(jitter_us >= 0 && jitter_us <= kMaxDelayUs, "jitter out of range");
  jitter_us_ = jitter_us;
}

Status LatencyModel::assign_zones(std::vector<std::uint32_t> node_zone) {
  for (std::size_t i = 0; i < node_zone.size(); ++i) {
    if (node_zone[i] >= zones_.size()) return make_error(fmt::format("node {} assigned to unknown zone", i));
  }
  node_zone_ = std::move(node_zone);
  return {};
}

TimeUs LatencyModel::sample(PeerId from, PeerId to, Rng& rng) const {
  const Distribution& d = pair(zone_of(from), zone_of(to));
  double us = d.sample(rng);
  if (jitter_us_ > 0) us += static_cast<double>(rng.uniform_int(0, jitter_us_));
  if (!(us > 0)) return 0;  // also catches NaN
  if (us >= static_cast<double>(kMaxDelayUs)) return kMaxDelayUs;
  return static_cast<TimeUs>(std::llround(us));
}

bool LatencyModel::deterministic() const {
  return jitter_us_ == 0 && std::all_of(matrix_.begin(), matrix_.end(), [](const Distribution& d) {
           return d.kind == Distribution::Kind::constant;
         });
}

}  // namespace mt::sim

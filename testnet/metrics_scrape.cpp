#include "testnet/metrics_scrape.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace mt::testnet {

Result<std::map<std::string, double>> parse_exposition(std::string_view text) {
  std::map<std::string, double> out;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string line(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const std::size_t sp = line.rfind(' ');
    if (sp == std::string::npos || sp == 0) return make_error(fmt::format("metrics line {}: no value: {}", line_no, line));
    const std::string value = line.substr(sp + 1);
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || *end != '\0') {
      return make_error(fmt::format("metrics line {}: value is not a number: {}", line_no, line));
    }
    out[line.substr(0, sp)] = v;
  }
  return out;
}

namespace {

// Sum of every series of one family (`name` followed by '{' or nothing).
double family_sum(const std::map<std::string, double>& samples, const std::string& name) {
  double sum = 0;
  for (auto it = samples.lower_bound(name); it != samples.end() && it->first.starts_with(name); ++it) {
    const std::string_view rest = std::string_view(it->first).substr(name.size());
    if (rest.empty() || rest.front() == '{') sum += it->second;
  }
  return sum;
}

}  // namespace

ScrapeTotals scrape_totals(const std::vector<NodeMetrics>& nodes) {
  ScrapeTotals t;
  t.nodes = nodes.size();
  for (const auto& n : nodes) {
    if (!n.error.empty()) continue;
    ++t.scraped;
    t.store_writes += family_sum(n.samples, "mtnode_store_writes_total");
    t.store_bytes += family_sum(n.samples, "mtnode_store_write_bytes_total");
    t.sync_seconds += family_sum(n.samples, "mtnode_sync_seconds_total");
    t.peer_bans += family_sum(n.samples, "mtnode_peer_bans_total");
    t.rejected += family_sum(n.samples, "mtnode_messages_rejected_total");
    t.finality_sum += family_sum(n.samples, "mtnode_finality_seconds_sum");
    t.finality_count += family_sum(n.samples, "mtnode_finality_seconds_count");
  }
  return t;
}

std::string scrape_line(const ScrapeTotals& t) {
  const std::string finality =
      t.finality_count > 0 ? fmt::format("{:.3f} s", t.finality_sum / t.finality_count) : std::string("n/a");
  return fmt::format(
      "node metrics: scraped {}/{}; store writes {:.0f} ({:.1f} MiB); sync {:.1f} s; finality mean {}; "
      "rejected messages {:.0f}; peer bans {:.0f}",
      t.scraped, t.nodes, t.store_writes, t.store_bytes / (1024.0 * 1024.0), t.sync_seconds, finality, t.rejected,
      t.peer_bans);
}

nlohmann::json scrape_json(const std::vector<NodeMetrics>& nodes) {
  nlohmann::json list = nlohmann::json::array();
  std::size_t scraped = 0;
  for (const auto& n : nodes) {
    nlohmann::json j{{"name", n.name}};
    if (!n.error.empty()) {
      j["error"] = n.error;
    } else {
      ++scraped;
      nlohmann::json samples = nlohmann::json::object();
      for (const auto& [series, v] : n.samples) samples[series] = std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
      j["samples"] = std::move(samples);
    }
    list.push_back(std::move(j));
  }
  return nlohmann::json{{"scraped", scraped}, {"nodes", std::move(list)}};
}

}  // namespace mt::testnet

// `mtsim testnet` scrapes every node's GET /metrics at the end of a run: the samples of each node
// (series as written, labels included, e.g. mtnode_store_writes_total{kind="block"}) go into
// report.json's "testnet_metrics" section, and a few totals over the nodes into one console line.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace mt::testnet {

struct NodeMetrics {
  std::string name;                        // "val[0]"
  std::string error;                       // why the scrape failed (empty: it worked)
  std::map<std::string, double> samples;   // series -> value
};

// Samples of a Prometheus text exposition (comments skipped); an error names the first bad line.
Result<std::map<std::string, double>> parse_exposition(std::string_view text);

// Totals over the scraped nodes, for the console.
struct ScrapeTotals {
  std::size_t scraped = 0, nodes = 0;
  double store_writes = 0, store_bytes = 0, sync_seconds = 0, peer_bans = 0, rejected = 0;
  double finality_sum = 0, finality_count = 0;  // mtnode_finality_seconds _sum and _count
};
ScrapeTotals scrape_totals(const std::vector<NodeMetrics>& nodes);
std::string scrape_line(const ScrapeTotals& t);  // "node metrics: scraped 4/4; store writes ..."

// {"scraped": n, "nodes": [{"name", "error"?, "samples": {series: value}}]}
nlohmann::json scrape_json(const std::vector<NodeMetrics>& nodes);

}  // namespace mt::testnet

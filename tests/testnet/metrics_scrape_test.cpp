// The end-of-run scrape reads back what a node's /metrics writes, sums families over the nodes
// for the console line (a failed scrape counted out, not as zeros), and names a bad line.
#include <doctest/doctest.h>

#include "testnet/metrics_scrape.hpp"
#include "testnet/metrics_text.hpp"

namespace mt::testnet {
namespace {

std::string node_text(double writes, double finality_a, double finality_b) {
  MetricsText m;
  m.family("mtnode_store_writes_total", "counter", "W.");
  m.sample("mtnode_store_writes_total", writes, {{"kind", "block"}});
  m.sample("mtnode_store_writes_total", 1, {{"kind", "meta"}});
  m.family("mtnode_peer_bans_total", "counter", "B.");
  m.sample("mtnode_peer_bans_total", 2);
  m.histogram("mtnode_finality_seconds", "F.", {0.5, 1}, {finality_a, finality_b});
  return m.str();
}

TEST_CASE("scraped metrics parse back and sum over the nodes that answered") {
  auto a = parse_exposition(node_text(10, 0.2, 0.4));
  auto b = parse_exposition(node_text(20, 0.6, 0.8));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.value().at("mtnode_store_writes_total{kind=\"block\"}") == 10);
  CHECK(a.value().at("mtnode_finality_seconds_bucket{le=\"0.5\"}") == 2);
  const std::vector<NodeMetrics> nodes{{"val[0]", "", a.value()}, {"val[1]", "", b.value()}, {"val[2]", "HTTP 500", {}}};
  const ScrapeTotals t = scrape_totals(nodes);
  CHECK(t.scraped == 2);
  CHECK(t.nodes == 3);
  CHECK(t.store_writes == 32);  // 10 + 1 + 20 + 1
  CHECK(t.peer_bans == 4);
  CHECK(t.finality_count == 4);
  CHECK(t.finality_sum == doctest::Approx(2.0));
  const std::string line = scrape_line(t);
  CHECK(line.find("scraped 2/3") != std::string::npos);
  CHECK(line.find("finality mean 0.500 s") != std::string::npos);
  const auto j = scrape_json(nodes);
  CHECK(j["scraped"] == 2);
  CHECK(j["nodes"][2]["error"] == "HTTP 500");
  CHECK(j["nodes"][0]["samples"]["mtnode_peer_bans_total"] == 2);
}

TEST_CASE("a line without a numeric value is an error naming the line") {
  auto r = parse_exposition("# HELP x X.\nmtnode_x 1\nmtnode_y one\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("line 3") != std::string::npos);
  CHECK_FALSE(parse_exposition("mtnode_x\n").ok());
}

}  // namespace
}  // namespace mt::testnet

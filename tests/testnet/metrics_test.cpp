// GET /metrics is valid Prometheus text: every sample belongs to a family announced by one HELP
// and one TYPE line, names carry the mtnode_ prefix, values parse, label values are escaped and
// histograms are cumulative with +Inf == _count. Checked on a node runtime built in-process and,
// when promtool is installed, with `promtool check metrics` too.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "testnet/metrics_text.hpp"
#include "testnet/node_runtime.hpp"

namespace mt::testnet {
namespace {

namespace fs = std::filesystem;

// The problems found in `text`, empty when it is well-formed exposition format.
std::vector<std::string> exposition_problems(const std::string& text) {
  std::vector<std::string> bad;
  const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (\S+)$)");
  const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter|histogram)$)");
  std::map<std::string, std::string> types;
  std::set<std::string> helped;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (line.starts_with("# HELP ")) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      if (!helped.insert(name).second) bad.push_back("second HELP for " + name);
    } else if (std::regex_match(line, m, type)) {
      if (!types.emplace(m[1], m[2]).second) bad.push_back("second TYPE for " + m[1].str());
    } else if (std::regex_match(line, m, sample)) {
      std::string fam = m[1];
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        if (!types.contains(fam) && fam.ends_with(suffix)) fam = fam.substr(0, fam.size() - std::string(suffix).size());
      }
      if (!types.contains(fam)) bad.push_back("sample before its TYPE: " + line);
      if (!fam.starts_with("mtnode_")) bad.push_back("no mtnode_ prefix: " + line);
      char* end = nullptr;
      const std::string v = m[5];
      (void)std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0') bad.push_back("bad value: " + line);
    } else {
      bad.push_back("unparsable: " + line);
    }
  }
  return bad;
}

TEST_CASE("the exposition writer escapes labels and writes cumulative histograms") {
  MetricsText m;
  m.family("mtnode_x", "gauge", "X.");
  m.sample("mtnode_x", 1.5, {{"who", "a\"b\\c\nd"}});
  m.histogram("mtnode_h", "H.", {1, 2}, {0.5, 1.5, 9});
  CHECK(exposition_problems(m.str()).empty());
  CHECK(m.str().find(R"(who="a\"b\\c\nd")") != std::string::npos);
  CHECK(m.str().find("mtnode_h_bucket{le=\"1\"} 1\n") != std::string::npos);
  CHECK(m.str().find("mtnode_h_bucket{le=\"2\"} 2\n") != std::string::npos);
  CHECK(m.str().find("mtnode_h_bucket{le=\"+Inf\"} 3\n") != std::string::npos);
  CHECK(m.str().find("mtnode_h_count 3\n") != std::string::npos);
  CHECK_FALSE(exposition_problems("mtnode_y 1\n").empty());  // no TYPE: the checker can fail
}

TEST_CASE("a node's /metrics text is valid exposition format with the issue's metrics") {
  const fs::path dir = fs::temp_directory_path() / ("mtsim-metrics-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "scenario.yaml") << "version: 1\nname: m\nseed: 1\nduration: 1min\n"
                                          "validators:\n  - { group: val, count: 2, stake: 1000000 }\n";
  NodeLaunch l;
  l.scenario_path = (dir / "scenario.yaml").string();
  l.data_dir = (dir / "node-0").string();
  l.p2p_ports = {1, 2};
  l.rpc_ports = {3, 4};
  auto rt = NodeRuntime::create(l);
  REQUIRE(rt.ok());
  const std::string text = node_metrics(*rt.value());
  const auto problems = exposition_problems(text);
  for (const auto& p : problems) FAIL_CHECK(p);
  for (const char* name : {"mtnode_height ", "mtnode_round ", "mtnode_step ", "mtnode_peers ", "mtnode_mempool_txs ",
                           "mtnode_bytes_total{kind=\"vote\",direction=\"in\"}", "mtnode_signature_checks_total",
                           "mtnode_block_interval_seconds_bucket", "mtnode_connections_closed_total",
                           "mtnode_store_writes_total{kind=\"block\"}", "mtnode_store_write_bytes_total{kind=\"meta\"}",
                           "mtnode_sync_seconds_total ", "mtnode_sync_episodes_total ", "mtnode_finality_seconds_bucket",
                           "mtnode_peer_bans_total "}) {
    CAPTURE(name);
    CHECK(text.find(name) != std::string::npos);
  }
  // $PROMTOOL, else promtool on the PATH (docs/testnet.md: Debian's prometheus package has it).
  const char* env = std::getenv("PROMTOOL");
  const std::string promtool = env != nullptr && *env != '\0' ? env : "promtool";
  if (std::system(("command -v " + promtool + " >/dev/null 2>&1").c_str()) == 0) {
    std::ofstream(dir / "metrics.txt") << text;
    CHECK(std::system((promtool + " check metrics < " + (dir / "metrics.txt").string()).c_str()) == 0);
  } else {
    MESSAGE("promtool not installed (nor $PROMTOOL): checked with the built-in exposition checker only");
  }
  rt = make_error("done");  // the runtime before its folder
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mt::testnet

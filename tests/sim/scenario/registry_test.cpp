// The check, metric and byzantine-behaviour registries are the one declaration of each name: the
// loader accepts exactly them, the metrics collector answers every metric path, and the tables in
// docs/scenario-reference.md list exactly them with the registry's own words.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <type_traits>
#include <variant>

#include "sim/metrics/metrics_collector.hpp"
#include "sim/scenario/behavior_registry.hpp"
#include "sim/scenario/chain_param_registry.hpp"
#include "sim/scenario/check_registry.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "sim/scenario/scenario_writer.hpp"
#include "sim/scenario/metric_registry.hpp"
#include "tests/sim/checks/check_events.hpp"

using namespace mt;
using namespace mt::sim;

namespace {

std::string reference_doc() {
  std::ifstream f(std::string(MTSIM_SOURCE_DIR) + "/docs/scenario-reference.md");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The rows of the markdown table whose header starts with `| first |`, as their full lines.
std::vector<std::string> table_rows(const std::string& doc, const std::string& first) {
  std::vector<std::string> rows;
  const auto at = doc.find("\n| " + first + " |");  // a header line, not a cell
  if (at == std::string::npos) return rows;
  std::istringstream in(doc.substr(at + 1));
  std::string line;
  std::getline(in, line);  // header
  std::getline(in, line);  // |---|
  while (std::getline(in, line) && line.rfind("| `", 0) == 0) rows.push_back(line);
  return rows;
}

}  // namespace

TEST_CASE("the docs' check table is the check registry, row for row") {
  const auto rows = table_rows(reference_doc(), "check");
  REQUIRE(rows.size() == check_registry().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& c = check_registry()[i];
    CHECK(rows[i] == "| `" + std::string(c.name) + "` | " + std::string(c.params_doc) + " | " + std::string(c.doc) + " |");
    CHECK(&check_spec(c.kind) == &c);  // the registry is in enum order
    CHECK(find_check(c.name) == &c);
  }
  CHECK(find_check("no_such_check") == nullptr);
}

TEST_CASE("the docs' metric table is the metric registry, row for row") {
  const auto rows = table_rows(reference_doc(), "metric");
  REQUIRE(rows.size() == metric_registry().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& m = metric_registry()[i];
    const std::string unit = m.unit.empty() ? "—" : std::string(m.unit);
    CHECK(rows[i] == "| `" + std::string(m.path) + "` | " + unit + " | " + std::string(m.doc) + " |");
  }
}

TEST_CASE("the docs' behaviour table is the behaviour registry, row for row") {
  const auto rows = table_rows(reference_doc(), "behaviour");
  REQUIRE(rows.size() == behavior_registry().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& b = behavior_registry()[i];
    CHECK(rows[i] == "| `" + std::string(b.name) + "` | " + std::string(b.param_doc) + " | " + std::string(b.doc) + " |");
    CHECK(&behavior_spec(b.kind) == &b);
  }
}

// The docs row a chain parameter must have: key, unit, default (Params' own) and doc line.
std::string chain_param_row(const ChainParamSpec& p) {
  const std::string def = p.default_doc.empty() ? "`" + format_chain_param(p, Params{}) + "`" : std::string(p.default_doc);
  return "| `" + std::string(p.key) + "` | " + std::string(kind_doc(p.kind)) + " | " + def + " | " + std::string(p.doc) + " |";
}

TEST_CASE("the docs' chain table is the chain parameter registry, row for row, defaults included") {
  const auto rows = table_rows(reference_doc(), "parameter");
  REQUIRE(rows.size() == chain_param_registry().size());
  for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i] == chain_param_row(chain_param_registry()[i]));
}

TEST_CASE("every chain parameter a scenario sets survives the writer and the loader") {
  // Each registered key set to a value unlike its default, written out and read back.
  auto loaded = load_scenario(std::string(MTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml");
  REQUIRE(loaded.ok());
  Scenario s = loaded.value();
  Params& p = s.chain.params;
  for (const auto& spec : chain_param_registry()) {
    std::visit([&](auto field) {
      using F = decltype(field);
      if constexpr (std::is_same_v<F, std::string Params::*>) p.*field = "other-chain";
      else if constexpr (std::is_same_v<F, std::monostate>) { p.quorum_num = 3; p.quorum_den = 4; }
      else p.*field = p.*field > 1 ? p.*field - 1 : p.*field + 1;
    }, spec.field);
  }
  p.emission_burn_bp += 7;  // each of the seven shares lost one point: they still sum to 100%
  const auto back = load_scenario_text(to_yaml(s), "written.yaml");
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message));
  for (const auto& spec : chain_param_registry()) {
    CHECK_MESSAGE(format_chain_param(spec, back.value().chain.params) == format_chain_param(spec, p), spec.key);
    CHECK(format_chain_param(spec, p) != format_chain_param(spec, Params{}));
  }
}

TEST_CASE("the metrics collector answers every registered metric path") {
  RunView view = test::make_view(4);
  MetricsCollector metrics(view, kUsPerSec);
  for (std::uint64_t height = 1; height <= 5; ++height) {
    for (std::size_t node = 0; node < 4; ++node) {
      metrics.on_event(node, sec(static_cast<std::int64_t>(height)), test::commit(height, "b" + std::to_string(height)));
    }
  }
  std::map<std::string, double> subnet;
  for (const auto& m : metric_registry()) {
    if (m.end_of_run) subnet[std::string(m.path)] = 1;
  }
  metrics.set_state_metrics(subnet);
  const IntervalSet all(0, sec(6));
  for (const auto& m : metric_registry()) {
    CAPTURE(m.path);
    const bool latency = std::string(m.path).rfind("finality_latency.", 0) == 0;  // needs submitted txs
    if (m.needs_capacity) continue;  // one run does not measure it: `mtsim capacity` does
    if (!latency) CHECK(metrics.metric(std::string(m.path), all).has_value());
  }
  metrics.on_submitted(test::h("tx"), 0);
  CHECK_FALSE(metrics.metric("finality_latency.p50", all).has_value());  // submitted, never finalized
}

TEST_CASE("the loader takes exactly the registered names, and each check's own parameters") {
  auto with = [](const std::string& entry) {
    const std::string text = "version: 1\nname: r\nduration: 10s\nvalidators:\n  - { group: v, count: 4, stake: 1 }\n"
                             "faults:\n  - { id: f, at: 2s, crash: one, restart_after: 1s }\nexpect:\n  - " + entry + "\n";
    return load_scenario_text(text, "r.yaml");
  };
  for (const auto& c : check_registry()) {
    std::string entry = "{ check: " + std::string(c.name);
    for (const auto& p : c.params) {
      if (p == "who") continue;
      if (p == "after") entry += ", after: f";
      if (p == "within" || p == "max_stall") entry += ", " + std::string(p) + ": 5s";
      if (p == "min") entry += ", min: 3";
      if (p == "max_share") entry += ", max_share: 0.5";
    }
    CAPTURE(entry);
    auto s = with(entry + " }");
    if (c.needs_subnets) {  // the loader knows these read the AI layer
      REQUIRE_FALSE(s.ok());
      CHECK(s.error().message.find("needs a 'subnets:' section") != std::string::npos);
    } else {
      CHECK_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    }
  }
  for (const auto& m : metric_registry()) CHECK(with("{ metric: " + std::string(m.path) + ", min: 0 }").ok());
  CHECK_FALSE(with("{ check: no_such_check }").ok());
  CHECK_FALSE(with("{ metric: no.such.metric, min: 1 }").ok());
  CHECK_FALSE(with("{ check: chain_height }").ok());             // needs min
  CHECK_FALSE(with("{ check: chain_height, min: 3 }\n  - { check: chain_height, min: 3, who: one }").ok());
  CHECK_FALSE(with("{ check: recovers, after: f, within: 5s, min: 3 }").ok());  // min is chain_height's
}

TEST_CASE("the loader takes every registered behaviour with its own parameter and refuses others'") {
  auto with = [](const std::string& byzantine) {
    const std::string text = "version: 1\nname: r\nduration: 10s\nvalidators:\n  - { group: v, count: 4, stake: 1 }\n"
                             "  - { group: b, count: 1, stake: 1, byzantine: " + byzantine + " }\n";
    return load_scenario_text(text, "r.yaml");
  };
  for (const auto& b : behavior_registry()) {
    std::string entry = "{ behavior: " + std::string(b.name);
    if (b.param == "by") entry += ", by: 100ms";
    if (b.param == "fraction") entry += ", fraction: 50%";
    if (b.param == "rate") entry += ", rate: 5/s";
    if (b.param == "to") entry += ", to: \"v[0]\"";
    CAPTURE(entry);
    auto s = with(entry + " }");
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    CHECK(s.value().groups.back().byzantine->behavior == b.name);
    CHECK(with(std::string(b.name)).ok() == b.param.empty());  // the scalar form only without a parameter
  }
  CHECK_FALSE(with("{ behavior: amnesia, by: 100ms }").ok());
  CHECK_FALSE(with("{ behavior: no_such_behaviour }").ok());
}

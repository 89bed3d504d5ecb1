#include "sim/explain/event_log.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace mt::sim {

namespace {

using Json = nlohmann::json;

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t num(const Json& j, const char* key, std::int64_t fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

void read_node_info(const Json& j, EventLog& log) {
  const auto node = static_cast<std::size_t>(num(j, "node", 0));
  if (log.nodes.size() <= node) log.nodes.resize(node + 1);
  LogNode& n = log.nodes[node];
  n.name = str(j, "name");
  n.group = str(j, "group");
  n.stake = j.contains("stake") && j["stake"].is_number_unsigned() ? j["stake"].get<std::uint64_t>() : 0;
  n.honest = j.value("honest", true);
  n.byzantine = str(j, "byzantine");
  n.at_genesis = j.value("at_genesis", true);
}

void read_world(const Json& j, EventLog& log) {
  LogWorldEvent w;
  w.t = num(j, "t", 0);
  w.kind = str(j, "kind");
  w.fault = str(j, "fault");
  w.fault_kind = str(j, "fault_kind");
  w.targets = str(j, "targets");
  if (auto it = j.find("nodes"); it != j.end() && it->is_array()) {
    for (const auto& n : *it) {
      if (n.is_number_unsigned()) w.nodes.push_back(n.get<std::size_t>());
    }
  }
  log.world.push_back(std::move(w));
}

void read_node_event(const Json& j, const std::string& kind, EventLog& log) {
  LogEvent e;
  e.t = num(j, "t", 0);
  e.node = static_cast<std::size_t>(num(j, "node", 0));
  e.kind = kind;
  e.height = static_cast<std::uint64_t>(num(j, "height", 0));
  e.round = num(j, "round", -1);
  e.who = num(j, kind == "slash" ? "validator" : "proposer", -1);
  e.block = str(j, "block");
  for (const char* key : {"reason", "verdict", "step", "type"}) {
    if (j.contains(key)) e.text = str(j, key);
  }
  if (kind == "timeout_scheduled") e.number = num(j, "delay_us", 0);
  if (kind == "vote") e.number = num(j, "locked_round", -1);
  if (kind == "proposal_received") e.number = num(j, "pol_round", -1);
  log.events.push_back(std::move(e));
}

bool is_world_kind(const std::string& kind) {
  return kind == "fault_begin" || kind == "fault_end" || kind == "crash" || kind == "restart";
}

}  // namespace

std::uint64_t EventLog::total_stake() const {
  std::uint64_t total = 0;
  for (const auto& n : nodes) total += n.stake;
  return total;
}

Result<EventLog> parse_event_log(const std::string& text) {
  EventLog log;
  std::istringstream in(text);
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return make_error(fmt::format("events line {}: not a JSON object", number));
    const std::string kind = str(j, "kind");
    if (kind == "node_info") {
      read_node_info(j, log);
    } else if (is_world_kind(kind)) {
      read_world(j, log);
    } else if (!kind.empty()) {
      read_node_event(j, kind, log);
    }
  }
  for (const auto& e : log.events) {
    if (e.node >= log.nodes.size()) return make_error(fmt::format("events: node {} has no node_info line", e.node));
  }
  return log;
}

Result<EventLog> read_event_log(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return make_error("cannot read " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  auto log = parse_event_log(ss.str());
  if (!log.ok()) return make_error(path + ": " + log.error().message);
  return log;
}

}  // namespace mt::sim

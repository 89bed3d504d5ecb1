// `network:` — zones, latency (default shape, matrix or matrix_file, jitter), link properties, peers.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "sim/scenario/read_sections.hpp"

namespace mt::sim::detail {
namespace {

const std::vector<std::string> kDistNames{"constant", "uniform", "normal", "lognormal", "pareto"};

std::vector<std::string> split_csv_line(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    std::string cell = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!cell.empty() && cell.front() == ' ') cell.erase(cell.begin());
    while (!cell.empty() && cell.back() == ' ') cell.pop_back();
    cells.push_back(cell);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

constexpr std::size_t kMaxMatrixZones = 256;
constexpr TimeUs kMaxGossipBatchUs = kUsPerSec;
constexpr std::uint64_t kMaxGossipDegree = 64;            // far above gossipsub's d_hi of 12
constexpr TimeUs kMinGossipHeartbeatUs = 100 * kUsPerMs;  // faster only burns IHAVEs
constexpr TimeUs kMaxGossipHeartbeatUs = 10 * kUsPerSec;  // slower leaves loss unhealed for long
constexpr std::uint64_t kMaxGossipHistory = 20;           // heartbeats a message stays IWANT-able

// Reads a CSV matrix ("From/to,<zone>,..." then one row per source zone, one-way milliseconds)
// into directed pairs, so the resolved scenario carries the numbers and not a path.
std::optional<std::vector<LatencyPair>> read_csv_matrix(const std::string& path, const SourceLoc& loc,
                                                        Diagnostics& diag) {
  std::ifstream in(path);
  std::string line;
  auto fail = [&](const std::string& why) {
    diag.error(loc, "network.latency.matrix_file: '" + path + "': " + why);
    return std::nullopt;
  };
  if (!in || !std::getline(in, line)) return fail("cannot read it");
  auto header = split_csv_line(line);
  if (header.size() < 2 || header.size() > kMaxMatrixZones + 1) return fail("expected a header 'From/to,<zone>,...'");
  std::vector<LatencyPair> pairs;
  std::size_t rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    auto cells = split_csv_line(line);
    if (cells.size() != header.size()) return fail(fmt::format("row {} has the wrong number of cells", rows + 2));
    if (++rows > kMaxMatrixZones) return fail("too many rows");
    for (std::size_t c = 1; c < cells.size(); ++c) {
      auto d = parse_duration(cells[c] + "ms");
      if (!d) return fail(fmt::format("row {}: '{}' is not a number of milliseconds", rows + 1, cells[c]));
      pairs.push_back(LatencyPair{cells[0], header[c], d.value(), false, loc});
    }
  }
  if (rows == 0) return fail("no rows");
  return pairs;
}

void read_matrix(const YamlNode& node, NetworkConfig& net, Diagnostics& diag) {
  if (!node.is_map()) {
    diag.error(node.loc, "network.latency.matrix: expected a mapping like {a~b: 38ms, a->c: 90ms}");
    return;
  }
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    const std::string& k = node.keys[i];
    LatencyPair pair;
    auto sep = k.find("->");
    std::size_t sep_len = 2;
    pair.symmetric = sep == std::string::npos;
    if (pair.symmetric) {
      sep = k.find('~');
      sep_len = 1;
    }
    if (sep == std::string::npos || sep == 0 || sep + sep_len >= k.size()) {
      diag.error(node.key_locs[i], "network.latency.matrix: key '" + k + "' must be 'zone~zone' or 'zone->zone'");
      continue;
    }
    pair.from = k.substr(0, sep);
    pair.to = k.substr(sep + sep_len);
    auto d = parse_node<TimeUs>(node.children[i], "network.latency.matrix." + k, parse_duration, diag);
    if (!d) continue;
    pair.one_way_us = *d;
    pair.loc = node.key_locs[i];
    net.matrix.push_back(pair);
  }
}

void read_latency(const YamlNode& node, const std::string& base_dir, NetworkConfig& net, Diagnostics& diag) {
  MapReader r(node, "network.latency", {"default", "matrix", "matrix_file", "jitter"}, diag);
  if (const YamlNode* d = r.get("default")) {
    if (auto dist = read_delay_dist(*d, "network.latency.default", diag)) net.latency_default = *dist;
  }
  if (const YamlNode* m = r.get("matrix")) read_matrix(*m, net, diag);
  if (auto f = r.text("matrix_file")) {
    const auto p = std::filesystem::path(*f).is_absolute() ? std::filesystem::path(*f)
                                                           : std::filesystem::path(base_dir) / *f;
    if (!std::filesystem::exists(p)) {
      diag.error(r.get("matrix_file")->loc, "network.latency.matrix_file: no such file '" + p.string() + "'");
    } else {
      net.matrix_file = std::filesystem::weakly_canonical(p).string();
    }
  }
  if (auto j = r.duration("jitter")) net.jitter_us = *j;
}

void read_peers(const YamlNode& node, PeersConfig& peers, Diagnostics& diag) {
  peers.loc = node.loc;
  if (node.is_scalar()) {  // `peers: full_mesh`
    if (auto w = read_word(node, "network.peers", {"full_mesh"}, diag)) peers.kind = PeersConfig::Kind::full_mesh;
    return;
  }
  MapReader r(node, "network.peers", {"kind", "degree", "k", "p"}, diag);
  auto kind = r.word("kind", {"full_mesh", "random_regular", "small_world"});
  if (!kind) {
    if (r.valid() && !r.has("kind")) diag.error(node.loc, "network.peers: missing 'kind'");
    return;
  }
  auto need = [&](const char* key) {
    if (!r.has(key)) diag.error(node.loc, "network.peers: " + *kind + " needs '" + key + "'");
  };
  auto forbid = [&](const char* key) {
    if (r.has(key)) diag.error(r.loc_of(key), "network.peers: '" + std::string(key) + "' does not apply to " + *kind);
  };
  if (*kind == "full_mesh") {
    peers.kind = PeersConfig::Kind::full_mesh;
    forbid("degree"), forbid("k"), forbid("p");
  } else if (*kind == "random_regular") {
    peers.kind = PeersConfig::Kind::random_regular;
    need("degree"), forbid("k"), forbid("p");
    if (auto d = r.count("degree")) peers.degree = static_cast<std::size_t>(*d);
  } else {
    peers.kind = PeersConfig::Kind::small_world;
    need("k"), need("p"), forbid("degree");
    if (auto k = r.count("k")) peers.k = static_cast<std::size_t>(*k);
    if (auto p = r.fraction("p")) peers.p = *p;
  }
}

}  // namespace

std::optional<DelayDist> read_delay_dist(const YamlNode& node, const std::string& section, Diagnostics& diag) {
  if (node.is_scalar()) {  // a plain duration is a constant
    auto d = parse_node<TimeUs>(node, section, parse_duration, diag);
    if (!d) return std::nullopt;
    return DelayDist{DistKind::constant, *d, 0, 0};
  }
  MapReader r(node, section, {"dist", "value", "min", "max", "mean", "stddev", "median", "sigma", "scale", "alpha"},
              diag);
  auto kind = r.word("dist", kDistNames);
  if (!kind) {
    if (r.valid() && !r.has("dist")) diag.error(node.loc, section + ": missing 'dist'");
    return std::nullopt;
  }
  DelayDist out;
  auto need_time = [&](const char* key) -> TimeUs {
    if (!r.has(key)) diag.error(node.loc, section + ": " + *kind + " needs '" + key + "'");
    return r.duration(key).value_or(0);
  };
  auto need_real = [&](const char* key) -> double {
    if (!r.has(key)) diag.error(node.loc, section + ": " + *kind + " needs '" + key + "'");
    auto v = r.real(key).value_or(0);
    if (v <= 0 && r.has(key)) diag.error(r.loc_of(key), section + "." + key + ": must be above 0");
    return v;
  };
  if (*kind == "constant") out = {DistKind::constant, need_time("value"), 0, 0};
  if (*kind == "uniform") out = {DistKind::uniform, need_time("min"), need_time("max"), 0};
  if (*kind == "normal") out = {DistKind::normal, need_time("mean"), need_time("stddev"), 0};
  if (*kind == "lognormal") out = {DistKind::lognormal, need_time("median"), 0, need_real("sigma")};
  if (*kind == "pareto") out = {DistKind::pareto, need_time("scale"), 0, need_real("alpha")};
  if (out.kind == DistKind::uniform && out.b_us < out.a_us) diag.error(node.loc, section + ": max is below min");
  // Keys that do not belong to this distribution.
  static const std::vector<std::pair<DistKind, std::vector<std::string>>> kKeys{
      {DistKind::constant, {"value"}},         {DistKind::uniform, {"min", "max"}},
      {DistKind::normal, {"mean", "stddev"}},  {DistKind::lognormal, {"median", "sigma"}},
      {DistKind::pareto, {"scale", "alpha"}}};
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    const auto& own = kKeys[static_cast<std::size_t>(out.kind)].second;
    const auto& k = node.keys[i];
    if (k != "dist" && std::find(own.begin(), own.end(), k) == own.end()) {
      diag.error(node.key_locs[i], section + ": '" + k + "' does not apply to " + *kind + did_you_mean(k, own));
    }
  }
  return out;
}

void read_gossip_mesh(const YamlNode& node, GossipParams& g, Diagnostics& diag) {
  MapReader r(node, "network.gossip.mesh", {"d", "d_lo", "d_hi"}, diag);
  auto degree = [&](const char* key, std::uint32_t& out) {
    if (auto v = r.count(key)) {
      if (*v < 1 || *v > kMaxGossipDegree) {
        diag.error(r.loc_of(key), fmt::format("network.gossip.mesh.{}: {} is outside 1..{}", key, *v, kMaxGossipDegree));
      } else {
        out = static_cast<std::uint32_t>(*v);
      }
    }
  };
  degree("d", g.d), degree("d_lo", g.d_lo), degree("d_hi", g.d_hi);
  if (!(g.d_lo <= g.d && g.d <= g.d_hi)) {
    diag.error(node.loc, fmt::format("network.gossip.mesh: needs d_lo <= d <= d_hi (got {}, {}, {})", g.d_lo, g.d, g.d_hi));
  }
}

void read_gossip(const YamlNode& node, GossipParams& g, Diagnostics& diag) {
  MapReader r(node, "network.gossip", {"router", "mesh", "heartbeat", "history"}, diag);
  if (auto w = r.word("router", {"gossipsub", "flood"})) g.mode = *w == "flood" ? GossipMode::flood : GossipMode::gossipsub;
  if (const YamlNode* m = r.get("mesh")) read_gossip_mesh(*m, g, diag);
  if (auto h = r.duration("heartbeat")) {
    if (*h < kMinGossipHeartbeatUs || *h > kMaxGossipHeartbeatUs) {
      diag.error(r.loc_of("heartbeat"), fmt::format("network.gossip.heartbeat: {} is outside 100ms..10s", format_duration(*h)));
    } else {
      g.heartbeat = *h;
    }
  }
  if (auto h = r.count("history")) {
    if (*h < 1 || *h > kMaxGossipHistory) {
      diag.error(r.loc_of("history"), fmt::format("network.gossip.history: {} is outside 1..{}", *h, kMaxGossipHistory));
    } else {
      g.history = static_cast<std::uint32_t>(*h);
      g.gossip_windows = std::min<std::uint32_t>(g.gossip_windows, g.history);
    }
  }
}

void read_network(const YamlNode& node, const std::string& base_dir, Scenario& s, Diagnostics& diag) {
  MapReader r(node, "network",
              {"zones", "latency", "bandwidth", "loss", "duplicate", "reorder", "peers", "gossip_batch", "gossip"}, diag);
  NetworkConfig& net = s.network;
  if (const YamlNode* z = r.get("zones")) net.zones = read_word_list(*z, "network.zones", diag);
  if (const YamlNode* l = r.get("latency")) read_latency(*l, base_dir, net, diag);
  if (auto b = r.read<std::uint64_t>("bandwidth", parse_bandwidth)) net.bandwidth_bits_per_s = *b;
  if (auto v = r.fraction("loss")) net.loss = *v;
  if (auto v = r.fraction("duplicate")) net.duplicate = *v;
  if (auto v = r.fraction("reorder")) net.reorder = *v;
  if (const YamlNode* p = r.get("peers")) read_peers(*p, net.peers, diag);
  if (const YamlNode* g = r.get("gossip")) read_gossip(*g, net.gossip, diag);
  if (auto b = r.duration("gossip_batch")) {
    if (*b > kMaxGossipBatchUs) {
      diag.error(r.loc_of("gossip_batch"), "network.gossip_batch: " + format_duration(*b) + " is above the 1s limit " +
                                               "(relays held that long stall consensus)");
    } else {
      net.gossip_batch_us = *b;
    }
  }
  if (!net.matrix_file.empty()) {
    auto pairs = read_csv_matrix(net.matrix_file, r.loc_of("latency"), diag);
    if (!pairs) return;
    std::vector<std::string> zones;
    for (const auto& p : *pairs) {
      if (std::find(zones.begin(), zones.end(), p.to) == zones.end()) zones.push_back(p.to);
    }
    if (net.zones.empty()) net.zones = zones;
    for (const auto& z : net.zones) {
      if (std::find(zones.begin(), zones.end(), z) == zones.end()) {
        diag.error(r.loc_of("zones"), "network.zones: zone '" + z + "' is not in the matrix file" + did_you_mean(z, zones));
      }
    }
    // The file's pairs first, so inline `matrix` entries written beside it override them.
    for (const auto& own : net.matrix) {
      std::erase_if(*pairs, [&](const LatencyPair& p) {
        return (p.from == own.from && p.to == own.to) || (own.symmetric && p.from == own.to && p.to == own.from);
      });
    }
    pairs->insert(pairs->end(), net.matrix.begin(), net.matrix.end());
    net.matrix = std::move(*pairs);
  }
}

std::vector<std::string> read_word_list(const YamlNode& node, const std::string& what, Diagnostics& diag) {
  std::vector<std::string> out;
  if (node.is_scalar()) return {node.scalar};
  if (!node.is_seq()) {
    diag.error(node.loc, what + ": expected a list, got " + node.type_name());
    return out;
  }
  for (const auto& c : node.children) {
    if (auto t = scalar_text(c, what, diag)) out.push_back(*t);
  }
  return out;
}

}  // namespace mt::sim::detail

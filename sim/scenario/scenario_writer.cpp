// to_yaml: block style for sections, flow style for list entries (one line per group, segment,
// fault and expectation, as people write them).
#include "sim/scenario/scenario_writer.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "sim/scenario/behavior_registry.hpp"
#include "sim/scenario/chain_param_registry.hpp"
#include "sim/scenario/read_sections.hpp"

namespace mt::sim {
namespace {

using Flow = YamlFlow;

std::string dur(TimeUs us) { return format_duration(us); }
std::string amt(Amount a) { return amount_to_string(a); }
std::string num(std::uint64_t v) { return std::to_string(v); }

std::string sel_yaml(const Selector& s) {
  switch (s.kind) {
    case Selector::Kind::stake_fraction: return Flow().add("stake_fraction", format_fraction(s.stake_fraction)).str();
    case Selector::Kind::count_from: {
      Flow f;
      f.add("count", num(s.count));
      if (!s.group.empty()) f.add("from", s.group);
      return f.str();
    }
    case Selector::Kind::any_of: {
      std::string out = "[";
      for (std::size_t i = 0; i < s.items.size(); ++i) out += (i ? ", " : "") + sel_yaml(s.items[i]);
      return out + "]";
    }
    default: return yaml_scalar(s.to_string());
  }
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + yaml_scalar(items[i]);
  return out + "]";
}

std::string amount_list(const std::vector<Amount>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + amt(items[i]);
  return out + "]";
}

std::string delay_dist(const DelayDist& d) {
  Flow f;
  f.add("dist", to_string(d.kind));
  switch (d.kind) {
    case DistKind::constant: f.add("value", dur(d.a_us)); break;
    case DistKind::uniform: f.add("min", dur(d.a_us)).add("max", dur(d.b_us)); break;
    case DistKind::normal: f.add("mean", dur(d.a_us)).add("stddev", dur(d.b_us)); break;
    case DistKind::lognormal: f.add("median", dur(d.a_us)).add("sigma", format_real(d.shape)); break;
    case DistKind::pareto: f.add("scale", dur(d.a_us)).add("alpha", format_real(d.shape)); break;
  }
  return f.str();
}

std::string stake(const StakeSpec& s) {
  if (s.kind == StakeSpec::Kind::fixed) return amt(s.fixed);
  if (s.kind == StakeSpec::Kind::list) return amount_list(s.values);
  const StakeDist& d = s.dist;
  Flow f;
  f.add("dist", to_string(d.kind));
  switch (d.kind) {
    case DistKind::constant: f.add("value", amt(d.a)); break;
    case DistKind::uniform: f.add("min", amt(d.a)).add("max", amt(d.b)); break;
    case DistKind::normal: f.add("mean", amt(d.a)).add("stddev", amt(d.b)); break;
    case DistKind::lognormal: f.add("median", amt(d.a)).add("sigma", format_real(d.shape)); break;
    case DistKind::pareto: f.add("scale", amt(d.a)).add("alpha", format_real(d.shape)); break;
  }
  if (d.total > 0) f.add("total", amt(d.total));
  f.add("values", amount_list(s.values));
  return f.str();
}

void write_chain(std::string& out, const ChainConfig& c) {
  out += "chain:\n";
  std::string group;  // the open `timeouts:` or `emission:` flow map
  Flow flow;
  auto close_group = [&] {
    if (!group.empty()) out += fmt::format("  {}: {}\n", group, flow.str());
    group.clear();
    flow = Flow();
  };
  for (const auto& spec : chain_param_registry()) {
    const std::string value = format_chain_param(spec, c.params);
    const auto dot = spec.key.find('.');
    if (dot == std::string_view::npos) {
      close_group();
      out += fmt::format("  {}: {}\n", spec.key, value);
      continue;
    }
    if (spec.key.substr(0, dot) != group) close_group();
    group = spec.key.substr(0, dot);
    flow.add(std::string(spec.key.substr(dot + 1)), value);
  }
  close_group();
  out += fmt::format("  crypto: {}\n", c.fast_crypto ? "fast" : "real");
}

void write_network(std::string& out, const NetworkConfig& n) {
  out += "network:\n  zones: " + list(n.zones) + "\n  latency:\n";
  out += "    default: " + delay_dist(n.latency_default) + "\n";
  if (!n.matrix.empty()) {
    out += "    matrix:";
    if (!n.matrix_file.empty()) out += "  # one-way delays from " + n.matrix_file;
    out += "\n";
    for (const auto& p : n.matrix) {
      out += "      " + yaml_scalar(p.from + (p.symmetric ? "~" : "->") + p.to) + ": " + dur(p.one_way_us) + "\n";
    }
  }
  out += "    jitter: " + dur(n.jitter_us) + "\n";
  if (n.bandwidth_bits_per_s > 0) out += "  bandwidth: " + format_bandwidth(n.bandwidth_bits_per_s) + "\n";
  out += "  loss: " + format_fraction(n.loss) + "\n  duplicate: " + format_fraction(n.duplicate) +
         "\n  reorder: " + format_fraction(n.reorder) + "\n";
  Flow peers;
  switch (n.peers.kind) {
    case PeersConfig::Kind::full_mesh: peers.add("kind", "full_mesh"); break;
    case PeersConfig::Kind::random_regular: peers.add("kind", "random_regular").add("degree", num(n.peers.degree)); break;
    case PeersConfig::Kind::small_world:
      peers.add("kind", "small_world").add("k", num(n.peers.k)).add("p", format_fraction(n.peers.p));
      break;
  }
  out += "  peers: " + peers.str() + "\n";
  out += "  gossip_batch: " + dur(n.gossip_batch_us) + "\n";
  const GossipParams& g = n.gossip;
  out += fmt::format("  gossip:\n    router: {}\n    mesh:\n      d: {}\n      d_lo: {}\n      d_hi: {}\n",
                     g.mode == GossipMode::flood ? "flood" : "gossipsub", g.d, g.d_lo, g.d_hi);
  out += fmt::format("    heartbeat: {}\n    history: {}\n", dur(g.heartbeat), g.history);
}

std::string byzantine(const ByzantineConfig& b) {
  Flow f;
  f.add("behavior", b.behavior);
  if (b.from_height != 0) f.add("from_height", num(b.from_height));
  if (b.until_height != 0) f.add("until_height", num(b.until_height));
  if (b.at_us) f.add("at", dur(*b.at_us));
  if (b.duration_us) f.add("duration", dur(*b.duration_us));
  const BehaviorSpec* spec = find_behavior(b.behavior);
  const std::string_view param = spec != nullptr ? spec->param : "";
  if (param == "by") f.add("by", dur(b.delay_us));
  if (param == "fraction") f.add("fraction", format_fraction(b.fraction));
  if (b.rate) f.add("rate", format_rate(*b.rate));
  if (b.to) f.add("to", sel_yaml(*b.to));
  return f.str();
}

void write_validators(std::string& out, const Scenario& s) {
  out += "validators:\n";
  for (const auto& g : s.groups) {
    Flow f;
    f.add("group", g.name).add("count", num(g.count)).add("stake", stake(g.stake)).add("zone", list(g.zones));
    f.add("at_genesis", g.at_genesis ? "true" : "false");
    if (g.byzantine) f.add("byzantine", byzantine(*g.byzantine));
    if (g.twin) f.add("twin", "true");
    if (g.cpu_speed_permille != 1000) f.add("cpu", Flow().add("speed", format_speed(g.cpu_speed_permille)).str());
    if (g.uplink_bps != 0 || g.downlink_bps != 0) {
      Flow b;
      if (g.uplink_bps != 0) b.add("up", format_bandwidth(g.uplink_bps));
      if (g.downlink_bps != 0) b.add("down", format_bandwidth(g.downlink_bps));
      f.add("bandwidth", b.str());
    }
    out += "  - " + f.str() + "\n";
  }
  out += "accounts: " + Flow().add("count", num(s.accounts.count)).add("balance", amt(s.accounts.balance)).str() + "\n";
  std::string accounts = "[";
  for (std::size_t i = 0; i < s.genesis.accounts.size(); ++i) {
    const auto& a = s.genesis.accounts[i];
    accounts += (i ? ", " : "") + Flow().add("name", yaml_scalar(a.name)).add("balance", amt(a.balance)).str();
  }
  out += "genesis: " + Flow().add("time_ms", num(s.genesis.time_ms)).add("accounts", accounts + "]").str() + "\n";
}

// Written only when a value differs from the defaults, so older scenarios resolve as before.
void write_costs(std::string& out, const CpuCosts& costs) {
  if (costs == CpuCosts{}) return;
  out += "costs:\n";
  for (const auto& [key, us] : detail::cost_values(costs)) out += "  " + key + ": " + dur(us) + "\n";
}

// `{mix: [{bytes: 250, weight: 80}, ...]}`: the form the loader reads back to the same mix.
std::string size_mix_flow(const SizeMix& mix) {
  std::string entries;
  for (const auto& share : mix) {
    if (!entries.empty()) entries += ", ";
    entries += Flow().add("bytes", num(share.bytes)).add("weight", num(share.weight)).str();
  }
  return Flow().add("mix", "[" + entries + "]").str();
}

void write_load(std::string& out, const std::vector<LoadSpec>& load) {
  if (load.empty()) return;
  out += "load:\n";
  for (const auto& l : load) {
    Flow f;
    f.add("kind", to_string(l.kind)).add("tx", to_string(l.tx));
    if (l.kind != LoadKind::burst) f.add("rate", format_rate(l.rate));
    if (l.kind == LoadKind::ramp) f.add("to_rate", format_rate(l.to_rate)).add("over", dur(l.over_us));
    if (l.kind == LoadKind::burst) f.add("count", num(l.burst_count)).add("every", dur(l.every_us));
    f.add("accounts", num(l.accounts)).add("from", dur(l.from_us));
    if (l.until_us >= 0) f.add("until", dur(l.until_us));
    if (!l.size.empty()) f.add("size", size_mix_flow(l.size));
    out += "  - " + f.str() + "\n";
  }
}

void write_subnets(std::string& out, const std::vector<SubnetConfig>& subnets) {
  if (subnets.empty()) return;
  out += "subnets:\n";
  for (const auto& sn : subnets) {
    std::string groups = "[";
    for (std::size_t i = 0; i < sn.validators.size(); ++i) {
      const auto& g = sn.validators[i];
      Flow f;
      f.add("behavior", to_string(g.behavior)).add("count", num(g.count)).add("stake", amt(g.stake));
      if (g.favour) f.add("favour", num(*g.favour));
      groups += (i ? ", " : "") + f.str();
    }
    Flow f;
    f.add("name", yaml_scalar(sn.name)).add("tempo", num(sn.tempo_blocks)).add("max_neurons", num(sn.max_neurons));
    f.add("min_stake", amt(sn.min_stake)).add("miners", num(sn.miners)).add("noise", format_fraction(sn.noise));
    f.add("validators", groups + "]");
    out += "  - " + f.str() + "\n";
  }
}

}  // namespace

std::string yaml_scalar(const std::string& text) {
  bool plain = !text.empty() && text.size() < 200;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.' || c == '/' || c == '%';
    plain = plain && ok;
  }
  if (plain && text != "null" && text != "true" && text != "false" && text != "~" && text.front() != '-') return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Defined in scenario_writer_faults.cpp.
void write_faults_and_checks(std::string& out, const Scenario& s, std::string (*sel)(const Selector&));

std::string to_yaml(const Scenario& s) {
  std::string out = "# Resolved scenario: defaults applied, random draws frozen.\nversion: 1\n";
  out += "name: " + yaml_scalar(s.name) + "\n";
  if (!s.description.empty()) out += "description: " + yaml_scalar(s.description) + "\n";
  if (s.seed) out += "seed: " + num(*s.seed) + "\n";
  if (s.duration_us) out += "duration: " + dur(*s.duration_us) + "\n";
  if (s.stop_at_height) out += "stop_at_height: " + num(*s.stop_at_height) + "\n";
  out += "warmup: " + dur(s.warmup_us) + "\n";
  write_chain(out, s.chain);
  write_network(out, s.network);
  write_costs(out, s.costs);
  write_validators(out, s);
  write_load(out, s.load);
  write_subnets(out, s.subnets);
  write_faults_and_checks(out, s, sel_yaml);
  return out;
}

}  // namespace mt::sim

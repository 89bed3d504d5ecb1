// describe_scenario: fixed-width labels, one line per item, bounded lists (long ones elided).
#include "sim/scenario/scenario_summary.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mt::sim {
namespace {

constexpr std::size_t kMaxListed = 8;  // items shown per section before "... and N more"

std::string label(const char* l) {
  std::string s = l;
  s.resize(12, ' ');
  return s;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string delay(const DelayDist& d) {
  switch (d.kind) {
    case DistKind::constant: return format_duration(d.a_us);
    case DistKind::uniform: return "uniform " + format_duration(d.a_us) + ".." + format_duration(d.b_us);
    case DistKind::normal: return "normal " + format_duration(d.a_us) + "±" + format_duration(d.b_us);
    case DistKind::lognormal: return "lognormal median " + format_duration(d.a_us) + " sigma " + format_real(d.shape);
    case DistKind::pareto: return "pareto scale " + format_duration(d.a_us) + " alpha " + format_real(d.shape);
  }
  return "?";
}

std::string group_line(const ValidatorGroup& g) {
  std::string line = fmt::format("  {} x{}  stake ", g.name, g.count);
  Amount sum = 0;
  for (Amount a : g.stake.values) sum += a;
  if (g.stake.kind == StakeSpec::Kind::fixed) {
    line += fmt::format("{} each", amount_to_string(g.stake.fixed));
  } else {
    const auto [lo, hi] = std::minmax_element(g.stake.values.begin(), g.stake.values.end());
    line += fmt::format("{} ({}, {}..{})", amount_to_string(sum),
                        g.stake.kind == StakeSpec::Kind::dist ? to_string(g.stake.dist.kind) : "listed",
                        amount_to_string(*lo), amount_to_string(*hi));
  }
  line += fmt::format("  zone {}", join(g.zones));
  if (!g.at_genesis) line += "  (joins later)";
  if (g.cpu_speed_permille != 1000) line += "  cpu speed " + format_speed(g.cpu_speed_permille);
  if (g.uplink_bps != 0) line += "  up " + format_bandwidth(g.uplink_bps);
  if (g.downlink_bps != 0) line += "  down " + format_bandwidth(g.downlink_bps);
  if (g.byzantine) {
    line += fmt::format("  byzantine {}", g.byzantine->behavior);
    if (g.byzantine->from_height) line += fmt::format(" from height {}", g.byzantine->from_height);
  }
  return line + "\n";
}

std::string load_line(const LoadSpec& l) {
  std::string s = fmt::format("  {} {} ", to_string(l.kind), to_string(l.tx));
  if (l.kind == LoadKind::burst) {
    s += fmt::format("{} txs every {}", l.burst_count, format_duration(l.every_us));
  } else {
    s += format_rate(l.rate);
    if (l.kind == LoadKind::ramp) s += fmt::format(" -> {} over {}", format_rate(l.to_rate), format_duration(l.over_us));
  }
  s += fmt::format(" from {}", format_duration(l.from_us));
  s += l.until_us >= 0 ? fmt::format(" until {}", format_duration(l.until_us)) : std::string(" to the end");
  s += fmt::format(", {} accounts", l.accounts);
  if (!l.size.empty()) {
    std::vector<std::string> shares;
    for (const auto& share : l.size) shares.push_back(fmt::format("{} B x{}", share.bytes, share.weight));
    s += fmt::format(", sizes {}", fmt::join(shares, " / "));
  }
  return s + "\n";
}

std::string subnet_line(const SubnetConfig& sn) {
  std::vector<std::string> groups;
  for (const auto& g : sn.validators) {
    groups.push_back(fmt::format("{} {} x {}", g.count, to_string(g.behavior), amount_to_string(g.stake)));
  }
  return fmt::format("  {}: {} miners, validators {}; tempo {} blocks, {} slots, noise {}\n", sn.name, sn.miners,
                     join(groups), sn.tempo_blocks, sn.max_neurons, format_fraction(sn.noise));
}

std::string fault_when(const FaultConfig& f) {
  if (f.at_step) return "at " + f.at_step->to_string();
  return f.at_us ? "at " + format_duration(*f.at_us) : fmt::format("at height {}", f.at_height.value_or(0));
}

std::string fault_what(const FaultConfig& f) {
  if (f.action == FaultAction::heal) return f.heal_id.empty() ? std::string("all") : f.heal_id;
  if (f.action == FaultAction::partition && f.partition_mode == FaultConfig::PartitionMode::groups) {
    return fmt::format("into {} groups", f.groups.size());
  }
  if (f.action == FaultAction::messages) {
    return fmt::format("{} {} -> {} {}", f.message_rule.kind, f.targets.to_string(), f.to.to_string(),
                       f.message_rule.drop ? "dropped" : "delayed " + format_duration(f.message_rule.delay_us));
  }
  return f.targets.to_string();
}

std::string fault_line(const FaultConfig& f) {
  std::string s = fmt::format("  {}: {} {} {}", f.id, fault_when(f), to_string(f.action), fault_what(f));
  if (f.duration_us) s += " for " + format_duration(*f.duration_us);
  if (f.until_height) s += fmt::format(" until height {}", *f.until_height);
  if (f.restart_after_us) s += fmt::format(", restart after {}{}", format_duration(*f.restart_after_us), f.wipe ? " (wiped)" : "");
  return s + "\n";
}

std::string expect_line(const Expectation& e) {
  std::string s = "  " + e.name;
  if (e.min) s += " >= " + e.min->to_string();
  if (e.max) s += " <= " + e.max->to_string();
  if (e.min_height) s += fmt::format(" >= {}", *e.min_height);
  if (!e.after.empty()) s += " after " + e.after;
  if (e.within_us) s += " within " + format_duration(*e.within_us);
  if (e.within_blocks) s += fmt::format(" within {} blocks", *e.within_blocks);
  if (e.max_stall_us) s += " max stall " + format_duration(*e.max_stall_us);
  return s + fmt::format("  [{}]\n", e.window.to_string());
}

template <class T, class F>
void listed(std::string& out, const std::vector<T>& items, F line) {
  for (std::size_t i = 0; i < items.size() && i < kMaxListed; ++i) out += line(items[i]);
  if (items.size() > kMaxListed) out += fmt::format("  ... and {} more\n", items.size() - kMaxListed);
}

std::string run_line(const Scenario& s) {
  std::vector<std::string> parts;
  if (s.duration_us) parts.push_back(format_duration(*s.duration_us));
  if (s.stop_at_height) parts.push_back(fmt::format("height {}", *s.stop_at_height));
  std::string run = join(parts, " or ") + fmt::format(", warmup {}", format_duration(s.warmup_us));
  if (s.seed) run += fmt::format(", seed {}", *s.seed);
  return label("run") + run + "\n";
}

std::string chain_line(const ChainConfig& c) {
  const Params& p = c.params;
  return label("chain") + fmt::format("block {}, quorum >{}/{}, max {} txs/block, epoch {} blocks, crypto {}\n",
                                      format_duration(static_cast<TimeUs>(p.block_time_ms) * kUsPerMs), p.quorum_num,
                                      p.quorum_den, p.max_block_txs, p.epoch_blocks, c.fast_crypto ? "fast" : "real");
}

std::string network_line(const NetworkConfig& n) {
  static const char* const kPeers[] = {"full mesh", "random regular", "small world"};
  std::string peers = kPeers[static_cast<int>(n.peers.kind)];
  if (n.peers.kind == PeersConfig::Kind::random_regular) peers += fmt::format(" degree {}", n.peers.degree);
  if (n.peers.kind == PeersConfig::Kind::small_world) peers += fmt::format(" k {} p {}", n.peers.k, format_fraction(n.peers.p));
  std::string out = label("network") + fmt::format("{} zone(s), latency {}", n.zones.size(), delay(n.latency_default));
  if (!n.matrix_file.empty()) out += ", matrix from " + n.matrix_file;
  if (!n.matrix.empty()) out += fmt::format(", {} matrix entries", n.matrix.size());
  out += fmt::format(", jitter {}, loss {}, {}", format_duration(n.jitter_us), format_fraction(n.loss), peers);
  if (n.gossip_batch_us > 0) out += ", relays batched every " + format_duration(n.gossip_batch_us);
  return out + "\n";
}

std::string count_or(std::size_t n, const char* none, const char* unit = "") {
  return n == 0 ? std::string(none) : fmt::format("{}{}", n, unit);
}

}  // namespace

std::string describe_scenario(const Scenario& s) {
  std::string out = label("scenario") + s.name + (s.description.empty() ? "" : " - " + s.description) + "\n";
  out += run_line(s) + chain_line(s.chain) + network_line(s.network);
  out += label("validators") + fmt::format("{} in {} group(s), total stake {}\n", s.validators.size(), s.groups.size(),
                                           amount_to_string(s.total_stake()));
  listed(out, s.groups, group_line);
  out += label("load") + count_or(s.load.size(), "none", " segment(s)") + "\n";
  listed(out, s.load, load_line);
  if (!s.subnets.empty()) {
    out += label("subnets") + fmt::format("{}, emission {} per block each\n", s.subnets.size(),
                                          amount_to_string(s.chain.params.subnet_emission_per_block));
    listed(out, s.subnets, subnet_line);
  }
  out += label("faults") + count_or(s.faults.size(), "none") + "\n";
  listed(out, s.faults, fault_line);
  if (s.nemesis) {
    out += label("nemesis") + fmt::format("{} every {} from {}, at most {} at once\n", join(s.nemesis->faults),
                                          format_duration(s.nemesis->interval_us), format_duration(s.nemesis->from_us),
                                          s.nemesis->max_concurrent);
  }
  out += label("expect") + count_or(s.expect.size(), "nothing") + "\n";
  listed(out, s.expect, expect_line);
  for (const auto& w : s.warnings) out += "warning: " + w + "\n";
  return out;
}

}  // namespace mt::sim

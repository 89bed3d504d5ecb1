// describe_scenario: fixed-width labels, one line per item, bounded lists (long ones elided).
#include "sim/scenario/scenario_summary.hpp"

#include <algorithm>

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
  std::string line = "  " + g.name + " x" + std::to_string(g.count) + "  stake ";
  Amount sum = 0;
  for (Amount a : g.stake.values) sum += a;
  if (g.stake.kind == StakeSpec::Kind::fixed) {
    line += amount_to_string(g.stake.fixed) + " each";
  } else {
    const auto [lo, hi] = std::minmax_element(g.stake.values.begin(), g.stake.values.end());
    line += amount_to_string(sum) + " (" + (g.stake.kind == StakeSpec::Kind::dist ? to_string(g.stake.dist.kind) : "listed") +
            ", " + amount_to_string(*lo) + ".." + amount_to_string(*hi) + ")";
  }
  line += "  zone " + join(g.zones);
  if (!g.at_genesis) line += "  (joins later)";
  if (g.cpu_speed_permille != 1000) line += "  cpu speed " + format_speed(g.cpu_speed_permille);
  if (g.uplink_bps != 0) line += "  up " + format_bandwidth(g.uplink_bps);
  if (g.downlink_bps != 0) line += "  down " + format_bandwidth(g.downlink_bps);
  if (g.byzantine) {
    line += "  byzantine " + g.byzantine->behavior;
    if (g.byzantine->from_height) line += " from height " + std::to_string(g.byzantine->from_height);
  }
  return line + "\n";
}

std::string load_line(const LoadSpec& l) {
  std::string s = "  " + to_string(l.kind) + " " + to_string(l.tx) + " ";
  if (l.kind == LoadKind::burst) {
    s += std::to_string(l.burst_count) + " txs every " + format_duration(l.every_us);
  } else {
    s += format_rate(l.rate);
    if (l.kind == LoadKind::ramp) s += " -> " + format_rate(l.to_rate) + " over " + format_duration(l.over_us);
  }
  s += " from " + format_duration(l.from_us) + (l.until_us >= 0 ? " until " + format_duration(l.until_us) : " to the end");
  return s + ", " + std::to_string(l.accounts) + " accounts\n";
}

std::string subnet_line(const SubnetConfig& sn) {
  std::string groups;
  for (const auto& g : sn.validators) {
    groups += (groups.empty() ? "" : ", ") + std::to_string(g.count) + " " + to_string(g.behavior) + " x " +
              amount_to_string(g.stake);
  }
  return "  " + sn.name + ": " + std::to_string(sn.miners) + " miners, validators " + groups + "; tempo " +
         std::to_string(sn.tempo_blocks) + " blocks, " + std::to_string(sn.max_neurons) + " slots, noise " +
         format_fraction(sn.noise) + "\n";
}

std::string fault_line(const FaultConfig& f) {
  std::string s = "  " + f.id + ": ";
  if (f.at_step) {
    s += "at " + f.at_step->to_string();
  } else {
    s += f.at_us ? "at " + format_duration(*f.at_us) : "at height " + std::to_string(f.at_height.value_or(0));
  }
  s += " " + to_string(f.action);
  if (f.action == FaultAction::heal) {
    s += " " + (f.heal_id.empty() ? std::string("all") : f.heal_id);
  } else if (f.action == FaultAction::partition && f.partition_mode == FaultConfig::PartitionMode::groups) {
    s += " into " + std::to_string(f.groups.size()) + " groups";
  } else if (f.action == FaultAction::messages) {
    s += " " + f.message_rule.kind + " " + f.targets.to_string() + " -> " + f.to.to_string() +
         (f.message_rule.drop ? " dropped" : " delayed " + format_duration(f.message_rule.delay_us));
  } else {
    s += " " + f.targets.to_string();
  }
  if (f.duration_us) s += " for " + format_duration(*f.duration_us);
  if (f.until_height) s += " until height " + std::to_string(*f.until_height);
  if (f.restart_after_us) s += ", restart after " + format_duration(*f.restart_after_us) + (f.wipe ? " (wiped)" : "");
  return s + "\n";
}

std::string expect_line(const Expectation& e) {
  std::string s = "  " + e.name;
  if (e.min) s += " >= " + e.min->to_string();
  if (e.max) s += " <= " + e.max->to_string();
  if (e.min_height) s += " >= " + std::to_string(*e.min_height);
  if (!e.after.empty()) s += " after " + e.after;
  if (e.within_us) s += " within " + format_duration(*e.within_us);
  if (e.within_blocks) s += " within " + std::to_string(*e.within_blocks) + " blocks";
  if (e.max_stall_us) s += " max stall " + format_duration(*e.max_stall_us);
  return s + "  [" + e.window.to_string() + "]\n";
}

template <class T, class F>
void listed(std::string& out, const std::vector<T>& items, F line) {
  for (std::size_t i = 0; i < items.size() && i < kMaxListed; ++i) out += line(items[i]);
  if (items.size() > kMaxListed) out += "  ... and " + std::to_string(items.size() - kMaxListed) + " more\n";
}

}  // namespace

std::string describe_scenario(const Scenario& s) {
  std::string out = label("scenario") + s.name + (s.description.empty() ? "" : " - " + s.description) + "\n";
  std::string run;
  if (s.duration_us) run += format_duration(*s.duration_us);
  if (s.stop_at_height) run += (run.empty() ? "" : " or ") + std::string("height ") + std::to_string(*s.stop_at_height);
  run += ", warmup " + format_duration(s.warmup_us);
  if (s.seed) run += ", seed " + std::to_string(*s.seed);
  out += label("run") + run + "\n";
  const Params& p = s.chain.params;
  out += label("chain") + "block " + format_duration(static_cast<TimeUs>(p.block_time_ms) * kUsPerMs) + ", quorum >" +
         std::to_string(p.quorum_num) + "/" + std::to_string(p.quorum_den) + ", max " + std::to_string(p.max_block_txs) +
         " txs/block, epoch " + std::to_string(p.epoch_blocks) + " blocks, crypto " +
         (s.chain.fast_crypto ? "fast" : "real") + "\n";
  const auto& n = s.network;
  static const char* const kPeers[] = {"full mesh", "random regular", "small world"};
  std::string peers = kPeers[static_cast<int>(n.peers.kind)];
  if (n.peers.kind == PeersConfig::Kind::random_regular) peers += " degree " + std::to_string(n.peers.degree);
  if (n.peers.kind == PeersConfig::Kind::small_world) peers += " k " + std::to_string(n.peers.k) + " p " + format_fraction(n.peers.p);
  out += label("network") + std::to_string(n.zones.size()) + " zone(s), latency " + delay(n.latency_default) +
         (n.matrix_file.empty() ? "" : ", matrix from " + n.matrix_file) +
         (n.matrix.empty() ? "" : ", " + std::to_string(n.matrix.size()) + " matrix entries") + ", jitter " +
         format_duration(n.jitter_us) + ", loss " + format_fraction(n.loss) + ", " + peers +
         (n.gossip_batch_us > 0 ? ", relays batched every " + format_duration(n.gossip_batch_us) : "") + "\n";
  out += label("validators") + std::to_string(s.validators.size()) + " in " + std::to_string(s.groups.size()) +
         " group(s), total stake " + amount_to_string(s.total_stake()) + "\n";
  listed(out, s.groups, group_line);
  out += label("load") + (s.load.empty() ? "none" : std::to_string(s.load.size()) + " segment(s)") + "\n";
  listed(out, s.load, load_line);
  if (!s.subnets.empty()) {
    out += label("subnets") + std::to_string(s.subnets.size()) + ", emission " +
           amount_to_string(s.chain.params.subnet_emission_per_block) + " per block each\n";
    listed(out, s.subnets, subnet_line);
  }
  out += label("faults") + (s.faults.empty() ? "none" : std::to_string(s.faults.size())) + "\n";
  listed(out, s.faults, fault_line);
  if (s.nemesis) {
    out += label("nemesis") + join(s.nemesis->faults) + " every " + format_duration(s.nemesis->interval_us) +
           " from " + format_duration(s.nemesis->from_us) + ", at most " + std::to_string(s.nemesis->max_concurrent) +
           " at once\n";
  }
  out += label("expect") + (s.expect.empty() ? "nothing" : std::to_string(s.expect.size())) + "\n";
  listed(out, s.expect, expect_line);
  for (const auto& w : s.warnings) out += "warning: " + w + "\n";
  return out;
}

}  // namespace mt::sim

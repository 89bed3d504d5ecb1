#include "sim/inspect/inspection_text.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace mt::sim {

namespace {

constexpr std::size_t kNamesShown = 8;  // voters named per group before "+N more"

std::string seconds(TimeUs t) { return fmt::format("{:.3f} s", static_cast<double>(t) / 1e6); }
std::string pct(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? "-" : fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}
std::string block_label(const Hash32& h) { return h.is_zero() ? "nil" : h.short_hex(); }

std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kNamesShown; ++i) out += (i > 0 ? " " : "") + names[i];
  if (names.size() > kNamesShown) out += fmt::format(" +{} more", names.size() - kNamesShown);
  return out;
}

struct Group {
  std::uint64_t power = 0;
  std::vector<std::string> names;
};

// "r1 prevote    3fa2b1c0 67.0% (20) | nil 10.0% (3): a b c | missing 23.0% (7): d e ..."
std::string vote_line(const NodeInspection& in, const ConsensusSnapshot& c, const VoteSetSnapshot& set) {
  std::map<Hash32, Group> by_block;
  std::set<Address> voted;
  for (const auto& v : set.votes) {
    if (v.counted_conflict) continue;
    by_block[v.block_hash].power += v.power;
    by_block[v.block_hash].names.push_back(in.name_of(v.validator));
    voted.insert(v.validator);
  }
  Group missing;
  for (const auto& e : c.validators) {
    if (voted.contains(e.address)) continue;
    missing.power += e.power;
    missing.names.push_back(in.name_of(e.address));
  }
  std::string out = fmt::format("  r{:<3} {:<10}", set.round, vote_type_name(set.type));
  for (const auto& [hash, g] : by_block) {
    out += fmt::format(" {} {} ({})", block_label(hash), pct(g.power, set.total_power), g.names.size());
    if (hash.is_zero()) out += ": " + name_list(g.names);
    out += " |";
  }
  out += fmt::format(" missing {} ({})", pct(missing.power, set.total_power), missing.names.size());
  if (!missing.names.empty()) out += ": " + name_list(missing.names);
  return out + "\n";
}

std::string value_text(std::int32_t round, const Hash32& hash) {
  return round < 0 ? std::string("-") : fmt::format("{} (round {})", hash.short_hex(), round);
}

std::string consensus_text(const NodeInspection& in, const ConsensusSnapshot& c) {
  std::string out = fmt::format("consensus  height {} round {} step {}{}{}{}\n", c.height, c.round,
                                consensus_step_name(c.step), c.round_started ? "" : " (waiting to start round 0)",
                                c.decided ? " (decided)" : "", c.signing_blocked ? " (signing blocked)" : "");
  out += fmt::format("locked     {}   valid {}\n", value_text(c.locked_round, c.locked_hash),
                     value_text(c.valid_round, c.valid_hash));
  for (const auto& p : c.proposals) {
    out += fmt::format("proposal   r{} by {}: block {} (height {}, {} txs{})\n", p.round, in.name_of(p.proposer),
                       p.block_hash.short_hex(), p.block_height, p.txs,
                       p.pol_round >= 0 ? fmt::format(", re-proposed from round {}", p.pol_round) : "");
  }
  if (c.proposals.empty()) out += "proposal   none held\n";
  if (!c.vote_sets.empty()) out += "votes      (by power; share of the height's total)\n";
  for (const auto& set : c.vote_sets) out += vote_line(in, c, set);
  return out;
}

std::string validators_text(const NodeInspection& in, const NodeSnapshot& s) {
  std::size_t active = 0;
  std::vector<std::string> jailed;
  for (const auto& v : s.validators) {
    if (v.power > 0) ++active;
    if (v.jailed) {
      jailed.push_back(fmt::format("{}{} until {}", in.name_of(v.address), v.tombstoned ? " (tombstoned)" : "",
                                   v.jailed_until));
    }
  }
  std::string out = fmt::format("validators {} known, {} active, {} jailed\n", s.validators.size(), active, jailed.size());
  for (const auto& v : s.validators) {
    if (s.validators.size() > 2 * kNamesShown) break;
    out += fmt::format("  {:<14} power {:<8} bonded {}{}\n", in.name_of(v.address), v.power, amount_to_string(v.bonded),
                       v.jailed ? fmt::format(" jailed until {}", v.jailed_until) : "");
  }
  if (s.validators.size() > 2 * kNamesShown && !jailed.empty()) out += "  jailed: " + name_list(jailed) + "\n";
  return out;
}

std::string state_text(const NodeInspection& in, const NodeSnapshot& s) {
  std::vector<std::string> peers;
  for (PeerId p : s.peers) peers.push_back(p < in.names.size() ? in.names[p] : fmt::format("#{}", p));
  std::string out = fmt::format("state      height {} root {} last block {}{}{}\n", s.state_height,
                                s.state_root.short_hex(), s.last_block_hash.short_hex(), s.syncing ? " (syncing)" : "",
                                s.signing_disabled ? " (signing disabled)" : "");
  out += fmt::format("mempool    {} txs, {} bytes; evidence pending {}\n", s.mempool_txs, s.mempool_bytes,
                     s.evidence_pending);
  out += fmt::format("peers      {}: {}\n", peers.size(), name_list(peers));
  return out;
}

}  // namespace

std::string inspection_text(const NodeInspection& in) {
  std::string out = fmt::format("{} at {}{}: {}{}, store height {}\n", in.node_name, seconds(in.stopped_us),
                                in.stopped_us < in.at_us ? fmt::format(" (run stopped before {})", seconds(in.at_us)) : "",
                                in.up ? "up" : "crashed", in.paused ? " (paused)" : "", in.store_height);
  if (in.snapshot) {
    if (in.snapshot->consensus) out += consensus_text(in, *in.snapshot->consensus);
    out += state_text(in, *in.snapshot);
    out += validators_text(in, *in.snapshot);
  }
  for (const auto& a : in.accounts) {
    out += fmt::format("account    {} ({}): balance {} nonce {}\n", a.label, a.address.short_hex(),
                       amount_to_string(a.balance), a.nonce);
  }
  return out;
}

}  // namespace mt::sim

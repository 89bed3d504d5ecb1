// `faults:` (scripted) and `nemesis:` (seeded random faults).
#include "sim/scenario/read_sections.hpp"

#include <limits>
#include <fmt/format.h>

namespace mt::sim::detail {
namespace {

const std::vector<std::string> kActions{"partition", "heal", "crash", "pause", "clock_skew",
                                        "link",      "stake", "join", "leave", "messages"};

void read_partition(const YamlNode& node, const std::string& section, FaultConfig& f, Diagnostics& diag) {
  MapReader r(node, section, {"isolate", "groups", "one_way"}, diag);
  const int modes = int{r.has("isolate")} + int{r.has("groups")} + int{r.has("one_way")};
  if (r.valid() && modes != 1) {
    diag.error(node.loc, section + ": give exactly one of isolate, groups or one_way");
    return;
  }
  if (const YamlNode* n = r.get("isolate")) {
    f.partition_mode = FaultConfig::PartitionMode::isolate;
    if (auto s = read_selector(*n, diag)) f.targets = *s;
  } else if (const YamlNode* g = r.get("groups")) {
    f.partition_mode = FaultConfig::PartitionMode::groups;
    if (!g->is_seq() || g->children.size() < 2) {
      diag.error(g->loc, section + ".groups: expected a list of at least two groups, e.g. [[core], [tail]]");
      return;
    }
    for (const auto& c : g->children) {
      if (auto s = read_selector(c, diag)) f.groups.push_back(*s);
    }
  } else if (const YamlNode* o = r.get("one_way")) {
    f.partition_mode = FaultConfig::PartitionMode::one_way;
    MapReader w(*o, section + ".one_way", {"from", "to"}, diag);
    if (w.valid() && (!w.has("from") || !w.has("to"))) diag.error(o->loc, section + ".one_way: needs 'from' and 'to'");
    if (const YamlNode* from = w.get("from")) f.targets = read_selector(*from, diag).value_or(Selector{});
    if (const YamlNode* to = w.get("to")) f.to = read_selector(*to, diag).value_or(Selector{});
  }
}

// Actions whose value is a selector or a mapping with `who`.
void read_who(const YamlNode& node, const std::string& section, const std::vector<std::string>& extra,
              FaultConfig& f, Diagnostics& diag) {
  if (!node.is_map() || (extra.empty() && node.find("who") == nullptr)) {  // a bare selector
    if (auto s = read_selector(node, diag)) f.targets = *s;
    if (!extra.empty()) diag.error(node.loc, section + ": expected a mapping with 'who'");
    return;
  }
  std::vector<std::string> keys{"who"};
  keys.insert(keys.end(), extra.begin(), extra.end());
  MapReader r(node, section, keys, diag);
  if (const YamlNode* w = r.get("who")) {
    if (auto s = read_selector(*w, diag)) f.targets = *s;
  } else {
    diag.error(node.loc, section + ": missing 'who'");
  }
  if (f.action == FaultAction::clock_skew) {
    f.skew_offset_us = r.read<TimeUs>("offset", parse_signed_duration).value_or(0);
    f.drift_ppm = r.read<std::int64_t>("drift", parse_ppm_signed).value_or(0);
    if (!r.has("offset") && !r.has("drift")) diag.error(node.loc, section + ": needs 'offset' and/or 'drift'");
  }
  if (f.action == FaultAction::crash) {
    if (r.has("corrupt")) f.corrupt = r.word("corrupt", kCorruptTables).value_or("");
    if (r.has("storage")) f.storage = r.word("storage", kStorageDamages).value_or("");
  }
  if (f.action == FaultAction::stake) {
    if (!r.has("amount")) diag.error(node.loc, section + ": needs 'amount' (the new bonded stake)");
    f.stake_amount = r.amount("amount").value_or(0);
  }
}

void read_link(const YamlNode& node, const std::string& section, FaultConfig& f, Diagnostics& diag) {
  MapReader r(node, section, {"from", "to", "delay", "loss", "duplicate", "bandwidth"}, diag);
  if (!r.valid()) return;
  Selector all;
  f.targets = all;
  f.to = all;
  if (const YamlNode* n = r.get("from")) f.targets = read_selector(*n, diag).value_or(all);
  if (const YamlNode* n = r.get("to")) f.to = read_selector(*n, diag).value_or(all);
  f.link_delay_us = r.duration("delay");
  f.link_loss = r.fraction("loss");
  f.link_duplicate = r.fraction("duplicate");
  f.link_bandwidth_bits_per_s = r.read<std::uint64_t>("bandwidth", parse_bandwidth);
  if (!f.link_delay_us && !f.link_loss && !f.link_duplicate && !f.link_bandwidth_bits_per_s) {
    diag.error(node.loc, section + ": change at least one of delay, loss, duplicate, bandwidth");
  }
}

}  // namespace

// `heights: [a, b]` or `heights: a` (one value): an inclusive range, a <= b.
std::optional<std::pair<std::uint64_t, std::uint64_t>> read_range(const YamlNode& node, const std::string& what,
                                                                  Diagnostics& diag) {
  const std::vector<YamlNode> ends = node.is_seq() ? node.children : std::vector<YamlNode>{node, node};
  if (ends.size() != 2) {
    diag.error(node.loc, what + ": expected [first, last] or one value");
    return std::nullopt;
  }
  auto lo = parse_node<std::uint64_t>(ends[0], what, parse_count, diag);
  auto hi = parse_node<std::uint64_t>(ends[1], what, parse_count, diag);
  if (!lo || !hi) return std::nullopt;
  if (*lo > *hi) {
    diag.error(node.loc, what + ": the first value is above the last");
    return std::nullopt;
  }
  return std::pair{*lo, *hi};
}

namespace {

void read_message_ranges(MapReader& r, const std::string& section, MessageRuleConfig& m) {
  Diagnostics& diag = r.diag();
  if (const YamlNode* h = r.get("heights")) m.heights = read_range(*h, section + ".heights", diag);
  if (const YamlNode* n = r.get("rounds")) {
    if (auto rounds = read_range(*n, section + ".rounds", diag)) {
      if (rounds->second > std::numeric_limits<std::uint32_t>::max()) {
        diag.error(n->loc, section + ".rounds: too large");
      } else {
        m.rounds = std::pair{static_cast<std::uint32_t>(rounds->first), static_cast<std::uint32_t>(rounds->second)};
      }
    }
  }
  if (m.heights && m.kind == "tx") diag.error(r.loc_of("heights"), section + ": a tx has no height");
  const bool has_round = m.kind == "proposal" || m.kind == "vote" || m.kind == "prevote" || m.kind == "precommit" ||
                         m.kind == "evidence";
  if (m.rounds && !has_round) diag.error(r.loc_of("rounds"), section + ": a " + m.kind + " message has no round");
}

// `messages: {kind: vote, from: SEL, to: SEL, heights: [a, b], rounds: [a, b], drop: true | delay: 300ms}`.
void read_messages(const YamlNode& node, const std::string& section, FaultConfig& f, Diagnostics& diag) {
  MapReader r(node, section, {"kind", "from", "to", "heights", "rounds", "drop", "delay", "signer"}, diag);
  if (!r.valid()) return;
  Selector all;
  f.targets = all;
  f.to = all;
  MessageRuleConfig& m = f.message_rule;
  if (auto kind = r.word("kind", kMessageRuleKinds)) m.kind = *kind;
  if (!r.has("kind")) diag.error(node.loc, section + ": needs a 'kind' (proposal, vote, prevote, precommit, tx, ...)");
  if (const YamlNode* n = r.get("from")) f.targets = read_selector(*n, diag).value_or(all);
  if (const YamlNode* n = r.get("to")) f.to = read_selector(*n, diag).value_or(all);
  read_message_ranges(r, section, m);
  m.drop = r.boolean("drop").value_or(false);
  m.delay_us = r.duration("delay").value_or(0);
  m.signer = r.boolean("signer").value_or(false);
  const bool signed_kind = m.kind == "proposal" || m.kind == "vote" || m.kind == "prevote" || m.kind == "precommit";
  if (m.signer && !signed_kind) diag.error(r.loc_of("signer"), section + ": 'signer' needs a proposal or vote kind");
  if (m.drop == (m.delay_us > 0)) diag.error(node.loc, section + ": give exactly one of 'drop: true' or 'delay' (above 0)");
}

void read_action(const YamlNode& value, const std::string& section, FaultConfig& f, Diagnostics& diag) {
  switch (f.action) {
    case FaultAction::partition: read_partition(value, section, f, diag); break;
    case FaultAction::heal: {
      auto t = scalar_text(value, section, diag);
      if (t && *t != "all") f.heal_id = *t;
      break;
    }
    case FaultAction::crash:
      // A mapping with `who` ({who} alone is a plain crash; before, it read an undeclared key);
      // any other mapping is a selector ({stake_fraction: ...}).
      if (value.is_map() && (value.find("who") != nullptr || value.find("corrupt") != nullptr ||
                             value.find("storage") != nullptr)) {
        read_who(value, section, {"corrupt", "storage"}, f, diag);
        break;
      }
      read_who(value, section, {}, f, diag);
      break;
    case FaultAction::pause:
    case FaultAction::join:
    case FaultAction::leave: read_who(value, section, {}, f, diag); break;
    case FaultAction::clock_skew: read_who(value, section, {"offset", "drift"}, f, diag); break;
    case FaultAction::stake: read_who(value, section, {"amount"}, f, diag); break;
    case FaultAction::link: read_link(value, section, f, diag); break;
    case FaultAction::messages: read_messages(value, section, f, diag); break;
  }
}

void read_end(MapReader& r, const std::string& section, FaultConfig& f) {
  Diagnostics& diag = r.diag();
  f.duration_us = r.duration("duration");
  f.until_height = r.count("until_height");
  f.restart_after_us = r.duration("restart_after");
  f.wipe = r.boolean("wipe").value_or(false);
  const int ends = int{f.duration_us.has_value()} + int{f.until_height.has_value()} + int{f.restart_after_us.has_value()};
  if (ends > 1) diag.error(r.node().loc, section + ": give at most one end (duration, until_height, restart_after)");
  const bool instant = f.action == FaultAction::heal || f.action == FaultAction::stake ||
                       f.action == FaultAction::join || f.action == FaultAction::leave;
  if (instant && ends > 0) diag.error(r.node().loc, section + ": " + to_string(f.action) + " is instantaneous and has no end");
  if (f.restart_after_us && f.action != FaultAction::crash) {
    diag.error(r.loc_of("restart_after"), section + ": restart_after applies only to crash (use duration)");
  }
  if (r.has("wipe") && f.action != FaultAction::crash) diag.error(r.loc_of("wipe"), section + ": wipe applies only to crash");
  if (f.duration_us && *f.duration_us == 0) diag.error(r.loc_of("duration"), section + ": a fault that lasts 0s ends before it starts");
  if (f.restart_after_us && *f.restart_after_us == 0) diag.error(r.loc_of("restart_after"), section + ": restart_after must be above 0");
  const auto start_height = f.at_step ? std::optional<std::uint64_t>(f.at_step->height) : f.at_height;
  if (f.until_height && start_height && *f.until_height <= *start_height) {
    diag.error(r.loc_of("until_height"), fmt::format("{}: ends (height {}) before it starts (height {})", section,
                                                     *f.until_height, *start_height));
  }
}

// `at: {height: 5, round: 0, step: precommit, node: "v[1]"}`: round 0 and step propose by default.
std::optional<ProtocolPoint> read_protocol_point(const YamlNode& node, const std::string& section, Diagnostics& diag) {
  MapReader r(node, section, {"height", "round", "step", "node"}, diag);
  if (!r.valid()) return std::nullopt;
  ProtocolPoint p;
  const auto height = r.count("height");
  if (!height || *height == 0) {
    diag.error(node.loc, section + ": needs a 'height' above 0");
    return std::nullopt;
  }
  p.height = *height;
  const auto round = r.count("round").value_or(0);
  if (round > std::numeric_limits<std::uint32_t>::max()) diag.error(r.loc_of("round"), section + ".round: too large");
  p.round = static_cast<std::uint32_t>(round);
  if (auto step = r.word("step", {"propose", "prevote", "precommit"})) {
    p.step = *step == "propose" ? ProtocolPoint::Step::propose
             : *step == "prevote" ? ProtocolPoint::Step::prevote
                                  : ProtocolPoint::Step::precommit;
  }
  if (const YamlNode* n = r.get("node")) p.node = read_selector(*n, diag);
  return p;
}

void read_fault(const YamlNode& node, std::size_t i, Scenario& s, Diagnostics& diag) {
  const std::string section = fmt::format("faults[{}]", i);
  std::vector<std::string> keys{"id",   "at",           "at_height",       "duration", "until_height",
                                "wipe", "restart_after", "round_partitions"};
  keys.insert(keys.end(), kActions.begin(), kActions.end());
  MapReader r(node, section, keys, diag);
  if (!r.valid()) return;
  FaultConfig f;
  f.loc = node.loc;
  f.id = r.text("id").value_or(fmt::format("fault-{}", i + 1));
  const YamlNode* at = r.get("at");
  if (at != nullptr && at->is_map()) {
    f.at_step = read_protocol_point(*at, section + ".at", diag);
  } else {
    f.at_us = r.duration("at");
  }
  f.at_height = r.count("at_height");
  if (r.has("at") == r.has("at_height")) {
    diag.error(node.loc, section + ": give exactly one trigger, 'at' (a time or {height, round, step, node}) or 'at_height'");
  }
  std::vector<std::string> actions;
  for (const auto& a : kActions) {
    if (r.has(a)) actions.push_back(a);
  }
  if (const YamlNode* rp = r.get("round_partitions"); rp != nullptr && actions.empty()) {
    f.action = FaultAction::messages;  // expanded into `messages` faults (round_partitions.cpp)
    read_end(r, section, f);
    read_round_partitions(*rp, section + ".round_partitions", f, s, diag);
    return;
  }
  if (actions.size() != 1 || r.has("round_partitions")) {
    diag.error(node.loc, section + ": give exactly one action (partition, heal, crash, pause, clock_skew, link, stake, "
                                   "join, leave, messages or round_partitions)");
    return;
  }
  for (std::size_t k = 0; k < kActions.size(); ++k) {
    if (kActions[k] == actions[0]) f.action = static_cast<FaultAction>(k);
  }
  read_action(*r.get(actions[0]), section + "." + actions[0], f, diag);
  read_end(r, section, f);
  for (const auto& other : s.faults) {
    if (other.id == f.id) diag.error(r.loc_of("id"), section + ": fault id '" + f.id + "' is used twice");
  }
  s.faults.push_back(std::move(f));
}

}  // namespace

void read_faults(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  if (!node.is_seq()) {
    diag.error(node.loc, "faults: expected a list like '- { at: 60s, crash: one, restart_after: 20s }'");
    return;
  }
  for (std::size_t i = 0; i < node.children.size(); ++i) read_fault(node.children[i], i, s, diag);
}

void read_nemesis(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  MapReader r(node, "nemesis", {"faults", "targets", "interval", "duration", "from", "until", "max_concurrent"}, diag);
  if (!r.valid()) return;
  NemesisConfig n;
  n.loc = node.loc;
  if (const YamlNode* f = r.get("faults")) {
    for (const auto& c : f->is_seq() ? f->children : std::vector<YamlNode>{*f}) {
      if (auto w = read_word(c, "nemesis.faults", kNemesisFaults, diag)) n.faults.push_back(*w);
    }
  } else {
    diag.error(node.loc, "nemesis: missing 'faults' (which kinds to inject)");
  }
  if (const YamlNode* t = r.get("targets")) {
    for (const auto& c : t->is_seq() ? t->children : std::vector<YamlNode>{*t}) {
      if (auto sel = read_selector(c, diag)) n.targets.push_back(*sel);
    }
  } else {
    Selector one;
    one.kind = Selector::Kind::one;
    n.targets.push_back(one);
  }
  n.interval_us = r.duration("interval").value_or(0);
  if (n.interval_us == 0) diag.error(r.loc_of("interval"), "nemesis: needs an 'interval' above 0");
  n.duration_us = r.duration("duration").value_or(n.interval_us / 2);
  if (r.has("duration") && n.duration_us == 0) diag.error(r.loc_of("duration"), "nemesis.duration: must be above 0");
  n.from_us = r.duration("from").value_or(0);
  n.until_us = r.duration("until").value_or(-1);
  if (r.has("until") && n.until_us <= n.from_us) diag.error(r.loc_of("until"), "nemesis: until must be after from");
  n.max_concurrent = static_cast<std::size_t>(r.count("max_concurrent").value_or(1));
  if (n.max_concurrent == 0 || n.max_concurrent > 64) diag.error(r.loc_of("max_concurrent"), "nemesis.max_concurrent: 1 to 64");
  s.nemesis = std::move(n);
}

}  // namespace mt::sim::detail

// `validators:` — groups with fixed, listed or distributed stake, zones dealt round-robin, optional
// byzantine behaviour; expanded into Scenario::validators.
#include "sim/scenario/read_sections.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "sim/scenario/behavior_registry.hpp"
#include "sim/scenario/stake_distribution.hpp"

namespace mt::sim::detail {
namespace {

constexpr std::size_t kMaxValidators = 100'000;

const std::vector<std::string> kStakeDistKeys{"dist",  "value",  "min",   "max",   "mean",  "stddev",
                                              "median", "sigma", "scale", "alpha", "total", "values"};

std::optional<StakeDist> read_stake_dist(MapReader& r, const YamlNode& node) {
  auto kind = r.word("dist", {"constant", "uniform", "normal", "lognormal", "pareto"});
  if (!kind) {
    if (r.valid() && !r.has("dist")) r.diag().error(node.loc, r.section() + ": missing 'dist'");
    return std::nullopt;
  }
  StakeDist d;
  d.total = r.amount("total").value_or(0);
  const bool scaled = d.total > 0;
  auto amount = [&](const char* key, bool required) -> Amount {
    if (required && !r.has(key)) r.diag().error(node.loc, r.section() + ": " + *kind + " needs '" + key + "'");
    return r.amount(key).value_or(0);
  };
  auto real = [&](const char* key) -> double {
    if (!r.has(key)) r.diag().error(node.loc, r.section() + ": " + *kind + " needs '" + key + "'");
    const double v = r.real(key).value_or(1);
    if (v <= 0) r.diag().error(r.loc_of(key), r.path(key) + ": must be above 0");
    return v;
  };
  if (*kind == "constant") d = {DistKind::constant, amount("value", !scaled), 0, 0, d.total};
  if (*kind == "uniform") d = {DistKind::uniform, amount("min", true), amount("max", true), 0, d.total};
  if (*kind == "normal") d = {DistKind::normal, amount("mean", true), amount("stddev", true), 0, d.total};
  if (*kind == "lognormal") d = {DistKind::lognormal, amount("median", !scaled), 0, real("sigma"), d.total};
  if (*kind == "pareto") d = {DistKind::pareto, amount("scale", !scaled), 0, real("alpha"), d.total};
  // With a total only the shape matters: a missing scale or median is 1.
  if (scaled && d.a == 0 && (d.kind == DistKind::pareto || d.kind == DistKind::lognormal || d.kind == DistKind::constant)) d.a = 1;
  if (d.kind == DistKind::uniform && d.b < d.a) r.diag().error(node.loc, r.section() + ": max is below min");
  return d;
}

std::vector<Amount> read_amount_list(const YamlNode& node, const std::string& what, Diagnostics& diag) {
  std::vector<Amount> out;
  if (!node.is_seq()) {
    diag.error(node.loc, what + ": expected a list of stakes");
    return out;
  }
  for (const auto& c : node.children) {
    if (auto a = parse_node<Amount>(c, what, parse_amount, diag)) out.push_back(*a);
  }
  return out;
}

void read_stake(const YamlNode& node, const std::string& section, std::size_t count, StakeSpec& out,
                Diagnostics& diag) {
  if (node.is_scalar()) {
    auto a = parse_node<Amount>(node, section, parse_amount, diag);
    if (!a) return;
    if (*a == 0) diag.error(node.loc, section + ": a validator's stake must be above 0");
    out.kind = StakeSpec::Kind::fixed;
    out.fixed = *a;
    out.values.assign(count, *a);
    return;
  }
  if (node.is_seq()) {
    out.kind = StakeSpec::Kind::list;
    out.values = read_amount_list(node, section, diag);
  } else {
    MapReader r(node, section, kStakeDistKeys, diag);
    const std::size_t errors_before = diag.error_count();
    auto d = read_stake_dist(r, node);
    if (!d || diag.error_count() != errors_before) return;  // already reported; nothing to draw from
    out.kind = StakeSpec::Kind::dist;
    out.dist = *d;
    if (const YamlNode* v = r.get("values")) {  // frozen draws from --dump-resolved
      out.values = read_amount_list(*v, section + ".values", diag);
    } else {
      auto drawn = draw_stakes(*d, count);
      if (!drawn) {
        diag.error(node.loc, section + ": " + drawn.error().message);
        return;
      }
      out.values = std::move(drawn).value();
    }
  }
  if (out.values.size() != count) {
    diag.error(node.loc, fmt::format("{}: {} stakes listed for {} validators", section, out.values.size(), count));
  }
  for (Amount a : out.values) {
    if (a == 0) diag.error(node.loc, section + ": a validator's stake must be above 0");
  }
}

void read_group(const YamlNode& node, std::size_t i, Scenario& s, Diagnostics& diag) {
  const std::string section = fmt::format("validators[{}]", i);
  MapReader r(node, section, {"group", "count", "stake", "zone", "at_genesis", "byzantine", "cpu", "bandwidth", "twin"},
              diag);
  if (!r.valid()) return;
  ValidatorGroup g;
  g.loc = node.loc;
  g.name = r.text("group").value_or("");
  if (!r.has("group")) diag.error(node.loc, section + ": missing 'group' (its name)");
  auto parsed = parse_selector_text(g.name);
  if (r.has("group") && (!parsed || parsed.value().kind != Selector::Kind::group)) {
    diag.error(r.loc_of("group"), section + ".group: '" + g.name +
                                      "' is not a usable group name (letters, digits, '_' or '-', not a keyword)");
  }
  g.count = static_cast<std::size_t>(r.count("count").value_or(1));
  if (g.count == 0 || g.count > kMaxValidators) {
    diag.error(r.loc_of("count"), fmt::format("{}.count: must be between 1 and {}", section, kMaxValidators));
    return;
  }
  if (const YamlNode* st = r.get("stake")) {
    read_stake(*st, section + ".stake", g.count, g.stake, diag);
  } else {
    diag.error(node.loc, section + ": missing 'stake'");
  }
  if (const YamlNode* z = r.get("zone")) g.zones = read_word_list(*z, section + ".zone", diag);
  g.at_genesis = r.boolean("at_genesis").value_or(true);
  if (const YamlNode* b = r.get("byzantine")) g.byzantine = read_byzantine(*b, section + ".byzantine", diag);
  if (const YamlNode* c = r.get("cpu")) read_group_cpu(*c, section + ".cpu", g, diag);
  if (const YamlNode* b = r.get("bandwidth")) read_group_bandwidth(*b, section + ".bandwidth", g, diag);
  g.twin = r.boolean("twin").value_or(false);
  if (g.twin && g.byzantine) {
    diag.error(r.loc_of("twin"), section + ": a twin runs honest code; a group is either byzantine or twinned");
  }
  for (const auto& other : s.groups) {
    if (other.name == g.name) diag.error(r.loc_of("group"), section + ": group '" + g.name + "' is declared twice");
  }
  s.groups.push_back(std::move(g));
}

// A twinned group's validators each get a second node with the same key (ResolvedValidator::twin_of),
// appended after every group so the other nodes keep their indices: group `<name>_twin`.
void add_twins(Scenario& s, Diagnostics& diag) {
  const std::size_t originals = s.validators.size();
  for (const auto& g : s.groups) {
    if (!g.twin) continue;
    const std::string twin_group = g.name + "_twin";
    for (const auto& other : s.groups) {
      if (other.name == twin_group) diag.error(g.loc, "validators: group '" + twin_group + "' is the name of " + g.name + "'s twins");
    }
    for (std::size_t i = 0; i < originals; ++i) {
      const ResolvedValidator& v = s.validators[i];
      if (v.group != g.name) continue;
      ResolvedValidator twin{fmt::format("{}[{}]", twin_group, v.index_in_group), twin_group, v.index_in_group, v.zone, 0,
                             v.at_genesis, i};
      s.validators.push_back(std::move(twin));
    }
  }
}

void expand(Scenario& s, Diagnostics& diag) {
  if (s.network.zones.empty()) {
    for (const auto& g : s.groups) {
      for (const auto& z : g.zones) {
        if (std::find(s.network.zones.begin(), s.network.zones.end(), z) == s.network.zones.end()) {
          s.network.zones.push_back(z);
        }
      }
    }
    if (s.network.zones.empty()) s.network.zones.push_back("local");
  }
  for (auto& g : s.groups) {
    if (g.zones.empty()) g.zones.push_back(s.network.zones.front());
    for (const auto& z : g.zones) {
      if (std::find(s.network.zones.begin(), s.network.zones.end(), z) == s.network.zones.end()) {
        diag.error(g.loc, "validators: group '" + g.name + "' is in unknown zone '" + z + "'" +
                              did_you_mean(z, s.network.zones));
      }
    }
    for (std::size_t i = 0; i < g.count && i < g.stake.values.size(); ++i) {
      s.validators.push_back(
          {fmt::format("{}[{}]", g.name, i), g.name, i, g.zones[i % g.zones.size()], g.stake.values[i], g.at_genesis,
           std::nullopt});
    }
  }
  add_twins(s, diag);
  if (s.validators.size() > kMaxValidators) diag.error(SourceLoc{s.file, 0, 0}, "more than 100000 validators");
}

}  // namespace

void read_validators(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  if (!node.is_seq() || node.children.empty()) {
    diag.error(node.loc, "validators: expected a list of groups like '- { group: core, count: 4, stake: 1000 }'");
    return;
  }
  for (std::size_t i = 0; i < node.children.size(); ++i) read_group(node.children[i], i, s, diag);
  expand(s, diag);
}

std::optional<ByzantineConfig> read_byzantine(const YamlNode& node, const std::string& section, Diagnostics& diag) {
  if (node.is_scalar()) {  // `byzantine: amnesia`
    auto w = read_word(node, section, kByzantineBehaviors, diag);
    if (!w) return std::nullopt;
    ByzantineConfig b;
    b.behavior = *w;
    b.loc = node.loc;
    if (const BehaviorSpec* spec = find_behavior(*w); spec != nullptr && !spec->param.empty()) {
      diag.error(node.loc, section + ": " + *w + " needs parameters; write it as a mapping");
    }
    return b;
  }
  MapReader r(node, section,
              {"behavior", "from_height", "until_height", "at", "duration", "by", "fraction", "rate", "to"}, diag);
  if (!r.valid()) return std::nullopt;
  ByzantineConfig b;
  b.loc = node.loc;
  auto behavior = r.word("behavior", kByzantineBehaviors);
  if (!behavior) {
    if (!r.has("behavior")) diag.error(node.loc, section + ": missing 'behavior'");
    return std::nullopt;
  }
  b.behavior = *behavior;
  b.from_height = r.count("from_height").value_or(0);
  b.until_height = r.count("until_height").value_or(0);
  b.at_us = r.duration("at");
  b.duration_us = r.duration("duration");
  if (b.until_height != 0 && b.until_height <= b.from_height) {
    diag.error(r.loc_of("until_height"), section + ": until_height must be after from_height");
  }
  if ((r.has("at") || r.has("duration")) && (r.has("from_height") || r.has("until_height"))) {
    diag.error(node.loc, section + ": use either heights (from_height/until_height) or times (at/duration)");
  }
  if (b.duration_us && *b.duration_us == 0) diag.error(r.loc_of("duration"), section + ".duration: must be above 0");
  // Each parameter belongs to one behaviour (behavior_registry.hpp): needed there, refused elsewhere.
  const BehaviorSpec* spec = find_behavior(b.behavior);
  for (const char* key : {"by", "fraction", "rate", "to"}) {
    const bool owner = spec != nullptr && spec->param == key;
    if (r.has(key) && !owner) {
      const auto& r_all = behavior_registry();
      std::string owners;
      for (const auto& o : r_all) {
        if (o.param == key) owners += (owners.empty() ? "" : " or ") + std::string(o.name);
      }
      diag.error(r.loc_of(key), section + ": '" + key + "' applies only to " + owners);
    } else if (!r.has(key) && owner) {
      diag.error(node.loc, section + ": " + b.behavior + " needs '" + key + "'");
    }
  }
  // timestamp_skew's `by` may be negative (stamped behind its clock); delay_votes' may not.
  b.delay_us = b.behavior == "timestamp_skew" ? r.read<TimeUs>("by", parse_signed_duration).value_or(0)
                                              : r.duration("by").value_or(0);
  b.fraction = r.fraction("fraction").value_or(0);
  b.rate = r.rate("rate");
  if (const YamlNode* t = r.get("to")) b.to = read_selector(*t, diag);
  return b;
}

std::optional<Selector> read_selector(const YamlNode& node, Diagnostics& diag) {
  auto sel = parse_selector(node);
  if (!sel) {
    diag.error(SourceLoc{}, sel.error().message);
    return std::nullopt;
  }
  return std::move(sel).value();
}

}  // namespace mt::sim::detail

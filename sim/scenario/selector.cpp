// Selector parsing and resolution. Draws use a local SplitMix64 keyed by pick_seed, so resolution
// is a pure function of (selector, validators, seed).
#include "sim/scenario/selector.hpp"

#include <algorithm>
#include <numeric>
#include <fmt/format.h>

namespace mt::sim {
namespace {

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Fisher–Yates with our own generator (no std::shuffle: its algorithm is unspecified).
std::vector<std::size_t> seeded_order(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::uint64_t state = seed;
  for (std::size_t i = n; i > 1; --i) {
    const auto j = static_cast<std::size_t>(splitmix(state) % i);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

bool valid_group_name(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

Result<std::size_t> parse_index(const std::string& s) {
  auto v = parse_count(s);
  if (!v || s.find_first_not_of("0123456789") != std::string::npos) return make_error("bad index '" + s + "'");
  return static_cast<std::size_t>(v.value());
}

Result<Selector> parse_bracket(const std::string& text, std::size_t open) {
  if (text.back() != ']') return make_error("bad selector '" + text + "': expected group[i] or group[a:b]");
  Selector s;
  s.group = text.substr(0, open);
  const std::string inner = text.substr(open + 1, text.size() - open - 2);
  const auto colon = inner.find(':');
  if (colon == std::string::npos) {
    auto i = parse_index(inner);
    if (!i) return make_error("bad selector '" + text + "': " + i.error().message);
    s.kind = Selector::Kind::node;
    s.index = i.value();
    return s;
  }
  s.kind = Selector::Kind::slice;
  const std::string a = inner.substr(0, colon), b = inner.substr(colon + 1);
  s.index = 0;
  s.end = Selector::kOpenEnd;
  if (!a.empty()) {
    auto i = parse_index(a);
    if (!i) return make_error("bad selector '" + text + "': " + i.error().message);
    s.index = i.value();
  }
  if (!b.empty()) {
    auto i = parse_index(b);
    if (!i) return make_error("bad selector '" + text + "': " + i.error().message);
    s.end = i.value();
  }
  if (s.end <= s.index) return make_error("empty slice '" + text + "': the end must be after the start");
  return s;
}

}  // namespace

Result<Selector> parse_selector_text(const std::string& text) {
  static const std::pair<const char*, Selector::Kind> kWords[] = {
      {"all", Selector::Kind::all},           {"one", Selector::Kind::one},
      {"minority", Selector::Kind::minority}, {"majority", Selector::Kind::majority},
      {"proposer", Selector::Kind::proposer}};
  for (const auto& [word, kind] : kWords) {
    if (text == word) {
      Selector s;
      s.kind = kind;
      return s;
    }
  }
  const auto open = text.find('[');
  if (open != std::string::npos) {
    if (!valid_group_name(text.substr(0, open))) return make_error("bad selector '" + text + "'");
    return parse_bracket(text, open);
  }
  if (!valid_group_name(text)) {
    return make_error("bad selector '" + text +
                      "': expected all, one, minority, majority, proposer, a group, group[i] or group[a:b]");
  }
  Selector s;
  s.kind = Selector::Kind::group;
  s.group = text;
  return s;
}

Result<Selector> parse_selector(const YamlNode& node) {
  auto with_loc = [&](Result<Selector> r) -> Result<Selector> {
    if (!r) return make_error(node.loc.prefix() + r.error().message);
    r.value().loc = node.loc;
    return r;
  };
  if (node.is_scalar()) return with_loc(parse_selector_text(node.scalar));
  if (node.is_seq()) {
    if (node.children.empty()) return make_error(node.loc.prefix() + "an empty list selects nobody");
    Selector s;
    s.kind = Selector::Kind::any_of;
    s.loc = node.loc;
    for (const auto& c : node.children) {
      auto item = parse_selector(c);
      if (!item) return item;
      s.items.push_back(std::move(item).value());
    }
    return s;
  }
  if (!node.is_map()) return make_error(node.loc.prefix() + "expected a selector, got " + node.type_name());
  Selector s;
  s.loc = node.loc;
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    const auto& k = node.keys[i];
    const auto& v = node.children[i];
    if (!v.is_scalar()) return make_error(v.loc.prefix() + "'" + k + "' needs a single value");
    if (k == "stake_fraction") {
      auto f = parse_fraction(v.scalar);
      if (!f) return make_error(v.loc.prefix() + f.error().message);
      if (f.value() == 0) return make_error(v.loc.prefix() + "stake_fraction 0 selects nobody");
      s.kind = Selector::Kind::stake_fraction;
      s.stake_fraction = f.value();
    } else if (k == "count") {
      auto c = parse_count(v.scalar);
      if (!c || c.value() == 0) return make_error(v.loc.prefix() + "count must be a whole number above 0");
      s.kind = Selector::Kind::count_from;
      s.count = static_cast<std::size_t>(c.value());
    } else if (k == "from") {
      if (!valid_group_name(v.scalar)) return make_error(v.loc.prefix() + "'from' must name a group");
      s.group = v.scalar;
    } else {
      return make_error(node.key_locs[i].prefix() + "unknown selector key '" + k + "'" +
                        did_you_mean(k, {"stake_fraction", "count", "from"}));
    }
  }
  const bool has_fraction = node.find("stake_fraction") != nullptr;
  const bool has_count = node.find("count") != nullptr;
  if (has_fraction == has_count || (has_fraction && node.find("from") != nullptr)) {
    return make_error(node.loc.prefix() + "a selector mapping is {stake_fraction: x} or {count: n, from: group}");
  }
  return s;
}

std::string Selector::to_string() const {
  switch (kind) {
    case Kind::all: return "all";
    case Kind::one: return "one";
    case Kind::minority: return "minority";
    case Kind::majority: return "majority";
    case Kind::proposer: return "proposer";
    case Kind::group: return group;
    case Kind::node: return fmt::format("{}[{}]", group, index);
    case Kind::slice:
      return end == kOpenEnd ? fmt::format("{}[{}:]", group, index) : fmt::format("{}[{}:{}]", group, index, end);
    case Kind::stake_fraction: return "{stake_fraction: " + format_fraction(stake_fraction) + "}";
    case Kind::count_from:
      return fmt::format("{{count: {}{}}}", count, (group.empty() ? std::string() : ", from: " + group));
    case Kind::any_of: {
      std::string s = "[";
      for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i].to_string();
      return s + "]";
    }
  }
  return "?";
}

bool selector_needs_runtime(const Selector& sel) {
  if (sel.kind == Selector::Kind::proposer) return true;
  return std::any_of(sel.items.begin(), sel.items.end(), selector_needs_runtime);
}

namespace {

Result<std::vector<std::size_t>> group_members(const std::string& group, std::span<const SelectorTarget> vs) {
  std::vector<std::size_t> out;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < vs.size(); ++i) {
    if (group.empty() || vs[i].group == group) out.push_back(i);
    if (names.empty() || names.back() != vs[i].group) names.push_back(vs[i].group);
  }
  if (out.empty()) return make_error("no validator group named '" + group + "'" + did_you_mean(group, names));
  return out;
}

std::vector<std::size_t> minority_of(std::span<const SelectorTarget> vs, std::uint64_t seed) {
  Amount total = 0;
  for (const auto& v : vs) total += v.stake;
  std::vector<std::size_t> out;
  Amount taken = 0;
  for (std::size_t i : seeded_order(vs.size(), seed)) {
    // taken + stake < total / 3, in integers: 3 * (taken + stake) < total.
    if (3 * (taken + vs[i].stake) < total) {
      taken += vs[i].stake;
      out.push_back(i);
    }
  }
  return out;
}

std::vector<std::size_t> by_stake_fraction(std::span<const SelectorTarget> vs, Ppm fraction) {
  std::vector<std::size_t> order(vs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return vs[a].stake > vs[b].stake; });
  Amount total = 0;
  for (const auto& v : vs) total += v.stake;
  std::vector<std::size_t> out;
  Amount taken = 0;
  for (std::size_t i : order) {
    if (taken * kPpmOne >= total * fraction) break;
    taken += vs[i].stake;
    out.push_back(i);
  }
  return out;
}

// Every validator index not in `set`, in order.
std::vector<std::size_t> complement_of(const std::vector<std::size_t>& set, std::size_t n) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::find(set.begin(), set.end(), i) == set.end()) out.push_back(i);
  }
  return out;
}

// `group[i]` or `group[a:b]`.
Result<std::vector<std::size_t>> slice_of(const Selector& sel, std::span<const SelectorTarget> vs) {
  auto members = group_members(sel.group, vs);
  if (!members) return members;
  const auto& m = members.value();
  const std::size_t end = sel.kind == Selector::Kind::node ? sel.index + 1 : std::min(sel.end, m.size());
  if (sel.index >= m.size() ||
      (sel.kind == Selector::Kind::slice && sel.end != Selector::kOpenEnd && sel.end > m.size())) {
    return make_error(
        fmt::format("'{}' is out of range: group '{}' has {} validators", sel.to_string(), sel.group, m.size()));
  }
  return std::vector<std::size_t>(m.begin() + static_cast<std::ptrdiff_t>(sel.index),
                                   m.begin() + static_cast<std::ptrdiff_t>(end));
}

// `{count: n, from: group}`: n members drawn with the seed.
Result<std::vector<std::size_t>> count_from(const Selector& sel, std::span<const SelectorTarget> vs, std::uint64_t seed) {
  auto members = group_members(sel.group, vs);
  if (!members) return members;
  const auto& m = members.value();
  if (sel.count > m.size()) {
    return make_error(fmt::format("'{}' asks for {} of only {} validators", sel.to_string(), sel.count, m.size()));
  }
  std::vector<std::size_t> out;
  for (std::size_t k : seeded_order(m.size(), seed)) {
    if (out.size() == sel.count) break;
    out.push_back(m[k]);
  }
  return out;
}

Result<std::vector<std::size_t>> resolve_one(const Selector& sel, std::span<const SelectorTarget> vs,
                                             std::uint64_t seed, std::optional<std::size_t> proposer) {
  using K = Selector::Kind;
  switch (sel.kind) {
    case K::all: return group_members("", vs);
    case K::one: return std::vector<std::size_t>{seeded_order(vs.size(), seed).front()};
    case K::minority: return minority_of(vs, seed);
    case K::majority: return complement_of(minority_of(vs, seed), vs.size());
    case K::proposer:
      if (!proposer) return make_error("'proposer' is known only while the chain runs");
      if (*proposer >= vs.size()) return make_error("proposer index out of range");
      return std::vector<std::size_t>{*proposer};
    case K::group: return group_members(sel.group, vs);
    case K::node:
    case K::slice: return slice_of(sel, vs);
    case K::stake_fraction: return by_stake_fraction(vs, sel.stake_fraction);
    case K::count_from: return count_from(sel, vs, seed);
    case K::any_of: {
      std::vector<std::size_t> out;
      for (const auto& item : sel.items) {
        auto r = resolve_one(item, vs, seed, proposer);
        if (!r) return r;
        out.insert(out.end(), r.value().begin(), r.value().end());
      }
      return out;
    }
  }
  return make_error("unknown selector");
}

}  // namespace

Result<std::vector<std::size_t>> resolve_selector(const Selector& sel, std::span<const SelectorTarget> validators,
                                                  std::uint64_t pick_seed, std::optional<std::size_t> proposer) {
  if (validators.empty()) return make_error(sel.loc.prefix() + "there are no validators to select");
  auto r = resolve_one(sel, validators, pick_seed, proposer);
  if (!r) return make_error(sel.loc.prefix() + r.error().message);
  auto out = std::move(r).value();
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.empty()) return make_error(sel.loc.prefix() + "selector '" + sel.to_string() + "' matches no validator");
  return out;
}

}  // namespace mt::sim

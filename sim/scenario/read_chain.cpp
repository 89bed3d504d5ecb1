// `chain:` — protocol parameters handed to the real code (mt::Params), plus the crypto backend.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "sim/scenario/chain_param_registry.hpp"
#include "sim/scenario/read_sections.hpp"

namespace mt::sim::detail {
namespace {

template <class T>
void set_int(MapReader& r, std::string_view key, T& field) {
  auto v = r.count(key);
  if (!v) return;
  if (*v > std::numeric_limits<T>::max()) {
    r.diag().error(r.loc_of(key), fmt::format("{}: {} is too large", r.path(key), *v));
    return;
  }
  field = static_cast<T>(*v);
}

void set_ms(MapReader& r, std::string_view key, std::uint64_t& field) {
  if (auto v = whole_ms(r.duration(key), r.loc_of(key), r.path(key), r.diag())) field = *v;
}

void set_bp(MapReader& r, std::string_view key, std::uint32_t& field) {
  auto v = r.fraction(key);
  if (!v) return;
  if (*v % 100 != 0) {
    r.diag().error(r.loc_of(key), r.path(key) + ": finer than one basis point (0.01%)");
    return;
  }
  field = *v / 100;
}

void set_size(MapReader& r, std::string_view key, std::uint32_t& field) {
  auto v = r.read<std::uint64_t>(key, parse_size);
  if (!v) return;
  if (*v > std::numeric_limits<std::uint32_t>::max()) {
    r.diag().error(r.loc_of(key), r.path(key) + ": too large");
    return;
  }
  field = static_cast<std::uint32_t>(*v);
}

void set_quorum(MapReader& r, std::string_view key, Params& p) {
  auto q = r.read<Ratio>(key, parse_ratio);
  if (!q) return;
  if (q->num > std::numeric_limits<std::uint32_t>::max() || q->den > std::numeric_limits<std::uint32_t>::max()) {
    r.diag().error(r.loc_of(key), r.path(key) + ": numbers too large");
    return;
  }
  p.quorum_num = static_cast<std::uint32_t>(q->num);
  p.quorum_den = static_cast<std::uint32_t>(q->den);
}

// One registry entry, read from `r` under `key` (the part after a group's dot).
void read_param(MapReader& r, std::string_view key, const ChainParamSpec& spec, Params& p) {
  using K = ChainParamKind;
  const auto& f = spec.field;
  switch (spec.kind) {
    case K::text:
      if (auto v = r.text(key)) p.*std::get<std::string Params::*>(f) = *v;
      return;
    case K::stake:
      if (auto v = r.amount(key)) p.*std::get<Amount Params::*>(f) = *v;
      return;
    case K::ratio: return set_quorum(r, key, p);
    case K::size: return set_size(r, key, p.*std::get<std::uint32_t Params::*>(f));
    case K::fraction_bp: return set_bp(r, key, p.*std::get<std::uint32_t Params::*>(f));
    case K::duration_ms: return set_ms(r, key, p.*std::get<std::uint64_t Params::*>(f));
    case K::count:
      if (const auto* wide = std::get_if<std::uint64_t Params::*>(&f)) return set_int(r, key, p.**wide);
      return set_int(r, key, p.*std::get<std::uint32_t Params::*>(f));
  }
}

std::string_view group_of(std::string_view key) {
  const auto dot = key.find('.');
  return dot == std::string_view::npos ? std::string_view{} : key.substr(0, dot);
}

// The keys a mapping accepts: for the `chain` map (group empty) the top-level keys and group
// names; for a group, the keys after its dot. In registry order, each once.
std::vector<std::string> keys_of(std::string_view group) {
  std::vector<std::string> keys;
  for (const auto& spec : chain_param_registry()) {
    const std::string_view g = group_of(spec.key);
    std::string_view key;
    if (group.empty()) {
      key = g.empty() ? spec.key : g;
    } else if (g == group) {
      key = spec.key.substr(g.size() + 1);
    } else {
      continue;
    }
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.emplace_back(key);
  }
  return keys;
}

void read_group(const YamlNode& node, std::string_view group, Params& p, Diagnostics& diag) {
  MapReader r(node, fmt::format("chain.{}", group), keys_of(group), diag);
  for (const auto& spec : chain_param_registry()) {
    if (group_of(spec.key) == group) read_param(r, spec.key.substr(group.size() + 1), spec, p);
  }
}

}  // namespace

std::optional<std::uint64_t> whole_ms(const std::optional<TimeUs>& us, const SourceLoc& loc, const std::string& what,
                                      Diagnostics& diag) {
  if (!us) return std::nullopt;
  if (*us % kUsPerMs != 0) {
    diag.error(loc, what + ": must be a whole number of milliseconds");
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*us / kUsPerMs);
}

void read_chain(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  std::vector<std::string> keys = keys_of({});
  keys.emplace_back("crypto");
  MapReader r(node, "chain", keys, diag);
  Params& p = s.chain.params;
  for (const std::string& key : keys) {
    if (const ChainParamSpec* spec = find_chain_param(key)) {
      read_param(r, key, *spec, p);
    } else if (const YamlNode* g = key != "crypto" ? r.get(key) : nullptr) {
      read_group(*g, key, p, diag);
    }
  }
  if (auto c = r.word("crypto", {"real", "fast"})) s.chain.fast_crypto = *c == "fast";
  if (p.block_time_ms == 0 && r.has("block_time")) diag.error(r.loc_of("block_time"), "chain.block_time must be above 0");
}

}  // namespace mt::sim::detail

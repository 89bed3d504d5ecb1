// Who a fault or behaviour hits (scenario-format.md "Selectors"), as a small AST resolved against
// the flat validator list:
//   all | one | minority | majority | proposer        keywords
//   core | core[3] | tail[0:5] | tail[:5] | tail[5:]  a group, one node, a half-open slice
//   {stake_fraction: 0.34}                            smallest set holding at least that share
//   {count: 3, from: core}                            n validators drawn from a group (or all)
//   [sel, sel, ...]                                   union
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/util/amount.hpp"
#include "core/util/result.hpp"
#include "sim/scenario/units.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace mt::sim {

struct Selector {
  enum class Kind : std::uint8_t {
    all, one, minority, majority, proposer, group, node, slice, stake_fraction, count_from, any_of
  };
  Kind kind = Kind::all;
  std::string group;               // group, node, slice, count_from ("" = every validator)
  std::size_t index = 0;           // node; slice begin
  std::size_t end = 0;             // slice end (exclusive); kOpenEnd = to the end of the group
  Ppm stake_fraction = 0;          // stake_fraction
  std::size_t count = 0;           // count_from
  std::vector<Selector> items;     // any_of
  SourceLoc loc;

  static constexpr std::size_t kOpenEnd = SIZE_MAX;
  bool operator==(const Selector&) const = default;
  // The canonical text (string form or flow mapping) that parse_selector reads back.
  [[nodiscard]] std::string to_string() const;
};

// What resolution needs to know about one validator.
struct SelectorTarget {
  std::string group;
  std::size_t index_in_group = 0;
  Amount stake = 0;
};

// Parses `text` (string forms only; maps are read by the loader into the same AST).
Result<Selector> parse_selector_text(const std::string& text);
// Parses a YAML node: a string, a {stake_fraction} / {count, from} mapping, or a list (union).
Result<Selector> parse_selector(const YamlNode& node);

// Sorted node indices that `sel` denotes. `pick_seed` makes one/minority/majority/count_from
// draws deterministic; `proposer` is the current proposer's index when known (run time).
// Errors: unknown group, index out of range, or no validator matched.
//   minority: validators taken in seeded random order while their stake stays strictly below
//             1/3 of the total (at least one validator);
//   majority: every validator not in the minority drawn with the same seed (> 2/3 of stake);
//   stake_fraction x: validators by descending stake (ties: lower index first) until >= x.
Result<std::vector<std::size_t>> resolve_selector(const Selector& sel, std::span<const SelectorTarget> validators,
                                                  std::uint64_t pick_seed,
                                                  std::optional<std::size_t> proposer = std::nullopt);

// True if the selector can only be resolved at run time (it mentions `proposer`).
bool selector_needs_runtime(const Selector& sel);

}  // namespace mt::sim

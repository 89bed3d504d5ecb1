// A load segment's `size:`: either one size for every transaction (`size: 500`) or a weighted mix
// (`size: { mix: [ { bytes: 250, weight: 80 }, { bytes: 2KiB, weight: 20 } ] }`). Sizes are whole
// bytes (units allowed: 2KiB), weights whole numbers; the generator draws from the load's stream.
// That every size fits the chain's max_tx_bytes is checked with the chain (validate_scenario).
#include "sim/scenario/read_sections.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/chain/transaction.hpp"

namespace mt::sim::detail {
namespace {

// A size in bytes: a whole number (`250`) or a size with a unit (`2KiB`).
Result<std::uint64_t> parse_bytes(std::string_view text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  return plain ? parse_count(text) : parse_size(text);
}

std::optional<std::uint32_t> read_bytes(const YamlNode& node, const std::string& what, Diagnostics& diag) {
  auto b = parse_node<std::uint64_t>(node, what, parse_bytes, diag);
  if (!b) return std::nullopt;
  if (*b == 0 || *b > kMaxMemoBytes) {
    diag.error(node.loc, fmt::format("{}: must be 1 byte to {} bytes", what, kMaxMemoBytes));
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(*b);
}

std::optional<SizeShare> read_share(const YamlNode& node, const std::string& section, Diagnostics& diag) {
  MapReader r(node, section, {"bytes", "weight"}, diag);
  if (!r.valid()) return std::nullopt;
  const YamlNode* bytes = r.get("bytes");
  if (bytes == nullptr) {
    diag.error(node.loc, section + ": needs 'bytes' (the encoded transaction size, e.g. 250)");
    return std::nullopt;
  }
  auto b = read_bytes(*bytes, section + ".bytes", diag);
  const std::uint64_t weight = r.count("weight").value_or(1);
  if (weight == 0 || weight > kMaxSizeMixWeight) {
    diag.error(r.loc_of("weight"), fmt::format("{}.weight: must be 1 to {}", section, kMaxSizeMixWeight));
    return std::nullopt;
  }
  if (!b) return std::nullopt;
  return SizeShare{*b, static_cast<std::uint32_t>(weight)};
}

}  // namespace

std::optional<SizeMix> read_size_mix(const YamlNode& node, const std::string& section, Diagnostics& diag) {
  if (node.is_scalar()) {
    auto b = read_bytes(node, section, diag);
    if (!b) return std::nullopt;
    return SizeMix{SizeShare{*b, 1}};
  }
  MapReader r(node, section, {"mix"}, diag);
  if (!r.valid()) return std::nullopt;
  const YamlNode* mix = r.get("mix");
  if (mix == nullptr || !mix->is_seq() || mix->children.empty() || mix->children.size() > kMaxSizeMixEntries) {
    diag.error(mix != nullptr ? mix->loc : node.loc,
               fmt::format("{}.mix: expected a list of 1 to {} entries like '- {{ bytes: 250, weight: 80 }}'", section,
                           kMaxSizeMixEntries));
    return std::nullopt;
  }
  SizeMix out;
  for (std::size_t i = 0; i < mix->children.size(); ++i) {
    auto share = read_share(mix->children[i], fmt::format("{}.mix[{}]", section, i), diag);
    if (!share) return std::nullopt;
    out.push_back(*share);
  }
  return out;
}

}  // namespace mt::sim::detail

// The `chain:` keys a scenario may set, declared once: key, unit, the Params field it sets and one
// doc line each. The loader reads from it, the writer writes from it, and docs/scenario-reference.md's
// chain table is tested against it row for row, defaults included (tests/sim/scenario/registry_test.cpp).
// Params' own encode, decode and validate stay in core (core never includes sim).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/chain/params.hpp"

namespace mt::sim {

enum class ChainParamKind {
  text,         // a string
  count,        // a whole number, bounded by the field's type
  duration_ms,  // a duration in whole milliseconds
  size,         // a size ("4MiB"), at most 2^32-1 bytes
  stake,        // an amount of stake
  fraction_bp,  // a fraction in whole basis points ("12.5%")
  ratio,        // the quorum: "2/3" (quorum_num / quorum_den)
};

using ChainParamField = std::variant<std::string Params::*, std::uint64_t Params::*, std::uint32_t Params::*,
                                     Amount Params::*, std::monostate>;  // monostate: the quorum pair

struct ChainParamSpec {
  std::string_view key;  // "block_time"; a nested key is "timeouts.propose"
  ChainParamKind kind;
  ChainParamField field;
  std::string_view doc;
  std::string_view default_doc = {};  // overrides the default shown in the docs ("every declared validator")
};

const std::vector<ChainParamSpec>& chain_param_registry();
// nullptr for an unknown key.
const ChainParamSpec* find_chain_param(std::string_view key);

// The unit column of the docs table ("count", "duration (whole ms)", ...).
std::string_view kind_doc(ChainParamKind kind);
// A parameter's value in `p` as a scenario writes it ("3s", "10%", "2/3").
std::string format_chain_param(const ChainParamSpec& spec, const Params& p);

}  // namespace mt::sim

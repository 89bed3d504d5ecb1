// The named checks an `expect:` entry may ask for, declared once: name, parameters and one doc
// line each. The loader validates names and parameters from it, the expectation set builds checks
// by its enum (a switch the compiler holds complete), and docs/scenario-reference.md's table is
// tested against it (tests/sim/scenario/registry_test.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mt::sim {

enum class CheckKind : std::uint8_t {
  no_conflicting_finality,
  state_root_agreement,
  supply_conserved,
  honest_never_slashed,
  no_invalid_tx_committed,
  equivocators_slashed,
  recovers,
  finality_progress,
  chain_height,
  emission_conserved,
  weights_consensus_resists_collusion,
  honest_signs_once,
  final_blocks_valid,
  only_double_signers_slashed,
  client_view_consistent,
  slashed_at_most_once,
  evidence_within_age,
};

struct CheckSpec {
  CheckKind kind;
  std::string_view name;
  std::vector<std::string_view> params;   // keys the entry may (who) or must (the others) give
  std::string_view params_doc;            // the docs table's "parameters" cell
  std::string_view doc;                   // the docs table's "holds when" cell
  bool needs_subnets = false;             // reads the AI layer: the scenario must have `subnets:`
};

const std::vector<CheckSpec>& check_registry();
// nullptr for an unknown name.
const CheckSpec* find_check(std::string_view name);
const CheckSpec& check_spec(CheckKind kind);
std::vector<std::string> check_names();

}  // namespace mt::sim

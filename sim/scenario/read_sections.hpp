// Section readers shared by the loader's files (internal to sim/scenario).
#pragma once

#include <optional>
#include <string>

#include <algorithm>

#include "sim/scenario/map_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::sim::detail {

void read_chain(const YamlNode& node, Scenario& s, Diagnostics& diag);
void read_network(const YamlNode& node, const std::string& base_dir, Scenario& s, Diagnostics& diag);
void read_validators(const YamlNode& node, Scenario& s, Diagnostics& diag);
void read_accounts(const YamlNode& node, Scenario& s, Diagnostics& diag);
void read_genesis(const YamlNode& node, Scenario& s, Diagnostics& diag);
void read_load(const YamlNode& node, Scenario& s, Diagnostics& diag);
// A load segment's `size:` (read_size_mix.cpp): one size, or `{ mix: [ {bytes, weight}, ... ] }`.
std::optional<SizeMix> read_size_mix(const YamlNode& node, const std::string& section, Diagnostics& diag);
void read_subnets(const YamlNode& node, Scenario& s, Diagnostics& diag);
void read_faults(const YamlNode& node, Scenario& s, Diagnostics& diag);
void read_nemesis(const YamlNode& node, Scenario& s, Diagnostics& diag);
void read_expect(const YamlNode& node, Scenario& s, Diagnostics& diag);
void read_report(const YamlNode& node, Scenario& s, Diagnostics& diag);
// The cost model (load_costs.cpp): `costs:`, and a validator group's `cpu:` and `bandwidth:`.
void read_costs(const YamlNode& node, Scenario& s, Diagnostics& diag);
void read_group_cpu(const YamlNode& node, const std::string& section, ValidatorGroup& g, Diagnostics& diag);
void read_group_bandwidth(const YamlNode& node, const std::string& section, ValidatorGroup& g, Diagnostics& diag);
// `costs:` keys and a CpuCosts' values by key, in one order (the loader and the writer share it).
std::vector<std::string> cost_keys();
std::vector<std::pair<std::string, TimeUs>> cost_values(const CpuCosts& costs);
// Everything that needs several sections at once: selectors against validators, fault ids,
// windows, times against the run's length, peers against the validator count.
void validate_scenario(Scenario& s, Diagnostics& diag);

std::optional<Selector> read_selector(const YamlNode& node, Diagnostics& diag);
// `heights: [a, b]` or one value: an inclusive range, a <= b (read_faults.cpp).
std::optional<std::pair<std::uint64_t, std::uint64_t>> read_range(const YamlNode& node, const std::string& what,
                                                                  Diagnostics& diag);
// A fault's `round_partitions: {heights, schedule}` (round_partitions.cpp): `base` holds the
// fault's id, trigger and end; one `messages` fault per (round, group, kind) is appended to s.faults.
void read_round_partitions(const YamlNode& node, const std::string& section, const FaultConfig& base, Scenario& s,
                           Diagnostics& diag);
std::optional<DelayDist> read_delay_dist(const YamlNode& node, const std::string& section, Diagnostics& diag);
std::optional<ByzantineConfig> read_byzantine(const YamlNode& node, const std::string& section, Diagnostics& diag);
// A duration that must be a whole number of milliseconds (protocol parameters are in ms).
std::optional<std::uint64_t> whole_ms(const std::optional<TimeUs>& us, const SourceLoc& loc, const std::string& what,
                                      Diagnostics& diag);
// A sequence of scalars as strings; error if the node is not a list of words.
std::vector<std::string> read_word_list(const YamlNode& node, const std::string& what, Diagnostics& diag);

}  // namespace mt::sim::detail

// Loading a scenario file strictly (scenario-format.md "Loading"): `extends` followed, `--set`
// overrides applied, every key checked, units parsed, groups expanded, cross references (selectors,
// fault ids, zones) resolved. Errors are "file:line:column: message" lines, one per problem.
//
//   auto s = load_scenario("scenarios/quickstart.yaml", {"chain.block_time=2s"});
//   if (!s) { std::cerr << s.error().message << "\n"; return 65; }
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace mt::sim {

Result<Scenario> load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});
// From text, for tests and tools; `file` names it in messages and anchors relative paths.
Result<Scenario> load_scenario_text(std::string_view text, const std::string& file,
                                    const std::vector<std::string>& overrides = {});
// From an already merged tree.
Result<Scenario> scenario_from_yaml(const YamlNode& root, const std::string& file);

}  // namespace mt::sim

// The loader's entry points and the top-level keys.
#include "sim/scenario/load_scenario.hpp"

#include <filesystem>

#include "sim/scenario/read_sections.hpp"

namespace mt::sim {
namespace {

const std::vector<std::string> kTopKeys{"version", "name",      "description", "seed",  "duration", "stop_at_height",
                                        "warmup",  "chain",     "network",     "validators", "accounts", "genesis",
                                        "load",    "subnets",   "faults",      "nemesis", "expect", "report",
                                        "costs"};

void read_identity(MapReader& r, Scenario& s) {
  Diagnostics& diag = r.diag();
  if (const YamlNode* v = r.get("version")) {
    if (!v->is_scalar() || v->scalar != "1") diag.error(v->loc, "version: only version 1 of the format exists");
  } else {
    diag.error(r.node().loc, "missing 'version: 1' (the format version this file is written for)");
  }
  s.name = r.text("name").value_or(std::filesystem::path(s.file).stem().string());
  s.description = r.text("description").value_or("");
  s.seed = r.count("seed");
  s.duration_us = r.duration("duration");
  s.stop_at_height = r.count("stop_at_height");
  if (s.stop_at_height && *s.stop_at_height == 0) diag.error(r.loc_of("stop_at_height"), "stop_at_height must be above 0");
  s.warmup_us = r.duration("warmup").value_or(0);
}

void read_sections(MapReader& r, const std::string& base_dir, Scenario& s) {
  Diagnostics& diag = r.diag();
  if (const YamlNode* n = r.get("chain")) detail::read_chain(*n, s, diag);
  if (const YamlNode* n = r.get("network")) detail::read_network(*n, base_dir, s, diag);
  if (const YamlNode* n = r.get("costs")) detail::read_costs(*n, s, diag);
  if (const YamlNode* n = r.get("validators")) {
    detail::read_validators(*n, s, diag);
  } else {
    diag.error(r.node().loc, "missing 'validators' (who runs the chain)");
  }
  if (const YamlNode* n = r.get("accounts")) detail::read_accounts(*n, s, diag);
  if (const YamlNode* n = r.get("genesis")) detail::read_genesis(*n, s, diag);
  if (const YamlNode* n = r.get("load")) detail::read_load(*n, s, diag);
  if (const YamlNode* n = r.get("subnets")) detail::read_subnets(*n, s, diag);
  if (const YamlNode* n = r.get("faults")) detail::read_faults(*n, s, diag);
  if (const YamlNode* n = r.get("nemesis")) detail::read_nemesis(*n, s, diag);
  if (const YamlNode* n = r.get("expect")) detail::read_expect(*n, s, diag);
  if (const YamlNode* n = r.get("report")) detail::read_report(*n, s, diag);
  // Default: every declared validator can be active.
  const YamlNode* chain = r.get("chain");
  if (chain == nullptr || !chain->is_map() || chain->find("max_validators") == nullptr) {
    s.chain.params.max_validators = static_cast<std::uint32_t>(std::max<std::size_t>(1, s.validators.size()));
  }
}

Result<Scenario> finish(const YamlNode& root, const std::string& file) {
  Diagnostics diag;
  Scenario s;
  s.file = file;
  const std::string base_dir = std::filesystem::path(file).parent_path().string();
  {
    MapReader r(root, "", kTopKeys, diag);
    if (!r.valid()) return make_error(diag.joined());
    read_identity(r, s);
    read_sections(r, base_dir.empty() ? "." : base_dir, s);
  }
  if (diag.ok()) detail::validate_scenario(s, diag);
  if (!diag.ok()) return make_error(diag.joined());
  return s;
}

}  // namespace

Result<Scenario> scenario_from_yaml(const YamlNode& root, const std::string& file) { return finish(root, file); }

Result<Scenario> load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  auto tree = load_yaml_with_extends(path);
  if (!tree) return tree.error();
  YamlNode root = std::move(tree).value();
  for (const auto& o : overrides) {
    if (auto st = apply_set(root, o); !st) return st.error();
  }
  return finish(root, path);
}

Result<Scenario> load_scenario_text(std::string_view text, const std::string& file,
                                    const std::vector<std::string>& overrides) {
  auto tree = parse_yaml(text, file);
  if (!tree) return tree.error();
  YamlNode root = std::move(tree).value();
  if (root.is_map() && root.find("extends") != nullptr) {
    return make_error(root.find("extends")->loc.prefix() + "extends needs a scenario loaded from a file");
  }
  for (const auto& o : overrides) {
    if (auto st = apply_set(root, o); !st) return st.error();
  }
  return finish(root, file);
}

}  // namespace mt::sim

// The cost model's sections: `costs:` (per-operation CPU charges, docs/cost-model.md) and a
// validator group's `cpu: {speed}` and `bandwidth: {up, down}`.
#include "sim/scenario/read_sections.hpp"

namespace mt::sim::detail {
namespace {

constexpr TimeUs kMaxCostUs = kUsPerSec;  // one operation taking a second is a typo

struct CostField {
  const char* key;
  TimeUs CpuCosts::*field;
};

const std::vector<CostField>& cost_fields() {
  static const std::vector<CostField> fields{
      {"verify", &CpuCosts::verify_us},
      {"verify_known", &CpuCosts::verify_known_us},
      {"sign", &CpuCosts::sign_us},
      {"execute_tx", &CpuCosts::execute_tx_us},
      {"block_overhead", &CpuCosts::block_overhead_us},
      {"hash_per_kib", &CpuCosts::hash_per_kib_us},
      {"store_block", &CpuCosts::store_block_us},
      {"send_message", &CpuCosts::send_message_us},
      {"receive_message", &CpuCosts::receive_message_us},
  };
  return fields;
}

}  // namespace

std::vector<std::string> cost_keys() {
  std::vector<std::string> keys;
  for (const auto& f : cost_fields()) keys.emplace_back(f.key);
  return keys;
}

std::vector<std::pair<std::string, TimeUs>> cost_values(const CpuCosts& costs) {
  std::vector<std::pair<std::string, TimeUs>> out;
  for (const auto& f : cost_fields()) out.emplace_back(f.key, costs.*f.field);
  return out;
}

void read_costs(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  MapReader r(node, "costs", cost_keys(), diag);
  if (!r.valid()) {
    diag.error(node.loc, "costs: expected a mapping like {verify: 50us, sign: 25us}");
    return;
  }
  for (const auto& f : cost_fields()) {
    auto v = r.duration(f.key);
    if (!v) continue;
    if (*v > kMaxCostUs) {
      diag.error(r.loc_of(f.key), r.path(f.key) + ": at most 1s per operation");
      continue;
    }
    s.costs.*f.field = *v;
  }
}

void read_group_cpu(const YamlNode& node, const std::string& section, ValidatorGroup& g, Diagnostics& diag) {
  MapReader r(node, section, {"speed"}, diag);
  if (!r.valid()) {
    diag.error(node.loc, section + ": expected a mapping like {speed: 0.5}");
    return;
  }
  if (!r.has("speed")) diag.error(node.loc, section + ": missing 'speed' (1 = the machine `costs:` describes)");
  if (auto v = r.read<std::uint32_t>("speed", parse_speed)) g.cpu_speed_permille = *v;
}

void read_group_bandwidth(const YamlNode& node, const std::string& section, ValidatorGroup& g, Diagnostics& diag) {
  MapReader r(node, section, {"up", "down"}, diag);
  if (!r.valid()) {
    diag.error(node.loc, section + ": expected a mapping like {up: 100Mbit/s, down: 1Gbit/s}");
    return;
  }
  if (!r.has("up") && !r.has("down")) diag.error(node.loc, section + ": set 'up', 'down' or both");
  auto positive = [&](const char* key, std::uint64_t& out) {
    auto v = r.read<std::uint64_t>(key, parse_bandwidth);
    if (!v) return;
    if (*v == 0) diag.error(r.loc_of(key), r.path(key) + ": must be above 0 (leave it out for unlimited)");
    out = *v;
  };
  positive("up", g.uplink_bps);
  positive("down", g.downlink_bps);
}

}  // namespace mt::sim::detail

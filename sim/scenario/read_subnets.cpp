// `subnets:` — the AI layer's subnets registered at genesis: who validates them and how their
// validators draw weights (honest / colluding / lazy), how many miners, and their parameters.
#include "sim/scenario/read_sections.hpp"

#include <fmt/format.h>

namespace mt::sim::detail {
namespace {

const std::vector<std::string> kBehaviors{"honest", "colluding", "lazy"};
constexpr std::uint64_t kMaxNeurons = 4096;  // Params::max_neurons_per_subnet's ceiling
constexpr std::size_t kMaxSubnets = 64;

void read_group(const YamlNode& node, const std::string& section, SubnetConfig& sn, Diagnostics& diag) {
  MapReader r(node, section, {"behavior", "count", "stake", "favour"}, diag);
  if (!r.valid()) return;
  SubnetValidatorGroup g;
  g.loc = node.loc;
  if (auto b = r.word("behavior", kBehaviors)) {
    g.behavior = static_cast<WeightBehavior>(std::find(kBehaviors.begin(), kBehaviors.end(), *b) - kBehaviors.begin());
  }
  g.count = static_cast<std::size_t>(std::min<std::uint64_t>(r.count("count").value_or(0), kMaxNeurons + 1));
  if (g.count == 0) diag.error(r.has("count") ? r.loc_of("count") : node.loc, section + ": needs a 'count' above 0");
  g.stake = r.amount("stake").value_or(0);
  if (g.stake == 0) diag.error(r.has("stake") ? r.loc_of("stake") : node.loc, section + ": needs a 'stake' above 0");
  if (auto f = r.count("favour")) {
    if (g.behavior != WeightBehavior::colluding) {
      diag.error(r.loc_of("favour"), section + ": 'favour' applies only to colluding validators");
    }
    g.favour = static_cast<std::size_t>(std::min<std::uint64_t>(*f, kMaxNeurons));
  }
  sn.validators.push_back(g);
}

void check_subnet(const SubnetConfig& sn, const std::string& section, const MapReader& r, Diagnostics& diag) {
  const std::size_t v = sn.validator_count();
  if (sn.miners == 0) diag.error(r.has("miners") ? r.loc_of("miners") : r.node().loc, section + ": needs 'miners' above 0");
  if (v == 0) diag.error(r.node().loc, section + ": needs at least one validator group");
  if (v + sn.miners > kMaxNeurons) diag.error(r.node().loc, section + ": at most 4096 neurons (validators + miners)");
  if (r.has("max_neurons") && sn.max_neurons < v + sn.miners) {
    diag.error(r.loc_of("max_neurons"),
               fmt::format("{}.max_neurons: below the {} neurons registered at genesis", section, v + sn.miners));
  }
  for (std::size_t i = 0; i < sn.validators.size(); ++i) {
    const auto& g = sn.validators[i];
    if (g.stake < sn.min_stake) {
      diag.error(g.loc, fmt::format("{}.validators[{}]: stake below min_stake cannot set weights", section, i));
    }
    if (g.favour && *g.favour >= sn.miners) {
      diag.error(g.loc, fmt::format("{}.validators[{}].favour: miner index {} but the subnet has {} miners", section, i,
                                    *g.favour, sn.miners));
    }
  }
}

void read_one(const YamlNode& node, std::size_t i, Scenario& s, Diagnostics& diag) {
  const std::string section = fmt::format("subnets[{}]", i);
  MapReader r(node, section, {"name", "tempo", "max_neurons", "min_stake", "miners", "noise", "validators"}, diag);
  if (!r.valid()) return;
  SubnetConfig sn;
  sn.loc = node.loc;
  sn.name = r.text("name").value_or(fmt::format("subnet{}", i));
  if (sn.name.empty() || sn.name.size() > 64) diag.error(r.loc_of("name"), section + ".name: 1 to 64 characters");
  for (const auto& other : s.subnets) {
    if (other.name == sn.name) diag.error(r.loc_of("name"), section + ": subnet '" + sn.name + "' declared twice");
  }
  if (auto t = r.count("tempo")) {
    if (*t == 0) diag.error(r.loc_of("tempo"), section + ".tempo: at least 1 block");
    sn.tempo_blocks = *t;
  }
  sn.min_stake = r.amount("min_stake").value_or(sn.min_stake);
  sn.miners = static_cast<std::size_t>(std::min<std::uint64_t>(r.count("miners").value_or(0), kMaxNeurons + 1));
  if (auto n = r.fraction("noise")) sn.noise = *n;
  if (const YamlNode* v = r.get("validators")) {
    if (!v->is_seq()) {
      diag.error(v->loc, section + ".validators: expected a list like '- { behavior: honest, count: 10, stake: 1000 }'");
    } else {
      for (std::size_t k = 0; k < v->children.size(); ++k) {
        read_group(v->children[k], fmt::format("{}.validators[{}]", section, k), sn, diag);
      }
    }
  }
  const std::size_t total = sn.validator_count() + sn.miners;
  sn.max_neurons = static_cast<std::uint16_t>(std::min<std::uint64_t>(total, kMaxNeurons));
  if (auto m = r.count("max_neurons")) {
    if (*m == 0 || *m > kMaxNeurons) diag.error(r.loc_of("max_neurons"), section + ".max_neurons: 1 to 4096");
    sn.max_neurons = static_cast<std::uint16_t>(std::min(*m, kMaxNeurons));
  }
  check_subnet(sn, section, r, diag);
  s.subnets.push_back(std::move(sn));
}

}  // namespace

void read_subnets(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  if (!node.is_seq()) {
    diag.error(node.loc, "subnets: expected a list like '- { name: text, miners: 64, validators: [...] }'");
    return;
  }
  if (node.children.size() > kMaxSubnets) diag.error(node.loc, "subnets: at most 64");
  for (std::size_t i = 0; i < node.children.size() && i < kMaxSubnets; ++i) read_one(node.children[i], i, s, diag);
}

}  // namespace mt::sim::detail

#include "sim/inspect/inspection.hpp"

#include <fmt/format.h>

#include "sim/runner/runner.hpp"
#include "sim/world/world.hpp"

namespace mt::sim {

std::string NodeInspection::name_of(const Address& a) const {
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (addresses[i] == a) return names[i];
  }
  return "";
}

Result<std::size_t> resolve_one_node(const Scenario& scenario, const std::string& selector, std::uint64_t seed) {
  for (std::size_t i = 0; i < scenario.validators.size(); ++i) {
    if (scenario.validators[i].name == selector) return i;
  }
  auto sel = parse_selector_text(selector);
  if (!sel.ok()) return make_error(fmt::format("--node {}: {}", selector, sel.error().message));
  if (selector_needs_runtime(sel.value())) return make_error(fmt::format("--node {}: name one node, e.g. core[0]", selector));
  const auto targets = scenario.selector_targets();
  auto picked = resolve_selector(sel.value(), targets, seed);
  if (!picked.ok()) return make_error(fmt::format("--node {}: {}", selector, picked.error().message));
  if (picked.value().size() != 1) {
    return make_error(fmt::format("--node {} selects {} nodes; inspect shows one, e.g. {}", selector,
                                  picked.value().size(), scenario.validators[picked.value().front()].name));
  }
  return picked.value().front();
}

namespace {

// A 64-hex address or the name of one of the run's nodes.
Result<Address> resolve_account(World& world, const std::string& label) {
  for (const auto& n : world.view().nodes) {
    if (n.name == label) return n.address;
  }
  Bytes raw;
  if (label.size() != 2 * Address::size_bytes || !from_hex(label, raw)) {
    return make_error(fmt::format("--account {}: not a {}-hex address nor a node name", label, 2 * Address::size_bytes));
  }
  Address a;
  std::copy(raw.begin(), raw.end(), a.data.begin());
  return a;
}

}  // namespace

Result<NodeInspection> inspect_world(World& world, std::size_t index, TimeUs asked_us, TimeUs t,
                                     const std::vector<std::string>& accounts) {
  NodeInspection out;
  out.node_index = index;
  out.at_us = asked_us;
  out.stopped_us = t;
  for (const auto& n : world.view().nodes) {
    out.names.push_back(n.name);
    out.addresses.push_back(n.address);
  }
  out.node_name = out.names.at(index);
  out.up = world.is_up(index);
  out.paused = world.is_paused(index);
  auto stored = world.store(index).latest_height();
  if (stored.ok()) out.store_height = stored.value();
  const Node* node = world.node(index);
  if (node != nullptr) out.snapshot = snapshot_node(*node);
  for (const auto& label : accounts) {
    auto a = resolve_account(world, label);
    if (!a.ok()) return a.error();
    AccountInspection acc{label, a.value()};
    if (node != nullptr) {
      const state::Account state = node->state()->account(a.value());
      acc.balance = state.balance;
      acc.nonce = state.nonce;
    }
    out.accounts.push_back(std::move(acc));
  }
  return out;
}

Result<NodeInspection> inspect_node(const Scenario& scenario, const InspectRequest& request) {
  auto index = resolve_one_node(scenario, request.node, request.seed);
  if (!index.ok()) return index.error();
  if (request.at_us < 0) return make_error("--at must not be negative");
  RunSettings settings;
  settings.seed = request.seed;
  settings.stop_at_us = request.at_us;
  std::optional<Result<NodeInspection>> got;
  settings.on_stop = [&](World& world, TimeUs t) {
    got = inspect_world(world, index.value(), request.at_us, t, request.accounts);
  };
  RunOutput run = run_scenario(scenario, settings);
  if (!run.error.empty()) return make_error(run.error);
  if (!got) return make_error("the run ended before it reached --at");
  return std::move(*got);
}

}  // namespace mt::sim

// to_yaml for faults, nemesis, expectations and the report section.
#include "sim/scenario/scenario_writer.hpp"

#include <fmt/format.h>

namespace mt::sim {
namespace {

using SelWriter = std::string (*)(const Selector&);

using Flow = YamlFlow;

std::string message_rule(const FaultConfig& f, SelWriter sel);

std::string action_value(const FaultConfig& f, SelWriter sel) {
  switch (f.action) {
    case FaultAction::partition:
      if (f.partition_mode == FaultConfig::PartitionMode::isolate) return Flow().add("isolate", sel(f.targets)).str();
      if (f.partition_mode == FaultConfig::PartitionMode::one_way) {
        return Flow().add("one_way", Flow().add("from", sel(f.targets)).add("to", sel(f.to)).str()).str();
      } else {
        std::string groups = "[";
        for (std::size_t i = 0; i < f.groups.size(); ++i) groups += (i ? ", " : "") + sel(f.groups[i]);
        return Flow().add("groups", groups + "]").str();
      }
    case FaultAction::heal: return f.heal_id.empty() ? "all" : yaml_scalar(f.heal_id);
    case FaultAction::crash:
      if (f.corrupt.empty() && f.storage.empty()) return sel(f.targets);
      {
        Flow flow;
        flow.add("who", sel(f.targets));
        if (!f.corrupt.empty()) flow.add("corrupt", f.corrupt);
        if (!f.storage.empty()) flow.add("storage", f.storage);
        return flow.str();
      }
    case FaultAction::pause:
    case FaultAction::join:
    case FaultAction::leave: return sel(f.targets);
    case FaultAction::clock_skew:
      return Flow()
          .add("who", sel(f.targets))
          .add("offset", format_duration(f.skew_offset_us))
          .add("drift", fmt::format("{}ppm", f.drift_ppm))
          .str();
    case FaultAction::stake: return Flow().add("who", sel(f.targets)).add("amount", amount_to_string(f.stake_amount)).str();
    case FaultAction::link: {
      Flow l;
      l.add("from", sel(f.targets)).add("to", sel(f.to));
      if (f.link_delay_us) l.add("delay", format_duration(*f.link_delay_us));
      if (f.link_loss) l.add("loss", format_fraction(*f.link_loss));
      if (f.link_duplicate) l.add("duplicate", format_fraction(*f.link_duplicate));
      if (f.link_bandwidth_bits_per_s) l.add("bandwidth", format_bandwidth(*f.link_bandwidth_bits_per_s));
      return l.str();
    }
    case FaultAction::messages: return message_rule(f, sel);
  }
  return "?";
}

template <typename T>
std::string range(const std::pair<T, T>& r) {
  return fmt::format("[{}, {}]", r.first, r.second);
}

std::string message_rule(const FaultConfig& f, SelWriter sel) {
  const MessageRuleConfig& m = f.message_rule;
  Flow l;
  l.add("kind", m.kind).add("from", sel(f.targets)).add("to", sel(f.to));
  if (m.heights) l.add("heights", range(*m.heights));
  if (m.rounds) l.add("rounds", range(*m.rounds));
  if (m.drop) l.add("drop", "true");
  if (m.delay_us > 0) l.add("delay", format_duration(m.delay_us));
  if (m.signer) l.add("signer", "true");
  return l.str();
}

std::string protocol_point(const ProtocolPoint& p, SelWriter sel) {
  Flow f;
  f.add("height", std::to_string(p.height)).add("round", std::to_string(p.round)).add("step", to_string(p.step));
  if (p.node) f.add("node", sel(*p.node));
  return f.str();
}

void write_faults(std::string& out, const Scenario& s, SelWriter sel) {
  if (s.faults.empty()) return;
  out += "faults:\n";
  for (const auto& f : s.faults) {
    Flow e;
    e.add("id", yaml_scalar(f.id));
    if (f.at_us) e.add("at", format_duration(*f.at_us));
    if (f.at_step) e.add("at", protocol_point(*f.at_step, sel));
    if (f.at_height) e.add("at_height", std::to_string(*f.at_height));
    e.add(to_string(f.action), action_value(f, sel));
    if (f.duration_us) e.add("duration", format_duration(*f.duration_us));
    if (f.until_height) e.add("until_height", std::to_string(*f.until_height));
    if (f.restart_after_us) e.add("restart_after", format_duration(*f.restart_after_us));
    if (f.wipe) e.add("wipe", "true");
    out += "  - " + e.str() + "\n";
  }
}

void write_nemesis(std::string& out, const NemesisConfig& n, SelWriter sel) {
  std::string faults = "[", targets = "[";
  for (std::size_t i = 0; i < n.faults.size(); ++i) faults += (i ? ", " : "") + n.faults[i];
  for (std::size_t i = 0; i < n.targets.size(); ++i) targets += (i ? ", " : "") + sel(n.targets[i]);
  Flow f;
  f.add("faults", faults + "]").add("targets", targets + "]").add("interval", format_duration(n.interval_us));
  f.add("duration", format_duration(n.duration_us)).add("from", format_duration(n.from_us));
  if (n.until_us >= 0) f.add("until", format_duration(n.until_us));
  f.add("max_concurrent", std::to_string(n.max_concurrent));
  out += "nemesis: " + f.str() + "\n";
}

std::string window(const Window& w) {
  if (w.kind == Window::Kind::range) return "[" + format_duration(w.from_us) + ", " + format_duration(w.until_us) + "]";
  return yaml_scalar(w.to_string());
}

void write_expect(std::string& out, const Scenario& s, SelWriter sel) {
  if (s.expect.empty()) return;
  out += "expect:\n";
  for (const auto& e : s.expect) {
    Flow f;
    f.add(e.kind == Expectation::Kind::check ? "check" : "metric", e.name);
    f.add("window", window(e.window));
    if (e.who) f.add("who", sel(*e.who));
    if (e.within_us) f.add("within", format_duration(*e.within_us));
    if (e.within_blocks) f.add("within", yaml_scalar(fmt::format("{} blocks", *e.within_blocks)));
    if (!e.after.empty()) f.add("after", yaml_scalar(e.after));
    if (e.max_stall_us) f.add("max_stall", format_duration(*e.max_stall_us));
    if (e.min_height) f.add("min", std::to_string(*e.min_height));
    if (e.max_share) f.add("max_share", format_fraction(*e.max_share));
    if (e.min) f.add("min", e.min->to_string());
    if (e.max) f.add("max", e.max->to_string());
    out += "  - " + f.str() + "\n";
  }
}

}  // namespace

void write_faults_and_checks(std::string& out, const Scenario& s, SelWriter sel) {
  write_faults(out, s, sel);
  if (s.nemesis) write_nemesis(out, *s.nemesis, sel);
  write_expect(out, s, sel);
  std::string outputs = "[";
  for (std::size_t i = 0; i < s.report.outputs.size(); ++i) outputs += (i ? ", " : "") + s.report.outputs[i];
  out += "report: " + Flow().add("outputs", outputs + "]").add("resolution", format_duration(s.report.resolution_us)).str() + "\n";
}

}  // namespace mt::sim

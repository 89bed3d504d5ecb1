#include "reports/console_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iomanip>

#include <fmt/format.h>

#include "reports/run_facts.hpp"
#include "reports/text_format.hpp"

namespace mt::reports {
namespace {

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  [[nodiscard]] std::string green(const std::string& s) const { return wrap("32;1", s); }
  [[nodiscard]] std::string red(const std::string& s) const { return wrap("31;1", s); }
  [[nodiscard]] std::string bold(const std::string& s) const { return wrap("1", s); }
  [[nodiscard]] std::string dim(const std::string& s) const { return wrap("2", s); }

 private:
  [[nodiscard]] std::string wrap(const char* code, const std::string& s) const {
    return color_ ? std::string("\x1b[") + code + "m" + s + "\x1b[0m" : s;
  }
  bool color_;
};

void print_expectations(std::ostream& out, const sim::RunResult& run, const Painter& p) {
  std::size_t failed = failed_expectation_count(run);
  out << p.bold("expectations") << " (" << run.expectations.size() - failed << " of " << run.expectations.size()
      << " met)\n";
  std::size_t width = 0;
  for (const auto& e : run.expectations) width = std::max(width, e.name.size());
  for (const auto& e : run.expectations) {
    out << "  " << (e.passed ? p.green("PASS") : p.red("FAIL")) << "  " << std::left
        << std::setw(static_cast<int>(width)) << e.name << "  " << std::setw(12) << e.window;
    if (!e.measured.empty()) out << "  measured " << e.measured;
    if (!e.threshold.empty()) out << " vs " << e.threshold;
    out << "\n";
    if (!e.passed && !e.detail.empty()) out << "        " << p.dim(e.detail) << "\n";
  }
}

void metric_line(std::ostream& out, const std::string& name, const std::string& value) {
  out << "  " << std::left << std::setw(24) << name << value << "\n";
}

std::string percentiles_text(const sim::Percentiles& q, int decimals) {
  return "p50 " + format_fixed(q.p50, decimals) + "  p90 " + format_fixed(q.p90, decimals) + "  p99 " +
         format_fixed(q.p99, decimals) + "  max " + format_fixed(q.max, decimals);
}

void print_messages(std::ostream& out, const sim::RunMetrics& m) {
  for (const auto& [kind, s] : m.messages_by_kind) {
    out << "    " << std::left << std::setw(14) << kind << std::right << std::setw(10) << s.sent << " sent"
        << std::setw(10) << s.delivered << " delivered" << std::setw(8) << s.dropped << " dropped"
        << std::setw(6) << s.duplicated << " dup  " << format_bytes(s.bytes) << "\n";
  }
  const auto rate = [](double bytes_per_s) { return format_bytes(static_cast<std::uint64_t>(bytes_per_s)) + "/s"; };
  out << fmt::format("    per node: sent mean {} max {}, received mean {} max {}\n", rate(m.bytes_sent_per_node_s_mean),
                     rate(m.bytes_sent_per_node_s_max), rate(m.bytes_received_per_node_s_mean),
                     rate(m.bytes_received_per_node_s_max));
  if (m.gossip_copies_per_message.empty()) return;
  std::string copies;
  for (const auto& [kind, c] : m.gossip_copies_per_message) copies += fmt::format("  {} {:.1f}", kind, c);
  out << "    gossip copies per message:" << copies << "\n";
}

void print_metrics(std::ostream& out, const sim::RunResult& run, const Painter& p) {
  const auto& m = run.metrics;
  out << p.bold("metrics") << "\n";
  metric_line(out, "finalized TPS (steady)",
              format_fixed(m.tps_finalized_mean, 1) + " tx/s  (offered " + format_fixed(m.tps_offered_mean, 1) +
                  ", included " + format_fixed(m.tps_included_mean, 1) + "; steady " +
                  format_seconds_us(m.steady_from_us) + " to " + format_seconds_us(m.steady_until_us) + ")");
  metric_line(out, "finality latency ms", percentiles_text(m.finality_latency_ms, 0));
  metric_line(out, "block interval ms", percentiles_text(m.block_interval_ms, 0) + "  mean " +
                                            format_fixed(m.block_interval_ms.mean, 0));
  metric_line(out, "rounds per height",
              "mean " + format_fixed(m.rounds_per_height.mean, 2) + "  max " + format_fixed(m.rounds_per_height.max, 0));
  metric_line(out, "heights",
              fmt::format("{} finalized in {} simulated; longest stall {}", m.final_height,
                          format_seconds_us(run.simulated_us), format_seconds_us(m.longest_stall_us)));
  metric_line(out, "transactions",
              fmt::format("{} finalized of {} submitted, {} pending, {} rejected", m.txs_finalized, m.txs_submitted,
                          m.txs_pending_at_end, m.txs_rejected));
  metric_line(out, "resources (steady)",
              fmt::format("busiest CPU {} {:.0f}%, busiest link {} {:.0f}%, mempool peak {} ({}), full blocks {:.0f}%",
                          m.cpu_busy_max_node.empty() ? "-" : m.cpu_busy_max_node, 100 * m.cpu_busy_max,
                          m.link_utilisation_max_name.empty() ? "-" : m.link_utilisation_max_name,
                          100 * m.link_utilisation_max, m.mempool_peak,
                          m.mempool_peak_node.empty() ? "-" : m.mempool_peak_node, 100 * m.blocks_full_fraction));
  metric_line(out, "evidence / slashing",
              fmt::format("{} evidence; slashed {} double-sign, {} downtime", m.evidence_committed,
                          m.slashes_double_sign, m.slashes_downtime));
  metric_line(out, "messages by type", "");
  print_messages(out, m);
  // Heights per wall second beside simulated seconds: the unit consensus-speed targets are set in.
  const double heights_per_wall_second =
      run.speed.wall_seconds > 0 ? static_cast<double>(m.final_height) / run.speed.wall_seconds : 0;
  metric_line(out, "harness speed", format_fixed(run.speed.sim_seconds_per_wall_second, 1) + " sim s per wall s, " +
                                        format_fixed(heights_per_wall_second, 1) + " heights per wall s, " +
                                        format_fixed(run.speed.events_per_second / 1e6, 2) + " M events/s, " +
                                        format_fixed(run.speed.wall_seconds, 2) + " s wall, peak " +
                                        format_bytes(run.speed.peak_rss_bytes));
}

}  // namespace

void print_summary(std::ostream& out, const sim::RunResult& run, bool color,
                   const std::vector<std::string>& artifact_paths) {
  Painter p(color);
  print_expectations(out, run, p);
  print_metrics(out, run, p);
  if (!artifact_paths.empty()) {
    out << p.bold("artifacts") << "\n";
    for (const auto& path : artifact_paths) out << "  " << path << "\n";
  }
  bool passed = run_passed(run);
  out << (passed ? p.green("PASS") : p.red("FAIL")) << " " << run.scenario_name << " seed " << run.seed
      << " exit " << run.exit_code << "\n";
  if (!passed) out << "reproduce: " << run.reproduce_command << "\n";
}

}  // namespace mt::reports

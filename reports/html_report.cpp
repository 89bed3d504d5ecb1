#include "reports/html_report.hpp"

#include <fmt/format.h>

#include "reports/report_charts.hpp"
#include "reports/timeline_swimlane.hpp"
#include "reports/run_facts.hpp"
#include "reports/text_format.hpp"

namespace mt::reports {
namespace {

const char* kStyle = R"css(
:root{--bg:#f6f7f9;--card:#fff;--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--pass:#15803d;--fail:#b91c1c;
--offered:#9aa5b1;--included:#2563eb;--finalized:#16a34a;--fault:rgba(220,38,38,.13)}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif}
main{max-width:1240px;margin:0 auto;padding:24px 20px 40px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.15rem;margin:28px 0 10px}
.sub{color:var(--muted);margin:0}
.badge{display:inline-block;padding:2px 10px;border-radius:999px;font-weight:700;font-size:.85rem;color:#fff;
vertical-align:middle;margin-right:8px}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-top:18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card .k{color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:1.35rem;font-weight:650;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:10px;
overflow:hidden;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f0f2f5;font-size:.85rem;color:var(--muted)}td.num{text-align:right}
tr.failed td{background:#fef2f2}.detail{color:var(--muted);font-size:.85rem;white-space:pre-wrap}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88rem}
pre{background:#111827;color:#f9fafb;padding:12px 14px;border-radius:8px;overflow-x:auto}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px}
figcaption{font-weight:600;margin-bottom:4px}
svg.chart{width:100%;height:auto;display:block}
.grid{stroke:var(--line);stroke-width:1}.axis{stroke:#9aa5b1;stroke-width:1}
.tick,.legend,.bar-label,.vline-label{font-size:11px;fill:var(--muted)}.axis-label{font-size:12px;fill:var(--ink)}
.note{font-size:14px;fill:var(--muted)}
polyline{fill:none;stroke-width:2;stroke-linejoin:round}
.line-offered{stroke:var(--offered);stroke-dasharray:5 4}.line-included{stroke:var(--included)}
.line-finalized{stroke:var(--finalized);stroke-width:2.5}.line-cdf{stroke:var(--included);stroke-width:2.5}
.legend-swatch.line-offered{fill:var(--offered)}.legend-swatch.line-included{fill:var(--included)}
.legend-swatch.line-finalized{fill:var(--finalized)}
.fault-window{fill:var(--fault)}.pline{stroke:#d97706;stroke-dasharray:4 3}
.bar-interval,.bar-bytes{fill:#6366f1}.bar-round{fill:#94a3b8}.bar-round-extra{fill:#f59e0b}
.line-node{stroke-width:1.6;opacity:.85}
.node-0{stroke:#2563eb;fill:#2563eb}.node-1{stroke:#dc2626;fill:#dc2626}.node-2{stroke:#16a34a;fill:#16a34a}
.node-3{stroke:#d97706;fill:#d97706}.node-4{stroke:#7c3aed;fill:#7c3aed}.node-5{stroke:#0891b2;fill:#0891b2}
.node-6{stroke:#db2777;fill:#db2777}.node-7{stroke:#4b5563;fill:#4b5563}
polyline.line-node{fill:none}
.consensus{display:grid;grid-template-columns:minmax(460px,3fr) minmax(220px,1fr);gap:16px}
.round-story{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px;font-size:.9rem}
.round-story h3{margin:0 0 6px;font-size:1rem}.rounds{padding-left:18px;margin:0}
.lane-propose{fill:#93c5fd}.lane-prevote{fill:#fcd34d}.lane-precommit{fill:#f97316}.lane-commit{fill:#86efac}
.lane-decision{fill:#111827}
footer{margin-top:32px;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding-top:12px}
footer dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}footer dt{font-weight:600}
@media (max-width:520px){.charts,.consensus{grid-template-columns:1fr}main{padding:14px 10px}}
)css";

// Runs as the page is parsed (end of <body>): getBBox forces layout, so the counts are final.
const char* kSelfCheck = R"js(
(function(){var charts=document.querySelectorAll('svg.chart'),drawn=[];
charts.forEach(function(svg){var box=svg.getBoundingClientRect(),ok=false;
svg.querySelectorAll('.mark').forEach(function(m){var b=m.getBBox();if(b.width>0||b.height>0)ok=true;});
if(ok&&box.width>0&&box.height>0)drawn.push(svg.id);});
document.body.setAttribute('data-charts-total',String(charts.length));
document.body.setAttribute('data-charts-drawn',String(drawn.length));
document.body.setAttribute('data-charts-drawn-ids',drawn.join(' '));})();
)js";

std::string e(const std::string& s) { return xml_escape(s); }

std::string card(const std::string& key, const std::string& value) {
  return "<div class=\"card\"><div class=\"k\">" + e(key) + "</div><div class=\"v\">" + e(value) + "</div></div>";
}

std::string header(const sim::RunResult& run) {
  bool passed = run_passed(run);
  const auto& m = run.metrics;
  std::string h = fmt::format(
      "<header><h1><span class=\"badge {}</span>{}</h1><p class=\"sub\">seed {} · exit code {} · {} validators · {} "
      "simulated · <code>{}</code></p><div class=\"cards\">",
      std::string(passed ? "pass\">PASS" : "fail\">FAIL"), e(run.scenario_name), run.seed, run.exit_code,
      run.validators, e(format_seconds_us(run.simulated_us)), e(run.scenario_file));
  h += card("Finalized TPS (steady)", format_fixed(m.tps_finalized_mean, 1));
  h += card("Offered / included", format_fixed(m.tps_offered_mean, 1) + " / " + format_fixed(m.tps_included_mean, 1));
  h += card("Finality p99", format_fixed(m.finality_latency_ms.p99, 0) + " ms");
  h += card("Final height", std::to_string(m.final_height));
  h += card("Longest stall", format_seconds_us(m.longest_stall_us));
  h += card("Expectations met",
            fmt::format("{} of {}", run.expectations.size() - failed_expectation_count(run), run.expectations.size()));
  return h + "</div></header>";
}

std::string expectations_section(const sim::RunResult& run) {
  std::string s = "<section id=\"expectations\"><h2>Expectations</h2><table><thead><tr><th>Result</th>"
                  "<th>Expectation</th><th>Window</th><th>Measured</th><th>Threshold</th><th>Where</th></tr></thead><tbody>";
  for (const auto& x : run.expectations) {
    s += std::string("<tr class=\"") + (x.passed ? "passed" : "failed") + "\"><td><span class=\"badge " +
         (x.passed ? "pass\">PASS" : "fail\">FAIL") + "</span></td><td><code>" + e(x.name) + "</code>";
    if (!x.passed && !x.detail.empty()) s += "<div class=\"detail\">" + e(x.detail) + "</div>";
    s += "</td><td>" + e(x.window) + "</td><td>" + e(x.measured) + "</td><td>" + e(x.threshold) + "</td><td><code>" +
         e(fmt::format("{}:{}", x.source_file, x.source_line)) + "</code></td></tr>";
  }
  s += "</tbody></table>";
  if (!run_passed(run)) s += "<h2>Reproduce</h2><pre><code>" + e(run.reproduce_command) + "</code></pre>";
  return s + "</section>";
}

std::string figure(const std::string& caption, const std::string& svg, const std::string& extra = "") {
  return "<figure><figcaption>" + e(caption) + "</figcaption>" + svg + extra + "</figure>";
}

std::string percentile_table(const sim::RunMetrics& m) {
  auto row = [](const std::string& name, const sim::Percentiles& q, int d) {
    return fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        name, format_fixed(q.p50, d), format_fixed(q.p90, d), format_fixed(q.p99, d), format_fixed(q.max, d),
        format_fixed(q.mean, d), q.count);
  };
  return "<table id=\"percentiles\"><thead><tr><th>Metric</th><th>p50</th><th>p90</th><th>p99</th><th>max</th>"
         "<th>mean</th><th>count</th></tr></thead><tbody>" +
         row("finality latency (ms)", m.finality_latency_ms, 0) + row("block interval (ms)", m.block_interval_ms, 0) +
         row("rounds per height", m.rounds_per_height, 2) + "</tbody></table>";
}

std::string charts_section(const sim::RunResult& run) {
  return "<section id=\"charts\"><h2>Charts</h2><div class=\"charts\">" +
         figure("Throughput: offered, included and finalized tx/s (fault windows shaded)", tps_chart(run)) +
         figure("Finality latency CDF", finality_cdf_chart(run)) +
         figure("Block interval histogram", block_interval_chart(run)) +
         figure("Height per node over time", node_heights_chart(run)) +
         figure("Rounds per height", rounds_chart(run)) +
         figure("Bytes per message type", message_bytes_chart(run)) + "</div><h2>Percentiles</h2>" +
         percentile_table(run.metrics) + "</section>";
}

// The swimlane around the worst stall with its round summary; empty without consensus tracks.
std::string consensus_section(const sim::RunResult& run) {
  if (run.consensus == nullptr) return "";
  return "<section id=\"consensus\"><h2>Consensus</h2><div class=\"consensus\">" +
         figure("Consensus steps per node around the slowest height (timeline.json has every height)",
                swimlane_svg(*run.consensus)) +
         "<div class=\"round-story\"><h3>Rounds of the slowest height</h3>" + stall_round_summary(*run.consensus) +
         "</div></div></section>";
}

std::string tables_section(const sim::RunResult& run) {
  const auto& m = run.metrics;
  std::string s = "<section id=\"details\"><h2>Messages</h2><table><thead><tr><th>Type</th><th>Sent</th>"
                  "<th>Delivered</th><th>Dropped</th><th>Duplicated</th><th>Bytes</th></tr></thead><tbody>";
  for (const auto& [kind, x] : m.messages_by_kind) {
    s += fmt::format(
        "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        e(kind), x.sent, x.delivered, x.dropped, x.duplicated, e(format_bytes(x.bytes)));
  }
  s += "</tbody></table><h2>Faults</h2><table><thead><tr><th>Id</th><th>Kind</th><th>Targets</th><th>Start</th>"
       "<th>End</th></tr></thead><tbody>";
  for (const auto& f : run.faults) {
    s += "<tr><td>" + e(f.id) + "</td><td>" + e(f.kind) + "</td><td>" + e(f.targets) + "</td><td>" +
         e(format_seconds_us(f.start_us)) + "</td><td>" + (f.end_us < 0 ? "open at end" : e(format_seconds_us(f.end_us))) +
         "</td></tr>";
  }
  if (run.faults.empty()) s += "<tr><td colspan=\"5\">none</td></tr>";
  s += "</tbody></table><h2>Chain and harness</h2><div class=\"cards\">";
  s += card("Transactions finalized", fmt::format("{} of {}", m.txs_finalized, m.txs_submitted));
  s += card("Pending / rejected", fmt::format("{} / {}", m.txs_pending_at_end, m.txs_rejected));
  s += card("Evidence committed", std::to_string(m.evidence_committed));
  s += card("Slashed (double-sign / downtime)", fmt::format("{} / {}", m.slashes_double_sign, m.slashes_downtime));
  s += card("Sim seconds per wall second", format_fixed(run.speed.sim_seconds_per_wall_second, 1));
  s += card("Events per second", format_fixed(run.speed.events_per_second / 1e6, 2) + " M");
  s += card("Peak memory", format_bytes(run.speed.peak_rss_bytes));
  return s + "</div></section>";
}

std::string footer(const sim::RunResult& run) {
  const auto& p = run.provenance;
  const std::pair<const char*, std::string> items[] = {
      {"seed", fmt::format("{}", run.seed)},
      {"scenario", run.scenario_file},
      {"scenario hash", run.scenario_hash},
      {"run digest", run.digest},
      {"mtsim", fmt::format("{} ({}, {})", p.mtsim_version, p.git_commit, p.build_type)},
      {"host", p.host},
      {"started (UTC)", p.started_at_utc},
      {"wall time", format_fixed(run.speed.wall_seconds, 2) + " s"},
      {"command", p.command_line},
      {"reproduce", run.reproduce_command},
  };
  std::string dl;
  for (const auto& [k, v] : items) dl += fmt::format("<dt>{}</dt><dd><code>{}</code></dd>", e(k), e(v));
  return fmt::format("<footer><dl>{}</dl></footer>", dl);
}

}  // namespace

std::string html_report(const sim::RunResult& run) {
  std::string page = fmt::format("{}{} seed {} ({})</title><style>{}</style></head>\n<body>",
                                 "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                                 "<title>mtsim: ",
                                 e(run.scenario_name), run.seed, (run_passed(run) ? "PASS" : "FAIL"), kStyle);
  page += "<main>" + header(run) + expectations_section(run) + charts_section(run) + consensus_section(run) +
          tables_section(run) +
          footer(run) + "</main>";
  page += "<script>" + std::string(kSelfCheck) + "</script></body></html>\n";
  return page;
}

}  // namespace mt::reports

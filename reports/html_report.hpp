// report.html: one self-contained page (inline CSS and SVG, no network): verdict, expectations
// with PASS/FAIL, key numbers, six charts (report_charts.hpp), percentile, message and fault
// tables, and a provenance footer. A short inline script, run as the page loads, writes onto
// <body> how many charts hold a visibly drawn mark (data-charts-drawn / data-charts-total /
// data-charts-drawn-ids), so a headless browser's --dump-dom shows whether the charts rendered
// (scripts/check-html-render).
#pragma once

#include <string>

#include "sim/run/run_result.hpp"

namespace mt::reports {

std::string html_report(const sim::RunResult& run);

}  // namespace mt::reports

// summary.md: a Markdown summary for CI pages (GitHub's $GITHUB_STEP_SUMMARY and the like):
// the verdict, a PASS/FAIL table of expectations, key metrics, and the reproduce command.
#pragma once

#include <string>
#include <string_view>

#include "sim/run/run_result.hpp"

namespace mt::reports {

std::string markdown_summary(const sim::RunResult& run);

// Makes text safe inside one Markdown table cell: pipes escaped, newlines as <br>, and HTML
// special characters as entities (GitHub renders inline HTML).
std::string markdown_cell(std::string_view text);

}  // namespace mt::reports

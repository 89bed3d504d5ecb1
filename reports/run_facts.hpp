// Facts derived from a RunResult that several writers show the same way: the verdict, the
// failed expectations, block intervals. Kept in one place so the console, Markdown, HTML and
// JUnit never disagree on what "failed" means.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/run/run_result.hpp"

namespace mt::reports {

// A run passes when its exit code is 0 and every expectation passed.
bool run_passed(const sim::RunResult& run);

// "pass" or "fail", the word stored in report.json and results.sqlite.
std::string verdict_word(const sim::RunResult& run);

std::size_t failed_expectation_count(const sim::RunResult& run);

// Milliseconds between consecutive finalized blocks' first commits, in height order.
std::vector<double> block_intervals_ms(const sim::RunResult& run);

// "safety", "liveness" or "other" for DESIGN.md §6 exit classes 1, 2 and the rest.
std::string exit_class_word(int exit_class);

// Identifies a run across databases: scenario hash, seed and run digest. Two runs with the same
// key replayed the same events, so storing one of them is enough.
std::string run_key(const sim::RunResult& run);

}  // namespace mt::reports

// Process exit codes (DESIGN.md §6). All below 126, so `git bisect run` works.
#pragma once

namespace mt::cli {

constexpr int kExitOk = 0;
constexpr int kExitSafety = 1;
constexpr int kExitLiveness = 2;
constexpr int kExitNondeterminism = 3;
constexpr int kExitWallBudget = 4;
constexpr int kExitUsage = 64;        // bad command line
constexpr int kExitBadScenario = 65;  // bad scenario
constexpr int kExitInternal = 70;
constexpr int kExitInterrupted = 130;

}  // namespace mt::cli

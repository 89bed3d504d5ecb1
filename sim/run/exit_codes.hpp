// Process exit codes (DESIGN.md §6): the one declaration, shared by sim/, cli/ and testnet/. All
// below 126, so `git bisect run` works. An expectation's exit class is one of the first two.
#pragma once

namespace mt {

constexpr int kExitOk = 0;
constexpr int kExitSafety = 1;           // a safety invariant was violated
constexpr int kExitLiveness = 2;         // a liveness or performance expectation was missed
constexpr int kExitNondeterminism = 3;   // two runs of one seed parted
constexpr int kExitWallBudget = 4;       // wall-clock budget exceeded
constexpr int kExitUsage = 64;           // bad command line
constexpr int kExitBadScenario = 65;     // bad scenario
constexpr int kExitInternal = 70;        // internal error
constexpr int kExitInterrupted = 130;    // SIGINT

}  // namespace mt

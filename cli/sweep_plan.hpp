// What a sweep runs: the (scenario file, seed) list from `--seeds` and `--shard`, and which exit
// code of several counts as the worst. Pure functions, so the sharding rule has one definition.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/util/result.hpp"

namespace mt::cli {

// Upper bound on the runs one sweep may plan, so a typo such as 1..1e12 is an error, not a hang.
inline constexpr std::size_t kMaxSweepRuns = 1'000'000;

struct SweepItem {
  std::size_t file_index = 0;  // into the sweep's file list
  std::uint64_t seed = 0;
};

struct Shard {
  std::uint64_t index = 1;  // 1-based: 1..count
  std::uint64_t count = 1;
};

// "1..200", "7", or a comma list of both ("1..10,42"); ranges inclusive, ascending, no repeats.
Result<std::vector<std::uint64_t>> parse_seed_list(const std::string& text);

// "i/n" with 1 <= i <= n.
Result<Shard> parse_shard(const std::string& text);

// Every (file, seed) pair, file-major, then the shard's interleaved slice: item k (0-based)
// belongs to shard (k mod n) + 1, so shards get near-equal shares of every file.
std::vector<SweepItem> plan_sweep(std::size_t file_count, const std::vector<std::uint64_t>& seeds, Shard shard);

// Severity of an exit code for "the worst over seeds": 0 < 4 wall budget < 2 liveness <
// 3 nondeterminism < 1 safety < 130 interrupted < 64/65 usage/scenario < 70 internal.
int exit_severity(int exit_code);
int worse_exit(int a, int b);

}  // namespace mt::cli

// A transaction size mix (`load[].size`, docs/scenario-reference.md): the encoded sizes a load
// segment's transactions take, each with an integer weight. The generator draws one size per
// transaction from the load's seeded stream and pads the transaction with a memo up to it, so
// bigger transactions cost what they cost on a real chain: link bytes, block bytes, mempool bytes
// and per-KiB hashing (CpuCosts::hash_per_kib_us).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mt::sim {

struct SizeShare {
  std::uint32_t bytes = 0;   // target encoded transaction size
  std::uint32_t weight = 1;  // relative share of transactions at this size
  bool operator==(const SizeShare&) const = default;
};
// Empty: no padding (transactions keep their natural size, and no draw is taken).
using SizeMix = std::vector<SizeShare>;

// Limits the scenario reader enforces, so the draws below never overflow.
inline constexpr std::size_t kMaxSizeMixEntries = 64;
inline constexpr std::uint32_t kMaxSizeMixWeight = 1'000'000;

[[nodiscard]] std::uint64_t total_weight(const SizeMix& mix);
// The size whose cumulative weight band holds `draw`. Precondition: draw < total_weight(mix).
[[nodiscard]] std::uint32_t pick_size(const SizeMix& mix, std::uint64_t draw);
// Memo bytes that bring a memo-less transaction of `base_bytes` to `target_bytes` (the memo's own
// 4 length bytes included). 0 when the transaction already reaches the target or would overshoot
// it by the length bytes alone: a size is a floor target, never a truncation.
[[nodiscard]] std::size_t memo_bytes_for(std::size_t base_bytes, std::uint32_t target_bytes);

}  // namespace mt::sim

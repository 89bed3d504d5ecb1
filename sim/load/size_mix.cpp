#include "sim/load/size_mix.hpp"

#include "core/chain/transaction.hpp"
#include "core/util/assert.hpp"

namespace mt::sim {

std::uint64_t total_weight(const SizeMix& mix) {
  std::uint64_t total = 0;
  for (const auto& s : mix) total += s.weight;
  return total;
}

std::uint32_t pick_size(const SizeMix& mix, std::uint64_t draw) {
  MT_ASSERT(draw < total_weight(mix), "pick_size: draw beyond the mix's total weight");
  for (const auto& s : mix) {
    if (draw < s.weight) return s.bytes;
    draw -= s.weight;
  }
  return mix.back().bytes;
}

std::size_t memo_bytes_for(std::size_t base_bytes, std::uint32_t target_bytes) {
  const std::size_t overhead = memo_wire_bytes(0);
  if (target_bytes <= base_bytes + overhead) return 0;
  return target_bytes - base_bytes - overhead;
}

}  // namespace mt::sim

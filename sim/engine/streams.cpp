#include "sim/engine/streams.hpp"

#include <xxhash.h>

namespace mt::sim {

std::uint64_t Streams::seed_of(std::string_view purpose, std::uint64_t index) const {
  const std::uint64_t purpose_hash = XXH3_64bits_withSeed(purpose.data(), purpose.size(), root_seed_);
  // Two mixing rounds so nearby indices (node 1, node 2) land far apart.
  return mix64(purpose_hash ^ mix64(index + 0x9e3779b97f4a7c15ULL));
}

}  // namespace mt::sim

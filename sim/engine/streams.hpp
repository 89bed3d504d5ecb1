// Independent random streams derived from one root seed (DESIGN.md §4): a stream is named by
// (purpose, index), e.g. ("node", 7), ("link", from << 32 | to), ("load", 0), ("nemesis", 0).
// A stream's numbers depend only on the root seed and its own name, so adding a validator or a
// link does not reshuffle anybody else's draws.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/engine/random.hpp"

namespace mt::sim {

class Streams {
 public:
  explicit Streams(std::uint64_t root_seed) : root_seed_(root_seed) {}

  [[nodiscard]] std::uint64_t root_seed() const { return root_seed_; }
  // The 64-bit seed of stream (purpose, index): XXH3-64 of the purpose keyed by the root seed,
  // combined with the index through splitmix64. Stable across platforms and builds.
  [[nodiscard]] std::uint64_t seed_of(std::string_view purpose, std::uint64_t index = 0) const;
  // A fresh generator for (purpose, index). Two calls with the same name give the same numbers.
  [[nodiscard]] Rng stream(std::string_view purpose, std::uint64_t index = 0) const {
    return Rng(seed_of(purpose, index));
  }

 private:
  std::uint64_t root_seed_;
};

}  // namespace mt::sim

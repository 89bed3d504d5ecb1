// Virtual CPU a node charges (Context::charge_cpu) for the work it does, in one place. Calibrated
// from bench numbers on the reference machine (Release build); a real runtime ignores charges.
// Charges depend only on what this node itself did, never on a process-wide cache's hit or
// miss, so sharing caches between simulated nodes cannot change an outcome.
#pragma once

#include "core/util/time.hpp"

namespace mt::cpu_cost {

inline constexpr TimeUs kVerifyUs = 50;        // one Ed25519 verification (bench: ~50 us)
inline constexpr TimeUs kVerifyKnownUs = 1;    // a signature this node already verified (its own lookup)
inline constexpr TimeUs kSignUs = 25;          // one Ed25519 signature (about half a verification)
inline constexpr TimeUs kExecuteTxUs = 5;      // state transition of one transfer (bench: ~5 us)
inline constexpr TimeUs kBlockOverheadUs = 50; // per block: Merkle root updates, header checks
inline constexpr TimeUs kHashPerKiBUs = 2;     // BLAKE2b over message bytes (~500 MB/s)
inline constexpr TimeUs kStoreBlockUs = 100;   // one storage transaction for a block and its commit

// Hashing `bytes` bytes, rounded up to whole KiB.
constexpr TimeUs hash_cost(std::size_t bytes) {
  return kHashPerKiBUs * static_cast<TimeUs>((bytes + 1023) / 1024);
}

}  // namespace mt::cpu_cost

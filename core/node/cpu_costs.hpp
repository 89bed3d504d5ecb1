// Virtual CPU a node charges (Context::charge_cpu) for the work it does, in one place. The
// defaults were calibrated from bench numbers on the reference machine (Release build); a
// scenario may set every value (`costs:`, docs/cost-model.md) and `mtsim calibrate` measures
// this machine's. A real runtime ignores charges.
// Charges depend only on what this node itself did, never on a process-wide cache's hit or
// miss, so sharing caches between simulated nodes cannot change an outcome.
#pragma once

#include <cstddef>

#include "core/util/time.hpp"

namespace mt {

struct CpuCosts {
  TimeUs verify_us = 50;          // one Ed25519 verification (bench: ~50 us)
  TimeUs verify_known_us = 1;     // a signature this node already verified (its own lookup)
  TimeUs sign_us = 25;            // one Ed25519 signature (about half a verification)
  TimeUs execute_tx_us = 5;       // state transition of one transfer (bench: ~5 us)
  TimeUs block_overhead_us = 50;  // per block: Merkle root updates, header checks
  TimeUs hash_per_kib_us = 2;     // BLAKE2b over message bytes (~500 MB/s)
  TimeUs store_block_us = 100;    // one storage transaction for a block and its commit
  // Transport work per message, on the real runtime's code (testnet/transport.hpp over loopback
  // TCP: framing, the socket write or the wakeup and read). Charged per copy: a gossip to 7
  // peers pays send_message 7 times; every copy received, duplicates included, pays
  // receive_message. Measured by `mtsim calibrate` (thread CPU time, this machine).
  TimeUs send_message_us = 3;     // queueing one frame to one peer and writing it to the socket
  TimeUs receive_message_us = 4;  // waking for one frame, reading and unframing it

  // Hashing `bytes` bytes, rounded up to whole KiB.
  [[nodiscard]] constexpr TimeUs hash_cost(std::size_t bytes) const {
    return hash_per_kib_us * static_cast<TimeUs>((bytes + 1023) / 1024);
  }
  friend bool operator==(const CpuCosts&, const CpuCosts&) = default;
};

}  // namespace mt

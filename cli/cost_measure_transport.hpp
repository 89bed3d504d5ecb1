// Per-message transport costs (CpuCosts::send_message_us, receive_message_us) measured on the
// testnet's own code: two testnet::Transport endpoints (testnet/transport.hpp) over loopback TCP,
// each on its own thread and io_context, one signed-transfer frame at a time (the next once the
// last was read, as gossip trickles in at the rates a chain carries: every frame is one write
// and one wakeup and read, never a batch). The cost is each thread's CPU time (user + kernel,
// CLOCK_THREAD_CPUTIME_ID) per frame, so other processes on a shared host do not inflate it:
//   send_message     queueing, framing and the socket write (with the kernel's loopback delivery)
//   receive_message  the reactor's wakeup, the read and the unframing
// Each side also pays one thread hand-off per frame (a condition variable), about what a real
// node pays for the epoll wakeup that runs its next handler.
//
//   auto ops = measure_transport(std::chrono::milliseconds(300));  // {send_message, receive_message}
#pragma once

#include <chrono>
#include <vector>

#include "cli/cost_measure.hpp"
#include "core/util/result.hpp"

namespace mt::cli {

// The two ops, or why loopback TCP could not be set up (no network namespace, ...).
Result<std::vector<MeasuredOp>> measure_transport(std::chrono::milliseconds budget);

}  // namespace mt::cli

// Why a pending transaction left a mempool without being committed itself. The mempool reports
// each such drop to its observer (Mempool::set_drop_observer), and the node turns it into a
// TxDropped event: a client whose transaction was acknowledged learns where it went.
#pragma once

#include <cstdint>
#include <string_view>

namespace mt {

enum class DropReason : std::uint8_t {
  replaced,     // the same (sender, nonce) was admitted again at a strictly higher fee
  evicted,      // the pool was full and a newcomer paying strictly more took its place
  nonce_used,   // a committed tx of its sender used its nonce (a different tx at that nonce, or a later one)
  stale_nonce,  // after a block or a sync, its nonce is below its account's: it can never apply
};

inline std::string_view drop_reason_name(DropReason r) {
  switch (r) {
    case DropReason::replaced: return "replaced";
    case DropReason::evicted: return "evicted";
    case DropReason::nonce_used: return "nonce_used";
    case DropReason::stale_nonce: return "stale_nonce";
  }
  return "unknown";
}

}  // namespace mt

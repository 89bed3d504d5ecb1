// Free TCP ports on 127.0.0.1 for a testnet's nodes: bind port 0 `count` times (all sockets held
// open together, so the kernel hands out distinct ports), read the ports back, close. A port can
// in principle be taken by someone else before the node binds it; nodes then fail to listen and
// the harness reports it. Parallel testnets on one host do not collide (the kernel picks).
#pragma once

#include <cstdint>
#include <vector>

#include "core/util/result.hpp"

namespace mt::testnet {

Result<std::vector<std::uint16_t>> pick_free_ports(std::size_t count);

}  // namespace mt::testnet

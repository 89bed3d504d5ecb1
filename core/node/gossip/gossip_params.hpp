// How a node relays gossiped messages (NodeConfig::gossip; scenario `network.gossip`).
#pragma once

#include <cstdint>

#include "core/util/time.hpp"

namespace mt {

enum class GossipMode : std::uint8_t {
  flood = 0,      // every accepted message to every peer but its sender (the old behaviour, bit for bit)
  gossipsub = 1,  // a mesh of d peers per topic, IHAVE / IWANT for the others (router.hpp)
};

struct GossipParams {
  GossipMode mode = GossipMode::flood;
  std::uint32_t d = 8;     // mesh degree the heartbeat aims for
  std::uint32_t d_lo = 6;  // below this the heartbeat GRAFTs peers back up to d
  std::uint32_t d_hi = 12; // above this it PRUNEs down to d
  std::uint32_t d_lazy = 6;  // non-mesh peers an IHAVE goes to per topic per heartbeat
  TimeUs heartbeat = sec(1);
  std::uint32_t history = 5;         // heartbeats a message stays in the message cache (IWANT-able)
  // Of those, the newest ones IHAVE advertises (<= history). gossipsub's default is 3; 1
  // advertises each message once (IHAVEs go out every heartbeat anyway) and is a third of the
  // id lookups, which on a 200-validator full mesh were the largest cost of the router.
  std::uint32_t gossip_windows = 1;
  std::uint64_t seed = 0;            // the node's seeded stream for every random choice
  bool operator==(const GossipParams&) const = default;
};

}  // namespace mt

// A gossipsub v1.1-style router (sans-I/O): which peers get which gossiped message. The node
// asks it and does the sending; the router only keeps state and says what to send.
//
//   topics        the gossiped kinds: tx, proposal, vote, evidence (topic = MsgKind - 1). Every
//                 node subscribes to all of them, so there is no fanout set: a node never
//                 publishes to a topic it does not belong to.
//   mesh          per topic, a set of peers a node pushes every accepted message to (eager
//                 push). Kept between d_lo and d_hi on each heartbeat: too few -> GRAFT random
//                 non-mesh peers up to d; too many -> PRUNE random ones down to d. A GRAFT from a
//                 peer adds it (or is answered with PRUNE when the mesh is at d_hi); a PRUNE
//                 removes it. So meshes are symmetric, as in gossipsub.
//   mcache        what the node accepted in the last `history` heartbeats (message_cache.hpp).
//   lazy pull     on each heartbeat, per topic, an IHAVE with the ids of the newest
//                 `gossip_windows` windows goes to up to d_lazy random non-mesh peers; a peer
//                 answers with IWANT for the ids it has not seen and gets those messages from the
//                 mcache. This is what heals loss and partitions the mesh alone would not.
//   seen cache    the node's SeenSet (seen_set.hpp): bounded, forgets oldest first; its
//                 capacity plays the part of gossipsub's seen TTL.
// Every random choice draws from the node's seeded stream (GossipParams::seed).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/node/gossip/gossip_params.hpp"
#include "core/node/gossip/message_cache.hpp"
#include "core/node/message_codec.hpp"

namespace mt {

class GossipRouter {
 public:
  // What the router wants sent: a control message or a cached message, to one peer.
  struct Action {
    PeerId to;
    std::optional<GossipControl> control;  // else `wire`
    WirePtr wire;
  };

  explicit GossipRouter(const GossipParams& params);

  // The topic of a gossiped kind; nullopt for the point-to-point ones.
  [[nodiscard]] static std::optional<std::uint8_t> topic_of(MsgKind kind);

  // An accepted (or own) message: into the mcache.
  void remember(const Hash32& id, std::uint8_t topic, WirePtr wire) { mcache_.put(id, topic, std::move(wire)); }
  // The mesh peers of `topic` but `except`, into `out` (cleared first).
  void mesh_targets(std::uint8_t topic, std::optional<PeerId> except, std::vector<PeerId>& out) const;
  [[nodiscard]] bool in_mesh(std::uint8_t topic, PeerId peer) const;
  [[nodiscard]] std::span<const PeerId> mesh(std::uint8_t topic) const { return mesh_.at(topic); }

  // Mesh upkeep and IHAVEs over the node's current `peers`, then the mcache shifts.
  void heartbeat(std::span<const PeerId> peers, std::vector<Action>& out);
  // A control message from `from`; `seen(id)` says whether the node already has a message.
  template <class Seen>
  void on_control(PeerId from, const GossipControl& c, std::span<const PeerId> peers, Seen&& seen,
                  std::vector<Action>& out);

 private:
  void on_graft(PeerId from, std::uint8_t topic, std::span<const PeerId> peers, std::vector<Action>& out);
  void on_iwant(PeerId from, const GossipControl& c, std::vector<Action>& out) const;
  void maintain_mesh(std::uint8_t topic, std::span<const PeerId> peers, std::vector<Action>& out);
  void send_ihave(std::uint8_t topic, std::span<const PeerId> peers, std::vector<Action>& out);
  // Peers of `peers` not in `topic`'s mesh, shuffled by the seeded stream.
  std::vector<PeerId> shuffled_non_mesh(std::uint8_t topic, std::span<const PeerId> peers);
  void shuffle(std::vector<PeerId>& v);
  std::uint64_t next_random();
  static GossipControl control(GossipControl::Type type, std::uint8_t topic);

  GossipParams params_;
  std::uint64_t rng_;
  std::array<std::vector<PeerId>, kGossipTopics> mesh_;  // each sorted ascending
  MessageCache mcache_;
  std::vector<Hash32> ids_scratch_;
};

template <class Seen>
void GossipRouter::on_control(PeerId from, const GossipControl& c, std::span<const PeerId> peers, Seen&& seen,
                              std::vector<Action>& out) {
  switch (c.type) {
    case GossipControl::Type::graft: on_graft(from, c.topic, peers, out); return;
    case GossipControl::Type::prune: {
      auto& m = mesh_[c.topic];
      std::erase(m, from);
      return;
    }
    case GossipControl::Type::ihave: {
      GossipControl want = control(GossipControl::Type::iwant, c.topic);
      for (const Hash32& id : c.ids) {
        if (!seen(id)) want.ids.push_back(id);
      }
      if (!want.ids.empty()) out.push_back(Action{from, std::move(want), nullptr});
      return;
    }
    case GossipControl::Type::iwant: on_iwant(from, c, out); return;
  }
}

}  // namespace mt

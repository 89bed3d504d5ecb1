#include "core/node/gossip/router.hpp"

#include <algorithm>

namespace mt {

GossipRouter::GossipRouter(const GossipParams& params)
    : params_(params), rng_(params.seed ^ 0x9e3779b97f4a7c15ULL), mcache_(params.history) {
  MT_ASSERT(params.d_lo >= 1 && params.d_lo <= params.d && params.d <= params.d_hi, "gossip mesh bounds out of order");
  MT_ASSERT(params.gossip_windows >= 1 && params.gossip_windows <= params.history, "gossip windows out of range");
}

std::optional<std::uint8_t> GossipRouter::topic_of(MsgKind kind) {
  if (!is_gossiped(kind)) return std::nullopt;
  return static_cast<std::uint8_t>(static_cast<std::uint8_t>(kind) - 1);
}

void GossipRouter::mesh_targets(std::uint8_t topic, std::optional<PeerId> except, std::vector<PeerId>& out) const {
  out.clear();
  for (const PeerId p : mesh_.at(topic)) {
    if (!except.has_value() || *except != p) out.push_back(p);
  }
}

bool GossipRouter::in_mesh(std::uint8_t topic, PeerId peer) const {
  const auto& m = mesh_.at(topic);
  return std::binary_search(m.begin(), m.end(), peer);
}

void GossipRouter::heartbeat(std::span<const PeerId> peers, std::vector<Action>& out) {
  for (std::uint8_t t = 0; t < kGossipTopics; ++t) {
    maintain_mesh(t, peers, out);
    send_ihave(t, peers, out);
  }
  mcache_.shift();
}

void GossipRouter::maintain_mesh(std::uint8_t topic, std::span<const PeerId> peers, std::vector<Action>& out) {
  auto& m = mesh_[topic];
  // A peer that is gone (the peer list changed) leaves the mesh.
  std::erase_if(m, [&](PeerId p) { return std::find(peers.begin(), peers.end(), p) == peers.end(); });
  if (m.size() < params_.d_lo) {
    for (const PeerId p : shuffled_non_mesh(topic, peers)) {
      if (m.size() >= params_.d) break;
      m.push_back(p);
      out.push_back(Action{p, control(GossipControl::Type::graft, topic), nullptr});
    }
  } else if (m.size() > params_.d_hi) {
    shuffle(m);
    for (std::size_t i = params_.d; i < m.size(); ++i) {
      out.push_back(Action{m[i], control(GossipControl::Type::prune, topic), nullptr});
    }
    m.resize(params_.d);
  }
  std::sort(m.begin(), m.end());
}

void GossipRouter::send_ihave(std::uint8_t topic, std::span<const PeerId> peers, std::vector<Action>& out) {
  mcache_.ids(topic, params_.gossip_windows, kMaxControlIds, ids_scratch_);
  if (ids_scratch_.empty()) return;
  std::uint32_t sent = 0;
  for (const PeerId p : shuffled_non_mesh(topic, peers)) {
    if (sent++ == params_.d_lazy) break;
    GossipControl c = control(GossipControl::Type::ihave, topic);
    c.ids = ids_scratch_;
    out.push_back(Action{p, std::move(c), nullptr});
  }
}

void GossipRouter::on_graft(PeerId from, std::uint8_t topic, std::span<const PeerId> peers, std::vector<Action>& out) {
  auto& m = mesh_[topic];
  if (in_mesh(topic, from)) return;
  const bool known = std::find(peers.begin(), peers.end(), from) != peers.end();
  if (!known || m.size() >= params_.d_hi) {
    out.push_back(Action{from, control(GossipControl::Type::prune, topic), nullptr});
    return;
  }
  m.insert(std::upper_bound(m.begin(), m.end(), from), from);
}

void GossipRouter::on_iwant(PeerId from, const GossipControl& c, std::vector<Action>& out) const {
  for (const Hash32& id : c.ids) {
    if (WirePtr w = mcache_.get(id); w != nullptr) out.push_back(Action{from, std::nullopt, std::move(w)});
  }
}

std::vector<PeerId> GossipRouter::shuffled_non_mesh(std::uint8_t topic, std::span<const PeerId> peers) {
  std::vector<PeerId> v;
  v.reserve(peers.size());
  for (const PeerId p : peers) {
    if (!in_mesh(topic, p)) v.push_back(p);
  }
  shuffle(v);
  return v;
}

void GossipRouter::shuffle(std::vector<PeerId>& v) {
  // Fisher-Yates over the seeded stream (the modulo bias is far below anything observable here).
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(next_random() % i);
    std::swap(v[i - 1], v[j]);
  }
}

std::uint64_t GossipRouter::next_random() {
  // splitmix64
  std::uint64_t z = (rng_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

GossipControl GossipRouter::control(GossipControl::Type type, std::uint8_t topic) {
  GossipControl c;
  c.type = type;
  c.topic = topic;
  return c;
}

}  // namespace mt

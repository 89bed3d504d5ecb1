// Who is directly connected to whom: an undirected graph over node ids 0..n-1 with sorted
// neighbour lists. Built from generators fed by our seeded streams (Boost.Graph's small-world
// generator through an adapter), checked for connectivity: a scenario whose graph is
// disconnected is an error value, not a run that silently never converges.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/node/wire.hpp"
#include "core/util/result.hpp"
#include "sim/engine/random.hpp"

namespace mt::sim {

class Topology {
 public:
  static constexpr std::size_t kMaxNodes = 100'000;
  static constexpr int kMaxAttempts = 100;  // generator retries before giving up with an error

  // Every node linked to every other.
  static Result<Topology> full_mesh(std::size_t n);
  // Every node has exactly `degree` distinct neighbours (configuration / pairing model, retried
  // until simple and connected). Needs degree < n and n * degree even.
  static Result<Topology> random_regular(std::size_t n, std::size_t degree, Rng& rng);
  // Watts–Strogatz via boost::small_world_iterator: ring lattice with k neighbours (k even),
  // each edge rewired with probability p; duplicate edges are merged. Retried until connected.
  static Result<Topology> small_world(std::size_t n, std::size_t k, double p, Rng& rng);
  // From an explicit edge list (self-loops rejected, duplicates merged); must be connected.
  static Result<Topology> from_edges(std::size_t n, const std::vector<std::pair<PeerId, PeerId>>& edges);

  [[nodiscard]] std::size_t size() const { return adjacency_.size(); }
  [[nodiscard]] std::span<const PeerId> neighbours(PeerId node) const { return adjacency_.at(node); }
  [[nodiscard]] bool linked(PeerId a, PeerId b) const;
  [[nodiscard]] std::size_t edge_count() const { return edge_count_; }
  [[nodiscard]] bool connected() const;
  // Longest shortest path in hops (BFS from every node: O(n * (n + m))); -1 if disconnected.
  [[nodiscard]] int diameter() const;

 private:
  static Topology build(std::size_t n, std::vector<std::pair<PeerId, PeerId>> edges);
  std::vector<int> bfs_hops(PeerId source) const;

  std::vector<std::vector<PeerId>> adjacency_;
  std::size_t edge_count_ = 0;
};

}  // namespace mt::sim

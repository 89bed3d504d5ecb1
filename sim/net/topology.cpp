#include "sim/net/topology.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/small_world_generator.hpp>
#include <limits>
#include <string>
#include <fmt/format.h>

namespace mt::sim {

namespace {
// Lets Boost.Graph's generators draw from our Rng (a UniformRandomNumberGenerator). Copies
// share the underlying stream, which is what small_world_iterator's copy-back expects.
struct BoostRngAdapter {
  using result_type = std::uint64_t;
  Rng* rng;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() { return rng->next_u64(); }
};

Error too_big(std::size_t n) {
  return make_error(fmt::format("topology: {} nodes is above the limit of {}", n, Topology::kMaxNodes));
}
}  // namespace

Topology Topology::build(std::size_t n, std::vector<std::pair<PeerId, PeerId>> edges) {
  Topology t;
  t.adjacency_.resize(n);
  for (auto [a, b] : edges) {
    MT_ASSERT(a != b && a < n && b < n, "topology edge out of range or self-loop");
    t.adjacency_[a].push_back(b);
    t.adjacency_[b].push_back(a);
  }
  for (auto& list : t.adjacency_) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    t.edge_count_ += list.size();
  }
  t.edge_count_ /= 2;
  return t;
}

Result<Topology> Topology::full_mesh(std::size_t n) {
  if (n == 0) return make_error("topology: need at least one node");
  if (n > 5000) return make_error("topology: full_mesh above 5000 nodes is too many links; use random_regular");
  std::vector<std::pair<PeerId, PeerId>> edges;
  edges.reserve(n * (n - 1) / 2);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) edges.emplace_back(static_cast<PeerId>(a), static_cast<PeerId>(b));
  }
  return build(n, std::move(edges));
}

Result<Topology> Topology::random_regular(std::size_t n, std::size_t degree, Rng& rng) {
  if (n > kMaxNodes) return too_big(n);
  if (degree == 0 || degree >= n) return make_error("random_regular: degree must be in [1, nodes - 1]");
  if ((n * degree) % 2 != 0) return make_error("random_regular: nodes * degree must be even");
  std::vector<PeerId> stubs;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    stubs.clear();
    for (std::size_t v = 0; v < n; ++v) stubs.insert(stubs.end(), degree, static_cast<PeerId>(v));
    // Pairing model, built greedily: repeatedly pick a random valid partner for the last stub.
    // A dead end (only self-loops or duplicates left) restarts the attempt.
    std::vector<std::pair<PeerId, PeerId>> edges;
    std::vector<std::vector<PeerId>> adj(n);
    bool ok = true;
    while (!stubs.empty() && ok) {
      const PeerId a = stubs.back();
      stubs.pop_back();
      ok = false;
      for (int tries = 0; tries < 64 && !stubs.empty(); ++tries) {
        const std::size_t i = rng.uniform_u64(stubs.size());
        const PeerId b = stubs[i];
        if (b == a || std::find(adj[a].begin(), adj[a].end(), b) != adj[a].end()) continue;
        stubs[i] = stubs.back();
        stubs.pop_back();
        adj[a].push_back(b);
        adj[b].push_back(a);
        edges.emplace_back(a, b);
        ok = true;
        break;
      }
    }
    if (!ok) continue;
    Topology t = build(n, std::move(edges));
    if (t.connected()) return t;
  }
  return make_error(fmt::format(
      "random_regular: no connected simple graph found for {} nodes of degree {} after retries", n, degree));
}

Result<Topology> Topology::small_world(std::size_t n, std::size_t k, double p, Rng& rng) {
  if (n > kMaxNodes) return too_big(n);
  if (k < 2 || k % 2 != 0 || k >= n) return make_error("small_world: k must be even, >= 2 and < nodes");
  if (!(p >= 0.0 && p <= 1.0)) return make_error("small_world: p must be in [0, 1]");
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  using Iter = boost::small_world_iterator<BoostRngAdapter, Graph>;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    BoostRngAdapter gen{&rng};
    std::vector<std::pair<PeerId, PeerId>> edges;
    for (Iter it(gen, n, k, p, false), end; it != end; ++it) {
      const auto [a, b] = *it;
      if (a != b) edges.emplace_back(static_cast<PeerId>(a), static_cast<PeerId>(b));
    }
    Topology t = build(n, std::move(edges));
    if (t.connected()) return t;
  }
  return make_error("small_world: no connected graph found after retries (raise k or lower p)");
}

Result<Topology> Topology::from_edges(std::size_t n, const std::vector<std::pair<PeerId, PeerId>>& edges) {
  if (n == 0) return make_error("topology: need at least one node");
  if (n > kMaxNodes) return too_big(n);
  for (auto [a, b] : edges) {
    if (a >= n || b >= n) return make_error("topology: edge names a node out of range");
    if (a == b) return make_error(fmt::format("topology: self-loop on node {}", a));
  }
  Topology t = build(n, edges);
  if (!t.connected()) return make_error("topology: graph is disconnected");
  return t;
}

bool Topology::linked(PeerId a, PeerId b) const {
  const auto& list = adjacency_.at(a);
  return std::binary_search(list.begin(), list.end(), b);
}

std::vector<int> Topology::bfs_hops(PeerId source) const {
  std::vector<int> hops(adjacency_.size(), -1);
  std::vector<PeerId> frontier{source};
  hops[source] = 0;
  for (std::size_t head = 0; head < frontier.size(); ++head) {
    const PeerId v = frontier[head];
    for (PeerId w : adjacency_[v]) {
      if (hops[w] >= 0) continue;
      hops[w] = hops[v] + 1;
      frontier.push_back(w);
    }
  }
  return hops;
}

bool Topology::connected() const {
  if (adjacency_.empty()) return false;
  const auto hops = bfs_hops(0);
  return std::all_of(hops.begin(), hops.end(), [](int h) { return h >= 0; });
}

int Topology::diameter() const {
  int best = 0;
  for (std::size_t v = 0; v < adjacency_.size(); ++v) {
    for (int h : bfs_hops(static_cast<PeerId>(v))) {
      if (h < 0) return -1;
      best = std::max(best, h);
    }
  }
  return best;
}

}  // namespace mt::sim

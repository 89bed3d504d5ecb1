// Gossip is nodes relaying what they accept once: a broadcast reaches every connected node
// exactly once, and the message count shows the topology's cost (each node forwards to all its
// neighbours but the sender, so sends = degree sum - (nodes - 1)).
#include <doctest/doctest.h>

#include <set>
#include <vector>

#include "sim/net/network.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
// A tiny flooding node: accepts each message id once, relays it to every peer but the sender.
struct FloodingWorld {
  Scheduler sched;
  Streams streams{42};
  Network net;
  std::vector<std::set<std::uint8_t>> seen;
  std::vector<int> accepted;

  FloodingWorld(Topology topo, LatencyModel lat)
      : net(sched, streams, std::move(topo), std::move(lat)), seen(net.topology().size()),
        accepted(net.topology().size(), 0) {
    net.on_deliver([this](PeerId from, PeerId to, const WirePtr& m) {
      if (!seen[to].insert(m->payload().at(0)).second) return;  // duplicate: drop
      ++accepted[to];
      net.gossip(to, m, from);
    });
  }
  void broadcast(PeerId origin, std::uint8_t id) {
    auto m = std::make_shared<WireMessage>();
    m->kind = MsgKind::tx;
    m->mutable_payload() = {id};
    seen[origin].insert(id);
    ++accepted[origin];
    net.gossip(origin, m);
  }
};

std::uint64_t degree_sum(const Topology& t) {
  std::uint64_t s = 0;
  for (PeerId v = 0; v < t.size(); ++v) s += t.neighbours(v).size();
  return s;
}
}  // namespace

TEST_CASE("a gossiped message reaches every node exactly once over random regular and small world graphs") {
  Streams s(8);
  auto rng = s.stream("topology");
  std::vector<Topology> topologies;
  topologies.push_back(Topology::random_regular(100, 6, rng).value());
  topologies.push_back(Topology::small_world(100, 4, 0.1, rng).value());
  topologies.push_back(Topology::full_mesh(30).value());
  for (auto& topo : topologies) {
    const std::size_t n = topo.size();
    const std::uint64_t expected_sends = degree_sum(topo) - (n - 1);
    LatencyModel lat(Distribution::lognormal(20'000, 0.5));
    FloodingWorld w(std::move(topo), lat);
    w.broadcast(0, 1);
    w.sched.run_until(sec(60));
    for (std::size_t v = 0; v < n; ++v) CHECK(w.accepted[v] == 1);
    CHECK(w.net.totals().sent == expected_sends);
    CHECK(w.net.totals().delivered == expected_sends);
  }
}

TEST_CASE("gossip does not cross a partition and a bridge node carries it between groups") {
  auto topo = Topology::full_mesh(7).value();
  FloodingWorld w(std::move(topo), LatencyModel(Distribution::constant(1'000)));
  w.net.add_partition(Partition::groups(7, {{0, 1, 2}, {3, 4, 5}}));
  w.broadcast(0, 1);
  w.sched.run_until(sec(1));
  for (int v = 0; v < 7; ++v) CHECK(w.accepted[static_cast<std::size_t>(v)] == 1);  // via bridge 6
  w.net.heal();
  w.net.add_partition(Partition::groups(7, {{0, 1, 2}, {3, 4, 5, 6}}));
  w.broadcast(0, 2);
  w.sched.run_until(sec(2));
  for (std::size_t v = 0; v < 7; ++v) CHECK(w.seen[v].count(2) == (v < 3 ? 1u : 0u));
}

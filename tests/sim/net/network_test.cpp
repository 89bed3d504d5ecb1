// The simulated network: same seed gives the same digest and different seeds differ; links are
// FIFO unless reordering is on; loss, duplication, bandwidth queueing and partitions (isolate,
// groups with bridges, one-way cuts, in-flight drops, heal) do exactly what they say, and the
// counters add up.
#include <doctest/doctest.h>

#include <initializer_list>
#include <map>
#include <set>
#include <vector>

#include "sim/net/network.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
WirePtr make_msg(std::uint8_t tag, std::size_t size = 99, MsgKind kind = MsgKind::vote) {
  auto m = std::make_shared<WireMessage>();
  m->kind = kind;
  m->mutable_payload().assign(size, tag);
  return m;
}

struct Harness {
  Scheduler sched;
  Streams streams;
  Network net;
  std::vector<std::tuple<PeerId, PeerId, std::uint8_t, TimeUs>> got;  // from, to, tag, time

  Harness(std::uint64_t seed, Topology topo, LatencyModel lat, LinkParams params = {})
      : streams(seed), net(sched, streams, std::move(topo), std::move(lat), params) {
    net.on_deliver([this](PeerId from, PeerId to, const WirePtr& m) {
      got.emplace_back(from, to, m->payload().at(0), sched.now());
    });
  }
};

Topology mesh(std::size_t n) { return Topology::full_mesh(n).value(); }

// A little random traffic over a lossy, jittery, duplicating mesh; returns the run digest.
std::uint64_t traffic_digest(std::uint64_t seed) {
  LinkParams p;
  p.loss = 0.05;
  p.duplicate = 0.05;
  p.reorder = 0.1;
  LatencyModel lat(Distribution::lognormal(20'000, 0.5));
  lat.set_jitter(2'000);
  Harness h(seed, mesh(10), lat, p);
  Digest digest;
  h.net.set_digest(&digest);
  Rng load = h.streams.stream("load");
  for (int i = 0; i < 500; ++i) {
    const auto from = static_cast<PeerId>(load.uniform_u64(10));
    const auto to = static_cast<PeerId>((from + 1 + load.uniform_u64(9)) % 10);
    h.sched.schedule_at(i * 100, [&h, from, to, i] { h.net.send(from, to, make_msg(static_cast<std::uint8_t>(i))); });
  }
  h.sched.run_until(sec(10));
  CHECK(digest.events() == h.net.totals().delivered);
  return digest.value();
}
}  // namespace

TEST_CASE("the same seed gives the same digest; different seeds give different digests") {
  const auto a = traffic_digest(1);
  CHECK(a == traffic_digest(1));
  CHECK(a != traffic_digest(2));
  CHECK(traffic_digest(2) != traffic_digest(3));
}

TEST_CASE("links are FIFO under jitter unless reordering is on") {
  LatencyModel lat(Distribution::uniform(1'000, 50'000));
  for (double reorder : {0.0, 0.5}) {
    LinkParams p;
    p.reorder = reorder;
    Harness h(7, mesh(2), lat, p);
    for (int i = 0; i < 200; ++i) {
      h.sched.schedule_at(i * 100, [&h, i] { h.net.send(0, 1, make_msg(static_cast<std::uint8_t>(i))); });
    }
    h.sched.run_until(sec(1));
    REQUIRE(h.got.size() == 200);
    int inversions = 0;
    for (std::size_t i = 1; i < h.got.size(); ++i) inversions += std::get<2>(h.got[i]) < std::get<2>(h.got[i - 1]) ? 1 : 0;
    if (reorder == 0.0) {
      CHECK(inversions == 0);
    } else {
      CHECK(inversions > 10);
    }
  }
}

TEST_CASE("bandwidth serialises messages one after another behind a FIFO queue") {
  // 1000-byte messages (999 payload + 1 kind byte) on an 8 Mbit/s link: 1 ms each to send.
  LinkParams p;
  p.bandwidth_bps = 8'000'000;
  Harness h(1, mesh(2), LatencyModel(Distribution::constant(10'000)), p);
  for (int i = 0; i < 3; ++i) h.net.send(0, 1, make_msg(static_cast<std::uint8_t>(i), 999));
  h.sched.schedule_at(ms(10), [&h] { h.net.send(0, 1, make_msg(9, 999)); });  // link idle again
  h.sched.run_until(sec(1));
  REQUIRE(h.got.size() == 4);
  CHECK(std::get<3>(h.got[0]) == ms(1) + ms(10));
  CHECK(std::get<3>(h.got[1]) == ms(2) + ms(10));
  CHECK(std::get<3>(h.got[2]) == ms(3) + ms(10));
  CHECK(std::get<3>(h.got[3]) == ms(10) + ms(1) + ms(10));
  // The reverse link has its own queue.
  CHECK(h.net.link_counters(1, 0).sent == 0);
}

TEST_CASE("a full bandwidth queue tail-drops and counts the drop") {
  LinkParams p;
  p.bandwidth_bps = 8'000;  // 1 byte per ms
  p.max_queue_bytes = 250;
  Harness h(1, mesh(2), LatencyModel(), p);
  for (int i = 0; i < 5; ++i) h.net.send(0, 1, make_msg(static_cast<std::uint8_t>(i), 99));  // 100 B each
  h.sched.run_until(sec(10));
  CHECK(h.got.size() == 2);
  CHECK(h.net.link_counters(0, 1).dropped == 3);
}

TEST_CASE("loss and duplication happen at their rates and the counters add up") {
  LinkParams p;
  p.loss = 0.2;
  p.duplicate = 0.1;
  Harness h(3, mesh(2), LatencyModel(Distribution::constant(1'000)), p);
  const int n = 20000;
  for (int i = 0; i < n; ++i) h.net.send(0, 1, make_msg(1, 9, MsgKind::tx));
  h.sched.run_until(sec(1));
  const auto c = h.net.link_counters(0, 1);
  CHECK(c.sent == n);
  CHECK(c.bytes == static_cast<std::uint64_t>(n) * 10);
  CHECK(static_cast<double>(c.dropped) / n == doctest::Approx(0.2).epsilon(0.05));
  CHECK(static_cast<double>(c.duplicated) / static_cast<double>(n - c.dropped) == doctest::Approx(0.1).epsilon(0.08));
  CHECK(c.delivered == c.sent - c.dropped + c.duplicated);
  CHECK(h.got.size() == c.delivered);
  CHECK(h.net.kind_counters(MsgKind::tx).delivered == c.delivered);
  CHECK(h.net.kind_counters(MsgKind::vote).sent == 0);
  CHECK(h.net.in_flight() == 0);
}

namespace {
// Sends one message over every ordered pair and returns which pairs got through.
std::set<std::pair<PeerId, PeerId>> reachability(Harness& h, std::size_t n) {
  h.got.clear();
  for (PeerId a = 0; a < n; ++a) {
    for (PeerId b = 0; b < n; ++b) {
      if (a != b) h.net.send(a, b, make_msg(1));
    }
  }
  h.sched.run_until(h.sched.now() + sec(1));
  std::set<std::pair<PeerId, PeerId>> ok;
  for (auto& [from, to, tag, t] : h.got) ok.insert({from, to});
  return ok;
}
}  // namespace

TEST_CASE("partitions drop exactly the messages they should, and heal restores everything") {
  Harness h(5, mesh(6), LatencyModel(Distribution::constant(1'000)));
  SUBCASE("isolate cuts the set off from the rest in both directions") {
    h.net.add_partition(Partition::isolate(6, {0, 1}));
    auto ok = reachability(h, 6);
    for (PeerId a = 0; a < 6; ++a) {
      for (PeerId b = 0; b < 6; ++b) {
        if (a != b) CHECK((ok.count({a, b}) == 1) == ((a < 2) == (b < 2)));
      }
    }
    CHECK(h.net.totals().dropped == 16);  // 2 * 4 pairs, both directions
  }
  SUBCASE("groups split nodes apart while a node in no group bridges them") {
    h.net.add_partition(Partition::groups(6, {{0, 1}, {2, 3}, {4}}));
    auto ok = reachability(h, 6);
    CHECK((ok.count({0, 1}) == 1));
    CHECK_FALSE((ok.count({0, 2}) == 1));
    CHECK_FALSE((ok.count({4, 3}) == 1));
    CHECK((ok.count({5, 0}) == 1));
    CHECK((ok.count({2, 5}) == 1));
    CHECK((ok.count({4, 5}) == 1));
    CHECK(ok.size() == 2 + 2 + 5 * 2);  // in-group pairs (2 + 2) and every pair with the bridge
  }
  SUBCASE("one-way cuts block one direction only") {
    h.net.add_partition(Partition::one_way(6, {0}, {1, 2}));
    auto ok = reachability(h, 6);
    CHECK_FALSE((ok.count({0, 1}) == 1));
    CHECK_FALSE((ok.count({0, 2}) == 1));
    CHECK((ok.count({1, 0}) == 1));
    CHECK((ok.count({2, 0}) == 1));
    CHECK((ok.count({0, 3}) == 1));
    CHECK(ok.size() == 28);
  }
  SUBCASE("overlapping partitions heal independently, heal() removes all") {
    const auto a = h.net.add_partition(Partition::isolate(6, {0}));
    h.net.add_partition(Partition::isolate(6, {5}));
    CHECK(reachability(h, 6).size() == 12);  // nodes 1..4 among themselves
    CHECK(h.net.remove_partition(a));
    CHECK_FALSE(h.net.remove_partition(a));
    CHECK(reachability(h, 6).size() == 20);
    h.net.heal();
    CHECK(reachability(h, 6).size() == 30);
  }
}

TEST_CASE("a partition that starts while a message is in flight drops it on arrival") {
  Harness h(5, mesh(3), LatencyModel(Distribution::constant(10'000)));
  h.net.send(0, 1, make_msg(1));
  h.net.send(0, 2, make_msg(2));
  h.sched.schedule_at(5'000, [&h] { h.net.add_partition(Partition::isolate(3, {1})); });
  h.sched.run_until(sec(1));
  REQUIRE(h.got.size() == 1);
  CHECK(std::get<1>(h.got[0]) == 2);
  CHECK(h.net.link_counters(0, 1).dropped == 1);
}

TEST_CASE("clogging and per-link extra delay slow messages down until healed or reset") {
  Harness h(5, mesh(3), LatencyModel(Distribution::constant(1'000)));
  h.net.clog(1, ms(50));
  LinkParams slow;
  slow.extra_delay_us = ms(7);
  h.net.set_link_params(0, 2, slow);
  h.net.send(0, 1, make_msg(1));
  h.net.send(2, 1, make_msg(2));
  h.net.send(0, 2, make_msg(3));
  h.net.send(2, 0, make_msg(4));
  h.sched.run_until(sec(1));
  std::map<std::uint8_t, TimeUs> at;
  for (auto& [from, to, tag, t] : h.got) at[tag] = t;
  CHECK(at[1] == 51'000);
  CHECK(at[2] == 51'000);
  CHECK(at[3] == 8'000);
  CHECK(at[4] == 1'000);
  h.net.heal();
  h.net.reset_link_params(0, 2);
  h.got.clear();
  const TimeUs t0 = h.sched.now();
  h.net.send(0, 1, make_msg(5));
  h.net.send(0, 2, make_msg(6));
  h.sched.run_until(t0 + sec(1));
  for (auto& [from, to, tag, t] : h.got) CHECK(t == t0 + 1'000);
}

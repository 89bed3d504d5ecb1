// A node's uplink and downlink (set_node_bandwidth): every link of the node shares one queue, a
// message waits for the sender's uplink and then for the receiver's downlink in arrival order,
// the serialisation delay is bytes * 8 / rate, and the busy time shows in the usage meters.
#include <doctest/doctest.h>

#include <tuple>
#include <vector>

#include "sim/net/network.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
WirePtr make_msg(std::uint8_t tag, std::size_t payload) {
  auto m = std::make_shared<WireMessage>();
  m->kind = MsgKind::vote;
  m->mutable_payload().assign(payload, tag);
  return m;
}

struct Harness {
  Scheduler sched;
  Streams streams{1};
  Network net;
  std::vector<std::tuple<PeerId, PeerId, std::uint8_t, TimeUs>> got;  // from, to, tag, time

  explicit Harness(std::size_t n)
      : net(sched, streams, Topology::full_mesh(n).value(), LatencyModel(Distribution::constant(10'000))) {
    net.on_deliver([this](PeerId from, PeerId to, const WirePtr& m) {
      got.emplace_back(from, to, m->payload().at(0), sched.now());
    });
  }
  TimeUs arrival(std::uint8_t tag) const {
    for (const auto& g : got) {
      if (std::get<2>(g) == tag) return std::get<3>(g);
    }
    return -1;
  }
};
}  // namespace

TEST_CASE("a node's uplink is shared by all its links: messages to different peers queue behind each other") {
  // 1000-byte messages (999 payload + 1 kind byte) at 8 Mbit/s: 1 ms each; latency 10 ms.
  Harness h(3);
  h.net.set_node_bandwidth(0, 8'000'000, 0);
  h.net.send(0, 1, make_msg(1, 999));
  h.net.send(0, 2, make_msg(2, 999));
  h.net.send(0, 1, make_msg(3, 999));
  h.net.send(1, 2, make_msg(4, 999));  // another node's uplink is unlimited
  h.sched.run_until(sec(1));
  CHECK(h.arrival(1) == ms(1) + ms(10));
  CHECK(h.arrival(2) == ms(2) + ms(10));
  CHECK(h.arrival(3) == ms(3) + ms(10));
  CHECK(h.arrival(4) == ms(10));
  CHECK(h.net.uplink_usage().busy_within(0, 0, sec(1)) == ms(3));
  CHECK(h.net.uplink_usage().busy_within(1, 0, sec(1)) == 0);
}

TEST_CASE("a node's downlink serialises what arrives from every peer, in arrival order") {
  Harness h(3);
  h.net.set_node_bandwidth(2, 0, 8'000'000);
  h.net.send(0, 2, make_msg(1, 999));
  h.net.send(1, 2, make_msg(2, 999));
  h.sched.schedule_at(ms(30), [&h] { h.net.send(0, 2, make_msg(3, 999)); });  // downlink idle again
  h.sched.run_until(sec(1));
  CHECK(h.arrival(1) == ms(10) + ms(1));
  CHECK(h.arrival(2) == ms(10) + ms(2));
  CHECK(h.arrival(3) == ms(30) + ms(10) + ms(1));
  CHECK(h.net.downlink_usage().busy_within(2, 0, sec(1)) == ms(3));
  CHECK(h.net.in_flight() == 0);
}

TEST_CASE("uplink and downlink add up, and an unlimited node changes nothing") {
  Harness limited(2);
  limited.net.set_node_bandwidth(0, 8'000'000, 0);
  limited.net.set_node_bandwidth(1, 0, 4'000'000);  // 2 ms per 1000 B
  limited.net.send(0, 1, make_msg(1, 999));
  limited.sched.run_until(sec(1));
  CHECK(limited.arrival(1) == ms(1) + ms(10) + ms(2));

  Harness free(2);
  free.net.set_node_bandwidth(0, 0, 0);
  free.net.send(0, 1, make_msg(1, 999));
  free.sched.run_until(sec(1));
  CHECK(free.arrival(1) == ms(10));
}

TEST_CASE("an uplink backlog beyond the queue bound tail-drops and counts the drop") {
  Harness h(2);
  LinkParams p;
  p.max_queue_bytes = 250;
  h.net.set_default_params(p);
  h.net.set_node_bandwidth(0, 8'000, 0);  // 1 byte per ms
  for (int i = 0; i < 5; ++i) h.net.send(0, 1, make_msg(static_cast<std::uint8_t>(i), 99));  // 100 B each
  h.sched.run_until(sec(10));
  CHECK(h.got.size() == 2);
  CHECK(h.net.link_counters(0, 1).dropped == 3);
}

// The rolling digest depends on every recorded field and on event order, per-event recording
// finds the first divergence, and the trace writes one line per event.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "core/node/message_codec.hpp"
#include "sim/engine/digest.hpp"

using namespace mt;
using namespace mt::sim;

TEST_CASE("the digest changes with every field and with the order of events") {
  auto run = [](TimeUs t, PeerId from, PeerId to, MsgKind kind, std::uint64_t hash, bool swap) {
    Digest d;
    if (swap) d.record_timer(5, 1, 9);
    d.record_delivery(t, from, to, kind, 10, hash);
    if (!swap) d.record_timer(5, 1, 9);
    return d.value();
  };
  const auto base = run(1, 2, 3, MsgKind::vote, 77, false);
  CHECK(base == run(1, 2, 3, MsgKind::vote, 77, false));
  CHECK(base != run(2, 2, 3, MsgKind::vote, 77, false));
  CHECK(base != run(1, 3, 3, MsgKind::vote, 77, false));
  CHECK(base != run(1, 2, 4, MsgKind::vote, 77, false));
  CHECK(base != run(1, 2, 3, MsgKind::proposal, 77, false));
  CHECK(base != run(1, 2, 3, MsgKind::vote, 78, false));
  CHECK(base != run(1, 2, 3, MsgKind::vote, 77, true));
}

TEST_CASE("a message's hash covers its kind and every byte, and forgets itself when the bytes change") {
  auto m = std::make_shared<WireMessage>(MsgKind::tx, Bytes{1, 2, 3});
  const std::uint64_t h = Digest::payload_hash(*m);
  CHECK(h == Digest::payload_hash(WireMessage(MsgKind::tx, Bytes{1, 2, 3})));
  CHECK(h != Digest::payload_hash(WireMessage(MsgKind::vote, Bytes{1, 2, 3})));
  CHECK(h != Digest::payload_hash(WireMessage(MsgKind::tx, Bytes{1, 2, 4})));
  CHECK(h != Digest::payload_hash(WireMessage(MsgKind::tx, Bytes{1, 2, 3, 0})));
  m->mutable_payload().push_back(0);  // a message still being built: its memoised hash goes
  CHECK(Digest::payload_hash(*m) == Digest::payload_hash(WireMessage(MsgKind::tx, Bytes{1, 2, 3, 0})));
}

TEST_CASE("a gossip batch hashes its items: the same whether its bytes were built or not") {
  std::vector<WirePtr> items;
  for (std::uint8_t i = 0; i < 40; ++i) {
    items.push_back(std::make_shared<WireMessage>(MsgKind::tx, Bytes(static_cast<std::size_t>(i) * 13 + 1, i)));
  }
  const WirePtr eager = make_gossip_batch(items, false);
  const WirePtr lazy = make_gossip_batch(items, true);
  REQUIRE(lazy->encoding_deferred());
  const std::uint64_t h = Digest::payload_hash(*lazy);
  CHECK(h == Digest::payload_hash(*eager));
  CHECK(lazy->encoding_deferred());  // hashing built nothing
  (void)lazy->payload();
  CHECK(Digest::payload_hash(*lazy) == h);
  // Not the hash of the bytes as one message, nor of one item.
  CHECK(h != Digest::payload_hash(WireMessage(MsgKind::gossip_batch, eager->payload())));
  CHECK(h != Digest::payload_hash(*items[0]));
  // One byte more in one item, another kind for one item, two items swapped, one item
  // dropped: another hash each.
  auto changed = items;
  changed[17] = std::make_shared<WireMessage>(MsgKind::tx, Bytes(17 * 13 + 2, 17));
  CHECK(Digest::payload_hash(*make_gossip_batch(changed, true)) != h);
  changed = items;
  changed[17] = std::make_shared<WireMessage>(MsgKind::vote, items[17]->payload());
  CHECK(Digest::payload_hash(*make_gossip_batch(changed, true)) != h);
  changed = items;
  std::swap(changed[3], changed[4]);
  CHECK(Digest::payload_hash(*make_gossip_batch(changed, true)) != h);
  changed = items;
  changed.pop_back();
  CHECK(Digest::payload_hash(*make_gossip_batch(changed, false)) != h);
  // Equal items in other objects: the same hash.
  std::vector<WirePtr> copies;
  for (const auto& item : items) copies.push_back(std::make_shared<WireMessage>(item->kind, item->payload()));
  CHECK(Digest::payload_hash(*make_gossip_batch(copies, true)) == h);
}

TEST_CASE("per-event digests name the first event where two runs part") {
  Digest a, b;
  a.record_per_event(100);
  b.record_per_event(100);
  for (std::uint64_t i = 0; i < 10; ++i) {
    a.record_timer(static_cast<TimeUs>(i), 0, i);
    b.record_timer(static_cast<TimeUs>(i), 0, i == 6 ? 99 : i);
  }
  CHECK(a.events() == 10);
  CHECK(Digest::first_divergence(a.per_event(), b.per_event()) == std::optional<std::size_t>{6});
  CHECK_FALSE(Digest::first_divergence(a.per_event(), a.per_event()).has_value());
}

TEST_CASE("the trace has one line per event with its simulated time") {
  const std::string path = "mtsim-digest-trace-test.txt";
  {
    Digest d;
    REQUIRE(d.open_trace(path).ok());
    d.record_delivery(1500, 1, 2, MsgKind::vote, 42, 0xabc);
    d.record_timer(2500, 3, 7);
    d.record_custom(3000, "state_root", 0x1234);
  }
  std::ifstream in(path);
  std::string l1, l2, l3, extra;
  std::getline(in, l1);
  std::getline(in, l2);
  std::getline(in, l3);
  CHECK_FALSE(std::getline(in, extra));
  CHECK(l1.rfind("t=1500 deliver from=1 to=2 kind=vote bytes=42", 0) == 0);
  CHECK(l2.rfind("t=2500 timer node=3 tag=7", 0) == 0);
  CHECK(l3.rfind("t=3000 state_root value=", 0) == 0);
  std::remove(path.c_str());
  Digest bad;
  CHECK_FALSE(bad.open_trace("/nonexistent-dir/x/trace.txt").ok());
}

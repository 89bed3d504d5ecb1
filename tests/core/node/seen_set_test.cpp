// SeenSet: exact membership, FIFO eviction at capacity, and agreement with a plain reference
// model (std::map + std::deque) over long random sequences that force growth, wrap-around and
// deletions inside probe runs (ids chosen to collide on their home slot).
#include <doctest/doctest.h>

#include <deque>
#include <map>

#include "core/node/seen_set.hpp"
#include "tests/core/hash_ids.hpp"

using namespace mt;

using test::id_of;
using test::twin_of;  // same home slot and fingerprint as its base: probes must compare whole ids

TEST_CASE("the seen set answers exactly, forgets the oldest id first, and stays within capacity") {
  SeenSet s(3);
  CHECK(s.insert(id_of(1)));
  CHECK_FALSE(s.insert(id_of(1)));
  CHECK(s.insert(twin_of(id_of(1), 0)));  // shares the fingerprint: still a different id
  CHECK(s.contains(twin_of(id_of(1), 0)));
  CHECK_FALSE(s.contains(twin_of(id_of(1), 1)));
  CHECK(s.insert(id_of(2)));
  CHECK(s.insert(id_of(3)));  // evicts id 1
  CHECK(s.size() == 3);
  CHECK_FALSE(s.contains(id_of(1)));
  CHECK(s.contains(twin_of(id_of(1), 0)));
  CHECK(s.contains(id_of(3)));
}

TEST_CASE("the seen set agrees with a reference model through growth, wrap-around and colliding ids") {
  for (std::size_t capacity : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{1000}}) {
    SeenSet s(capacity);
    std::map<Hash32, std::uint64_t> ref;  // id -> the serial of its insert
    std::deque<Hash32> order;
    std::uint64_t x = capacity;
    std::uint64_t serial = 0;
    for (int step = 0; step < 20000; ++step) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      // Mostly fresh ids, some repeats of recent ones, some twins that collide in the index.
      Hash32 id = id_of(x >> 40 & 0x3fff);
      if ((x >> 20) % 5 == 0) id = twin_of(id, static_cast<std::uint8_t>(x >> 8 & 3));
      const bool fresh = !ref.contains(id);
      REQUIRE(s.contains(id) == !fresh);
      if (fresh) {
        REQUIRE_FALSE(s.serial_of(id).has_value());
      } else {
        REQUIRE(s.serial_of(id) == ref.at(id));
      }
      REQUIRE(s.next_serial() == serial);
      REQUIRE(s.insert(id) == fresh);
      if (fresh) {
        ref.emplace(id, serial++);
        order.push_back(id);
        if (order.size() > capacity) {
          ref.erase(order.front());
          order.pop_front();
        }
      }
      REQUIRE(s.size() == ref.size());
    }
    for (const auto& id : order) CHECK(s.contains(id));
  }
}

TEST_CASE("a seen mark answers membership exactly while held and never for another set") {
  // Ids come back through their marks (one mark per id, as a shared message object would carry
  // one per node); every holds() that says yes must agree with contains(), through evictions
  // and re-insertions that leave old marks behind.
  for (std::size_t capacity : {std::size_t{1}, std::size_t{5}, std::size_t{64}}) {
    SeenSet s(capacity);
    SeenSet other(capacity);
    std::map<std::uint64_t, SeenMark> marks;  // id number -> the mark its object carries
    std::uint64_t x = 99 + capacity;
    std::size_t mark_hits = 0;
    for (int step = 0; step < 20000; ++step) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      const std::uint64_t n = (x >> 40) % (3 * capacity + 3);
      const Hash32 id = id_of(n);
      SeenMark& mark = marks[n];
      const bool member = s.contains(id);
      if (s.holds(mark)) {
        REQUIRE(member);  // a yes from a mark is always a member
        REQUIRE(s.serial_of(id) == mark.serial);  // and names the insert that holds it
        ++mark_hits;
        continue;
      }
      REQUIRE(s.insert(id, mark).inserted == !member);
      REQUIRE(s.contains(id));
      if (!member) REQUIRE(s.holds(mark));  // a fresh insert leaves a mark that holds
      REQUIRE_FALSE(other.holds(mark));     // another set never reads our marks
    }
    CHECK(mark_hits > 1000);  // the shortcut is taken, not just always missing
  }
}

TEST_CASE("taking back the latest insert forgets that id, keeps the rest, and reuses its serial") {
  for (std::size_t capacity : {4u, 64u}) {
    SeenSet s(capacity);
    std::deque<Hash32> held;
    for (std::uint64_t k = 0; k < 3 * capacity; ++k) {
      const Hash32 id = k % 3 == 0 ? twin_of(id_of(k / 3), 1) : id_of(1000 + k);
      const auto ins = s.insert_or_find(id);
      REQUIRE(ins.inserted);
      if (k % 5 == 2) {
        s.undo_last_insert(id, ins.serial);
        CHECK_FALSE(s.contains(id));
        CHECK(s.next_serial() == ins.serial);
        continue;
      }
      held.push_back(id);
      while (held.size() > capacity) held.pop_front();
    }
    // Everything still held answers, with the serial its ring position gives.
    std::size_t present = 0;
    for (const Hash32& id : held) present += s.contains(id) ? 1u : 0u;
    CHECK(present == s.size());
    CHECK(s.size() <= capacity);
    CHECK(s.contains(held.back()));
    REQUIRE(s.serial_of(held.back()).has_value());
    CHECK(*s.serial_of(held.back()) == s.next_serial() - 1);
  }
}

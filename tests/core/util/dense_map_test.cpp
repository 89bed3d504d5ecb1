// DenseBytesMap: exact lookups, and agreement with std::map over long random sequences of
// inserts, updates and erases that force growth and deletions inside probe runs (keys chosen to
// share their tag, so whole keys must be compared and backward shifting must keep runs intact).
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/util/dense_map.hpp"
#include "tests/core/hash_ids.hpp"

using namespace mt;

using test::id_of;
using test::twin_of;  // same tag as its base: probes must compare whole keys

TEST_CASE("the dense map finds whole keys, not tags, and erases without losing probe runs") {
  DenseBytesMap<32, std::string> m;
  CHECK(m.find(id_of(1)) == nullptr);
  CHECK_FALSE(m.erase(id_of(1)));
  m[id_of(1)] = "one";
  m[twin_of(id_of(1), 0)] = "twin0";
  m[twin_of(id_of(1), 1)] = "twin1";
  CHECK(m.size() == 3);
  REQUIRE(m.find(twin_of(id_of(1), 1)) != nullptr);
  CHECK(*m.find(twin_of(id_of(1), 1)) == "twin1");
  CHECK(m.find(twin_of(id_of(1), 2)) == nullptr);
  // Erasing the head of the run must leave the twins behind it reachable.
  CHECK(m.erase(id_of(1)));
  CHECK_FALSE(m.contains(id_of(1)));
  CHECK(*m.find(twin_of(id_of(1), 0)) == "twin0");
  CHECK(*m.find(twin_of(id_of(1), 1)) == "twin1");
  CHECK(m[twin_of(id_of(1), 0)] == "twin0");  // operator[] on a present key does not reset it
  CHECK(m.size() == 2);
  m.clear();
  CHECK(m.empty());
  CHECK(m.find(twin_of(id_of(1), 0)) == nullptr);
}

TEST_CASE("the dense map agrees with std::map through growth, shrinking and colliding keys") {
  for (std::uint64_t universe : {std::uint64_t{4}, std::uint64_t{300}, std::uint64_t{5000}}) {
    DenseBytesMap<32, std::uint64_t> m;
    std::map<Hash32, std::uint64_t> ref;
    std::uint64_t x = universe;
    for (int step = 0; step < 40000; ++step) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      Hash32 key = id_of((x >> 33) % universe);
      if ((x >> 20) % 4 == 0) key = twin_of(key, static_cast<std::uint8_t>(x >> 8 & 3));
      // Phases of mostly inserts and mostly erases, so the map fills up and drains again.
      const bool erasing = (step / 4000) % 2 == 1 ? (x >> 12) % 4 != 0 : (x >> 12) % 4 == 0;
      if (erasing) {
        REQUIRE(m.erase(key) == (ref.erase(key) == 1));
      } else {
        m[key] += static_cast<std::uint64_t>(step);
        ref[key] += static_cast<std::uint64_t>(step);
      }
      REQUIRE(m.size() == ref.size());
      if (step % 97 == 0) {
        for (const auto& [k, v] : ref) {
          const std::uint64_t* found = m.find(k);
          REQUIRE(found != nullptr);
          REQUIRE(*found == v);
        }
        std::map<Hash32, std::uint64_t> walked(m.begin(), m.end());
        REQUIRE(walked == ref);
      }
    }
  }
}

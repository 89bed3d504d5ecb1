// The authenticated map: proofs of inclusion and absence, tamper detection, a root that depends
// only on the contents, persistence of old versions, and O(k log n) rehashing per batch.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "core/crypto/hash.hpp"
#include "core/state/merkle_map.hpp"

using namespace mt;
using namespace mt::state;

namespace {

std::uint64_t splitmix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Hash32 key_of(std::uint64_t i) {
  Bytes b(8);
  for (int j = 0; j < 8; ++j) b[static_cast<std::size_t>(j)] = static_cast<std::uint8_t>(i >> (8 * j));
  return crypto::blake2b256(b);
}

Bytes value_of(std::uint64_t i, std::uint64_t version = 0) {
  return Bytes{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(version)};
}

Bytes as_vec(std::optional<ByteView> v) { return v ? Bytes(v->begin(), v->end()) : Bytes{0xEE, 0xEE}; }

MerkleMap from_model(const std::map<Hash32, Bytes>& model) {
  std::vector<MerkleWrite> w;
  for (const auto& [k, v] : model) w.push_back({k, v});
  return MerkleMap().apply(w);
}

MerkleMap apply_one(const MerkleMap& m, const Hash32& k, std::optional<Bytes> v) {
  std::vector<MerkleWrite> w{{k, std::move(v)}};
  return m.apply(w);
}

// Applies `batch` to `m` and mirrors it in `model` (a value writes, nullopt deletes).
MerkleMap apply_batch(const MerkleMap& m, const std::map<Hash32, std::optional<Bytes>>& batch,
                      std::map<Hash32, Bytes>& model) {
  std::vector<MerkleWrite> w;
  for (const auto& [k, v] : batch) {
    w.push_back({k, v});
    if (v) {
      model[k] = *v;
    } else {
      model.erase(k);
    }
  }
  return m.apply(w);
}

}  // namespace

TEST_CASE("a Merkle proof verifies every present key and proves absent keys absent") {
  std::map<Hash32, Bytes> model;
  for (std::uint64_t i = 0; i < 300; ++i) model[key_of(i)] = value_of(i);
  const MerkleMap m = from_model(model);
  CHECK(m.size() == 300);
  for (const auto& [k, v] : model) {
    auto proof = m.prove(k);
    CHECK(verify_inclusion(m.root(), k, v, proof));
    auto r = verify_proof(m.root(), proof);
    REQUIRE(r.ok());
    CHECK(r.value() == std::optional<Bytes>(v));
  }
  for (std::uint64_t i = 1000; i < 1100; ++i) {
    auto proof = m.prove(key_of(i));
    auto r = verify_proof(m.root(), proof);
    REQUIRE(r.ok());
    CHECK_FALSE(r.value().has_value());
    CHECK_FALSE(verify_inclusion(m.root(), key_of(i), value_of(i), proof));
  }
  // The empty map proves everything absent, and only under the zero root.
  const MerkleMap empty;
  auto p = empty.prove(key_of(1));
  CHECK(verify_proof(Hash32{}, p).ok());
  CHECK_FALSE(verify_proof(m.root(), p).ok());
}

TEST_CASE("a tampered proof or the wrong root fails verification") {
  std::map<Hash32, Bytes> model;
  for (std::uint64_t i = 0; i < 64; ++i) model[key_of(i)] = value_of(i);
  const MerkleMap m = from_model(model);
  const MerkleMap other = apply_one(m, key_of(5), value_of(5, 1));
  const Hash32 k = key_of(7);
  const auto proof = m.prove(k);
  REQUIRE(proof.steps.size() > 2);
  CHECK(verify_inclusion(m.root(), k, model[k], proof));
  CHECK_FALSE(verify_inclusion(other.root(), k, model[k], proof));  // root of another version

  auto bad_value = proof;
  bad_value.leaf_value.push_back(1);
  CHECK_FALSE(verify_proof(m.root(), bad_value).ok());
  auto bad_sibling = proof;
  bad_sibling.steps[1].sibling.data[0] ^= 1;
  CHECK_FALSE(verify_proof(m.root(), bad_sibling).ok());
  auto bad_bit = proof;
  bad_bit.steps[0].bit = static_cast<std::uint8_t>(bad_bit.steps[0].bit + 1);
  CHECK_FALSE(verify_proof(m.root(), bad_bit).ok());
  auto dropped = proof;
  dropped.steps.erase(dropped.steps.begin());
  CHECK_FALSE(verify_proof(m.root(), dropped).ok());
  // A proof for one key cannot be passed off as another key's.
  CHECK_FALSE(verify_inclusion(m.root(), key_of(8), model[k], proof));
  // Proofs survive the codec.
  codec::Writer w;
  proof.encode(w);
  auto back = codec::decode_all<MerkleProof>(w.data(), [](codec::Reader& r) { return MerkleProof::decode(r); }, "proof");
  REQUIRE(back.ok());
  CHECK(back.value() == proof);
}

TEST_CASE("the root depends only on the contents, not on insertion order, batching or history") {
  std::uint64_t seed = 42;
  for (int round = 0; round < 20; ++round) {
    std::map<Hash32, Bytes> model;
    MerkleMap incremental;
    std::vector<Hash32> roots_seen;
    for (int step = 0; step < 40; ++step) {
      // A random batch of inserts, updates and deletes (deletes of absent keys included).
      std::map<Hash32, std::optional<Bytes>> batch;
      const auto n = 1 + splitmix(seed) % 12;
      for (std::uint64_t j = 0; j < n; ++j) {
        const auto id = splitmix(seed) % 200;
        if (splitmix(seed) % 4 == 0) {
          batch[key_of(id)] = std::nullopt;
        } else {
          batch[key_of(id)] = value_of(id, splitmix(seed) % 3);
        }
      }
      incremental = apply_batch(incremental, batch, model);
      CHECK(incremental.root() == from_model(model).root());
      CHECK(incremental.size() == model.size());
    }
    // Rebuilt one key at a time in a shuffled order: same root.
    std::vector<std::pair<Hash32, Bytes>> items(model.begin(), model.end());
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[splitmix(seed) % i]);
    MerkleMap one_by_one;
    for (const auto& [k, v] : items) one_by_one = apply_one(one_by_one, k, v);
    CHECK(one_by_one.root() == incremental.root());
  }
}

TEST_CASE("get reads the latest write and older versions stay unchanged") {
  MerkleMap v0;
  std::vector<MerkleWrite> w;
  for (std::uint64_t i = 0; i < 50; ++i) w.push_back({key_of(i), value_of(i)});
  std::sort(w.begin(), w.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  const MerkleMap v1 = v0.apply(w);
  const MerkleMap v2 = apply_one(v1, key_of(3), value_of(3, 9));
  const MerkleMap v3 = apply_one(v2, key_of(4), std::nullopt);
  CHECK_FALSE(v0.get(key_of(3)).has_value());
  REQUIRE(v1.get(key_of(3)).has_value());
  CHECK(as_vec(v1.get(key_of(3))) == value_of(3));
  CHECK(as_vec(v2.get(key_of(3))) == value_of(3, 9));
  CHECK_FALSE(v3.get(key_of(4)).has_value());
  CHECK(as_vec(v2.get(key_of(4))) == value_of(4));
  CHECK(v3.size() == 49);
  CHECK(v1.root() != v2.root());
  // Deleting an absent key or rewriting a value with itself changes nothing.
  CHECK(apply_one(v3, key_of(999), std::nullopt).root() == v3.root());
  CHECK(apply_one(v3, key_of(5), value_of(5)).root() == v3.root());
  // Deleting everything gives the empty root.
  std::vector<MerkleWrite> del;
  for (const auto& x : w) del.push_back({x.key, std::nullopt});
  CHECK(v1.apply(del).root() == Hash32{});
}

TEST_CASE("updating k keys of an n-key map computes O(k log n) node hashes") {
  std::vector<MerkleWrite> w;
  const std::uint64_t n = 1u << 14;
  for (std::uint64_t i = 0; i < n; ++i) w.push_back({key_of(i), value_of(i)});
  std::sort(w.begin(), w.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  const MerkleMap m = MerkleMap().apply(w);
  for (std::uint64_t k : {1u, 10u, 100u}) {
    std::vector<MerkleWrite> batch;
    for (std::uint64_t i = 0; i < k; ++i) batch.push_back({key_of(i * 7), value_of(i, 5)});
    std::sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    const auto before = MerkleMap::hashes_computed();
    const MerkleMap m2 = m.apply(batch);
    const auto hashes = MerkleMap::hashes_computed() - before;
    // Each write rehashes its leaf and at most the ~log2(n) interior nodes above it (random
    // keys give a depth near log2 n; allow 2x for the tail).
    CHECK(hashes >= k);
    CHECK(hashes <= k * (1 + 2 * 14));
    CHECK(m2.size() == n);
  }
}

namespace {

bool reference_bit(const Hash32& k, unsigned bit) { return ((k.data[bit / 8] >> (7 - bit % 8)) & 1) != 0; }

// The root by the hashing rule in merkle_map.hpp, computed straight from the sorted contents
// with none of MerkleMap's code: leaf = H(0xA0 || key || value), interior = H(0xA1 || bit ||
// left || right), split at the first bit where the first and last keys differ.
Hash32 reference_root(std::vector<std::pair<Hash32, Bytes>>::const_iterator first,
                      std::vector<std::pair<Hash32, Bytes>>::const_iterator last) {
  if (first == last) return Hash32{};
  if (last - first == 1) {
    Bytes in{0xA0};
    in.insert(in.end(), first->first.data.begin(), first->first.data.end());
    in.insert(in.end(), first->second.begin(), first->second.end());
    return crypto::blake2b256(in);
  }
  unsigned bit = 0;
  while (reference_bit(first->first, bit) == reference_bit((last - 1)->first, bit)) ++bit;
  auto mid = first;
  while (!reference_bit(mid->first, bit)) ++mid;
  const Hash32 l = reference_root(first, mid);
  const Hash32 r = reference_root(mid, last);
  Bytes in{0xA1, static_cast<std::uint8_t>(bit)};
  in.insert(in.end(), l.data.begin(), l.data.end());
  in.insert(in.end(), r.data.begin(), r.data.end());
  return crypto::blake2b256(in);
}

// Checks `m` against the reference model: size, root (by the reference rule), every present
// key's value and proof, a few absent keys, and the visit order.
void check_against_model(const MerkleMap& m, const std::map<Hash32, Bytes>& model, std::uint64_t absent_from) {
  CHECK(m.size() == model.size());
  const std::vector<std::pair<Hash32, Bytes>> sorted(model.begin(), model.end());
  CHECK(m.root() == reference_root(sorted.begin(), sorted.end()));
  for (const auto& [k, v] : model) {
    REQUIRE(m.get(k).has_value());
    CHECK(as_vec(m.get(k)) == v);
    CHECK(verify_inclusion(m.root(), k, v, m.prove(k)));
  }
  for (std::uint64_t i = absent_from; i < absent_from + 5; ++i) {
    CHECK_FALSE(m.get(key_of(i)).has_value());
    auto r = verify_proof(m.root(), m.prove(key_of(i)));
    REQUIRE(r.ok());
    CHECK_FALSE(r.value().has_value());
  }
  std::size_t visited = 0;
  m.for_each([&](const Hash32& k, ByteView v) {
    REQUIRE(visited < sorted.size());
    CHECK(k == sorted[visited].first);  // ascending key order
    CHECK(std::equal(v.begin(), v.end(), sorted[visited].second.begin(), sorted[visited].second.end()));
    ++visited;
  });
  CHECK(visited == model.size());
}

// A random batch over key ids [0, ids): inserts, updates and deletes (some of absent keys).
std::map<Hash32, std::optional<Bytes>> random_batch(std::uint64_t& seed, std::uint64_t ids, std::uint64_t version,
                                                     Hash32 (*key)(std::uint64_t)) {
  std::map<Hash32, std::optional<Bytes>> batch;
  const auto n = 1 + splitmix(seed) % 20;
  for (std::uint64_t j = 0; j < n; ++j) {
    const auto id = splitmix(seed) % ids;
    if (splitmix(seed) % 4 == 0) {
      batch[key(id)] = std::nullopt;
    } else {
      batch[key(id)] = value_of(id, version + splitmix(seed) % 3);
    }
  }
  return batch;
}

// Keys that agree on their first 31 bytes except for a few bits past bit 64, so the trie splits
// where an interior node's 64-bit prefix cannot tell the keys apart.
Hash32 long_prefix_key(std::uint64_t id) {
  Hash32 k;
  for (std::size_t i = 0; i < 32; ++i) k.data[i] = 0x5A;
  k.data[9] = static_cast<std::uint8_t>(id & 3);           // bits 72..79
  k.data[20] = static_cast<std::uint8_t>((id >> 2) & 7);   // bits 160..167
  k.data[31] = static_cast<std::uint8_t>(id >> 5);         // bits 248..255
  if (id % 7 == 0) k.data[7] ^= 1;                         // a few differ at bit 63
  return k;
}

}  // namespace

TEST_CASE("versions dropped in any order leave the kept versions intact and free exactly their nodes") {
  const std::uint64_t nodes_before = MerkleMap::live_nodes();
  std::uint64_t seed = 7;
  {
    std::vector<MerkleMap> versions{MerkleMap()};
    std::vector<std::map<Hash32, Bytes>> models{{}};
    for (std::uint64_t step = 1; step <= 60; ++step) {
      // Each version grows from the latest or from an older one (branching history).
      const std::size_t from = splitmix(seed) % 3 == 0 ? splitmix(seed) % versions.size() : versions.size() - 1;
      auto model = models[from];
      const auto batch = random_batch(seed, 150, step, key_of);
      versions.push_back(apply_batch(versions[from], batch, model));
      models.push_back(std::move(model));
    }
    // Drop two thirds of the versions in a shuffled order, checking the survivors as we go.
    std::vector<std::size_t> order(versions.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[splitmix(seed) % i]);
    for (std::size_t i = 0; i < order.size() * 2 / 3; ++i) {
      versions[order[i]] = MerkleMap();
      models[order[i]].clear();
      if (i % 10 == 0) {
        for (std::size_t j = i + 1; j < order.size(); ++j) check_against_model(versions[order[j]], models[order[j]], 1000);
      }
    }
    for (std::size_t j = order.size() * 2 / 3; j < order.size(); ++j) {
      check_against_model(versions[order[j]], models[order[j]], 1000);
    }
    CHECK(MerkleMap::live_nodes() > nodes_before);
  }
  // Every node of every version is freed once the last map holding it is gone.
  CHECK(MerkleMap::live_nodes() == nodes_before);
}

TEST_CASE("keys sharing more than 64 leading bits split, update, delete and prove like any others") {
  const std::uint64_t nodes_before = MerkleMap::live_nodes();
  std::uint64_t seed = 99;
  {
    std::map<Hash32, Bytes> model;
    MerkleMap m;
    std::vector<std::pair<MerkleMap, std::map<Hash32, Bytes>>> kept;
    for (std::uint64_t step = 0; step < 80; ++step) {
      const auto batch = random_batch(seed, 256, step, long_prefix_key);
      m = apply_batch(m, batch, model);
      check_against_model(m, model, 5000);
      if (step % 8 == 0) kept.emplace_back(m, model);
    }
    for (const auto& [old, old_model] : kept) check_against_model(old, old_model, 5000);
    // Copies and moves share the same nodes and read the same.
    MerkleMap copy = m;
    MerkleMap moved = std::move(copy);
    check_against_model(moved, model, 5000);
  }
  CHECK(MerkleMap::live_nodes() == nodes_before);
}

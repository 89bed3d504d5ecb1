#include "core/state/merkle_map.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <new>
#include <utility>

#include "core/crypto/hash.hpp"
#include "core/util/assert.hpp"
#include "core/util/size_class_pool.hpp"

namespace mt::state {

namespace {

constexpr std::uint8_t kLeafPrefix = 0xA0;
constexpr std::uint8_t kInteriorPrefix = 0xA1;
constexpr unsigned kKeyBits = 256;

std::uint64_t g_hashes_computed = 0;  // instrumentation only; never reaches an outcome

bool bit_at(const Hash32& k, unsigned bit) {
  return ((static_cast<unsigned>(k.data[bit / 8]) >> (7u - bit % 8u)) & 1u) != 0;
}

// Big-endian 64-bit word `i` (0..3) of a key: word order and bit order match the key order.
std::uint64_t word(const Hash32& k, std::size_t i) {
  std::uint64_t x = 0;
  for (std::size_t j = 0; j < 8; ++j) x = (x << 8) | k.data[i * 8 + j];
  return x;
}

// Index of the first differing bit, kKeyBits when equal.
unsigned crit_bit(const Hash32& a, const Hash32& b) {
  for (std::size_t i = 0; i < 4; ++i) {
    const std::uint64_t x = word(a, i) ^ word(b, i);
    if (x != 0) return static_cast<unsigned>(i * 64 + static_cast<std::size_t>(std::countl_zero(x)));
  }
  return kKeyBits;
}

// Leaf and interior hashes are one BLAKE2b call over the concatenated input (the same bytes as
// hashing the parts incrementally); a leaf whose input does not fit the stack buffer streams.
Hash32 leaf_hash(const Hash32& key, ByteView value) {
  ++g_hashes_computed;
  constexpr std::size_t kInlineBytes = 256;
  if (value.size() <= kInlineBytes - 33) {
    std::uint8_t buf[kInlineBytes];
    buf[0] = kLeafPrefix;
    std::memcpy(buf + 1, key.data.data(), 32);
    if (!value.empty()) std::memcpy(buf + 33, value.data(), value.size());
    return crypto::blake2b256({buf, 33 + value.size()});
  }
  const std::uint8_t prefix = kLeafPrefix;
  return crypto::Hasher().update({&prefix, 1}).update(key.view()).update(value).finish();
}

Hash32 interior_hash(std::uint8_t bit, const Hash32& left, const Hash32& right) {
  ++g_hashes_computed;
  std::uint8_t buf[2 + 64];
  buf[0] = kInteriorPrefix;
  buf[1] = bit;
  std::memcpy(buf + 2, left.data.data(), 32);
  std::memcpy(buf + 34, right.data.data(), 32);
  return crypto::blake2b256({buf, sizeof buf});
}

// Node storage. Never destroyed: a map held in a static outlives every destructor order.
SizeClassPool& pool() {
  static SizeClassPool* p = new SizeClassPool();
  return *p;
}

const MerkleInterior& interior(const MerkleNode& n) { return static_cast<const MerkleInterior&>(n); }
const MerkleLeaf& as_leaf(const MerkleNode& n) { return static_cast<const MerkleLeaf&>(n); }
std::size_t leaf_block_bytes(std::size_t value_len) { return sizeof(MerkleLeaf) + value_len; }

// Drops one reference; the last one frees the node and drops its children (depth <= 257).
void release(const MerkleNode* n) noexcept {
  if (n == nullptr || --n->refs != 0) return;
  if (n->leaf) {
    const auto& l = as_leaf(*n);
    const std::size_t bytes = leaf_block_bytes(l.value_len);
    l.~MerkleLeaf();
    pool().deallocate(const_cast<MerkleLeaf*>(&l), bytes);
    return;
  }
  const auto& in = interior(*n);
  __builtin_prefetch(in.right);
  release(in.left);
  release(in.right);
  in.~MerkleInterior();
  pool().deallocate(const_cast<MerkleInterior*>(&in), sizeof(MerkleInterior));
}

// One owned reference to a node (or none): what the builders below pass around.
class NodeRef {
 public:
  NodeRef() = default;
  static NodeRef adopt(const MerkleNode* n) { return NodeRef(n); }
  static NodeRef share(const MerkleNode* n) {
    if (n != nullptr) ++n->refs;
    return NodeRef(n);
  }
  NodeRef(NodeRef&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  NodeRef& operator=(NodeRef&& o) noexcept {
    if (this != &o) {
      release(p_);
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  NodeRef(const NodeRef&) = delete;
  NodeRef& operator=(const NodeRef&) = delete;
  ~NodeRef() { release(p_); }

  [[nodiscard]] const MerkleNode* get() const { return p_; }
  const MerkleNode* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  [[nodiscard]] const MerkleNode* take() { return std::exchange(p_, nullptr); }

 private:
  explicit NodeRef(const MerkleNode* n) : p_(n) {}
  const MerkleNode* p_ = nullptr;
};

static_assert(sizeof(MerkleInterior) == 64, "an interior node is one cache line");

NodeRef make_leaf(const Hash32& key, ByteView value, const Hash32& hash) {
  MT_ASSERT(value.size() <= UINT32_MAX, "Merkle value too large");
  void* block = pool().allocate(leaf_block_bytes(value.size()));
  auto* n = ::new (block) MerkleLeaf();
  n->leaf = true;
  n->key = key;
  n->value_len = static_cast<std::uint32_t>(value.size());
  if (!value.empty()) std::memcpy(static_cast<std::uint8_t*>(block) + sizeof(MerkleLeaf), value.data(), value.size());
  n->hash = hash;
  return NodeRef::adopt(n);
}

NodeRef make_leaf(const Hash32& key, ByteView value) { return make_leaf(key, value, leaf_hash(key, value)); }

std::uint64_t prefix_of(const MerkleNode& n) { return n.leaf ? word(as_leaf(n).key, 0) : interior(n).prefix; }

// The key of the leftmost leaf below `n`: the shared prefix in full, for splits past bit 63.
const Hash32& leftmost_key(const MerkleNode* n) {
  while (!n->leaf) n = interior(*n).left;
  return as_leaf(*n).key;
}

// Bit `bit` of the keys below `n` (the same for all of them when bit < n's split bit).
bool node_bit_at(const MerkleNode& n, unsigned bit) {
  if (n.leaf) return bit_at(as_leaf(n).key, bit);
  if (bit < 64) return ((interior(n).prefix >> (63u - bit)) & 1u) != 0;
  return bit_at(leftmost_key(&n), bit);
}

// Joins two subtrees whose keys first differ at `bit`; a missing side collapses the node.
NodeRef join(unsigned bit, NodeRef left, NodeRef right) {
  if (!left) return right;
  if (!right) return left;
  MT_ASSERT(bit < kKeyBits, "interior split bit out of range");
  MT_ASSERT(!node_bit_at(*left.get(), bit) && node_bit_at(*right.get(), bit), "children on the wrong side of the split");
  auto* n = ::new (pool().allocate(sizeof(MerkleInterior))) MerkleInterior();
  n->bit = static_cast<std::uint8_t>(bit);
  n->prefix = prefix_of(*left.get());
  n->hash = interior_hash(n->bit, node_hash(*left.get()), node_hash(*right.get()));
  n->left = left.take();
  n->right = right.take();
  return NodeRef::adopt(n);
}

using Writes = std::span<const MerkleWrite>;

// First index whose key has `bit` set. Precondition: writes share the prefix before `bit`.
std::size_t split_at(Writes w, unsigned bit) {
  auto it = std::partition_point(w.begin(), w.end(), [bit](const MerkleWrite& x) { return !bit_at(x.key, bit); });
  return static_cast<std::size_t>(it - w.begin());
}

// A subtree holding exactly the stored (non-delete) writes; counts the leaves made.
NodeRef build(Writes w, std::uint64_t& leaves_made) {
  if (w.empty()) return {};
  if (w.size() == 1) {
    if (!w[0].value) return {};
    ++leaves_made;
    return make_leaf(w[0].key, *w[0].value);
  }
  const unsigned bit = crit_bit(w.front().key, w.back().key);
  const auto mid = split_at(w, bit);
  auto left = build(w.first(mid), leaves_made);
  return join(bit, std::move(left), build(w.subspan(mid), leaves_made));
}

bool same_bytes(ByteView a, ByteView b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

// Leaves added and removed by one apply(): the new size without a walk.
struct SizeChange {
  std::uint64_t added = 0;
  std::uint64_t removed = 0;
};

// The first bit where some write's key leaves the keys below `node` (kKeyBits if none does,
// capped at the node's split bit for an interior node: only the shared prefix matters there).
// Sorted writes: the shortest common prefix is at one of the ends.
unsigned divergence(const MerkleNode& node, Writes w) {
  if (node.leaf) {
    const Hash32& k = as_leaf(node).key;
    return std::min(crit_bit(w.front().key, k), crit_bit(w.back().key, k));
  }
  const unsigned node_bit = node.bit;
  if (node_bit <= 64) {
    const std::uint64_t p = interior(node).prefix;
    const std::uint64_t x = (word(w.front().key, 0) ^ p) | (word(w.back().key, 0) ^ p);
    const unsigned d = x == 0 ? 64u : static_cast<unsigned>(std::countl_zero(x));
    return d >= node_bit ? kKeyBits : d;
  }
  const Hash32& k = leftmost_key(&node);
  const unsigned d = std::min(crit_bit(w.front().key, k), crit_bit(w.back().key, k));
  return d >= node_bit ? kKeyBits : d;
}

NodeRef apply_rec(const MerkleNode* node, Writes w, SizeChange& change) {
  if (w.empty()) return NodeRef::share(node);
  if (node == nullptr) return build(w, change.added);
  const unsigned d = divergence(*node, w);
  if (d == kKeyBits && node->leaf) {  // exactly one write, to this leaf's key
    MT_ASSERT(w.size() == 1, "duplicate keys in a Merkle batch");
    if (!w[0].value) {
      ++change.removed;
      return {};
    }
    // Compared by hash first: the old value's bytes are likely not in cache, its hash is.
    const Hash32 h = leaf_hash(w[0].key, *w[0].value);
    const auto& old = as_leaf(*node);
    if (h == old.hash && same_bytes(*w[0].value, old.value())) return NodeRef::share(node);
    return make_leaf(w[0].key, *w[0].value, h);
  }
  if (d == kKeyBits) {  // every write falls under this interior node
    const auto& in = interior(*node);
    const auto mid = split_at(w, node->bit);
    // Both children are touched (rebuilt, or shared: a count to bump). A side with no writes
    // is shared after the other side's work, by when its prefetch has landed.
    __builtin_prefetch(in.left);
    __builtin_prefetch(in.right);
    NodeRef l;
    NodeRef r;
    if (mid == 0) {
      r = apply_rec(in.right, w, change);
      l = NodeRef::share(in.left);
    } else {
      l = apply_rec(in.left, w.first(mid), change);
      r = apply_rec(in.right, w.subspan(mid), change);
    }
    if (l.get() == in.left && r.get() == in.right) return NodeRef::share(node);
    return join(node->bit, std::move(l), std::move(r));
  }
  // Some writes leave the node's prefix: a new split above the node, at bit d.
  const bool node_side = node_bit_at(*node, d);
  const auto mid = split_at(w, d);
  const Writes zero = w.first(mid);
  const Writes one = w.subspan(mid);
  auto same = apply_rec(node, node_side ? one : zero, change);
  auto other = build(node_side ? zero : one, change.added);
  return node_side ? join(d, std::move(other), std::move(same)) : join(d, std::move(same), std::move(other));
}

void visit_rec(const MerkleNode& n, const std::function<void(const Hash32&, ByteView)>& visit) {
  if (n.leaf) {
    visit(as_leaf(n).key, as_leaf(n).value());
    return;
  }
  visit_rec(*interior(n).left, visit);
  visit_rec(*interior(n).right, visit);
}

}  // namespace

std::uint64_t MerkleMap::hashes_computed() { return g_hashes_computed; }

std::uint64_t MerkleMap::live_nodes() { return pool().live_blocks(); }

MerkleMap::MerkleMap(const MerkleMap& other) noexcept : root_(other.root_), size_(other.size_) {
  if (root_ != nullptr) ++root_->refs;
}

MerkleMap& MerkleMap::operator=(const MerkleMap& other) noexcept {
  if (other.root_ != nullptr) ++other.root_->refs;
  release(root_);
  root_ = other.root_;
  size_ = other.size_;
  return *this;
}

MerkleMap& MerkleMap::operator=(MerkleMap&& other) noexcept {
  if (this != &other) {
    release(root_);
    root_ = std::exchange(other.root_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MerkleMap::~MerkleMap() { release(root_); }

std::optional<ByteView> MerkleMap::get(const Hash32& key) const {
  const MerkleNode* n = root_;
  if (n == nullptr) return std::nullopt;
  while (!n->leaf) n = bit_at(key, n->bit) ? interior(*n).right : interior(*n).left;
  if (as_leaf(*n).key != key) return std::nullopt;
  return as_leaf(*n).value();
}

void MerkleMap::prefetch(std::span<const Hash32> keys) const {
  constexpr std::size_t kLanes = 16;  // walks in flight: enough to overlap the misses of a level
  if (root_ == nullptr) return;
  for (std::size_t first = 0; first < keys.size(); first += kLanes) {
    const std::size_t lanes = std::min(kLanes, keys.size() - first);
    std::array<const MerkleNode*, kLanes> at{};
    at.fill(root_);
    for (bool moved = true; moved;) {
      moved = false;
      for (std::size_t i = 0; i < lanes; ++i) {
        const MerkleNode* n = at[i];
        if (n->leaf) continue;
        const MerkleNode* next = bit_at(keys[first + i], n->bit) ? interior(*n).right : interior(*n).left;
        __builtin_prefetch(next);
        __builtin_prefetch(reinterpret_cast<const char*>(next) + 64);
        at[i] = next;
        moved = true;
      }
    }
  }
}

MerkleMap MerkleMap::apply(std::span<const MerkleWrite> writes) const {
  for (std::size_t i = 1; i < writes.size(); ++i) {
    MT_ASSERT(key_less(writes[i - 1].key, writes[i].key), "Merkle batch keys must be strictly ascending");
  }
  SizeChange change;
  NodeRef root = apply_rec(root_, writes, change);
  MT_ASSERT(change.removed <= size_ + change.added, "Merkle map removed more leaves than it had");
  const std::uint64_t size = size_ + change.added - change.removed;
  MT_ASSERT((root.get() == nullptr) == (size == 0), "Merkle map size out of step with its root");
  return MerkleMap(root.take(), size);
}

MerkleProof MerkleMap::prove(const Hash32& key) const {
  MerkleProof p;
  p.key = key;
  const MerkleNode* n = root_;
  if (n == nullptr) return p;
  while (!n->leaf) {
    const auto& in = interior(*n);
    const bool right = bit_at(key, n->bit);
    p.steps.push_back({n->bit, node_hash(right ? *in.left : *in.right)});
    n = right ? in.right : in.left;
  }
  p.has_leaf = true;
  p.leaf_key = as_leaf(*n).key;
  const ByteView v = as_leaf(*n).value();
  p.leaf_value.assign(v.begin(), v.end());
  return p;
}

void MerkleMap::for_each(const std::function<void(const Hash32&, ByteView)>& visit) const {
  if (root_) visit_rec(*root_, visit);
}

Result<std::optional<Bytes>> verify_proof(const Hash32& root, const MerkleProof& proof) {
  if (!proof.has_leaf) {
    if (!proof.steps.empty()) return make_error("proof without a leaf has steps");
    if (!root.is_zero()) return make_error("proof claims an empty map but the root is not empty");
    return std::optional<Bytes>{};
  }
  for (std::size_t i = 1; i < proof.steps.size(); ++i) {
    if (proof.steps[i - 1].bit >= proof.steps[i].bit) return make_error("proof split bits not increasing");
  }
  Hash32 h = leaf_hash(proof.leaf_key, proof.leaf_value);
  for (std::size_t i = proof.steps.size(); i-- > 0;) {
    const auto& s = proof.steps[i];
    const bool right = bit_at(proof.key, s.bit);
    if (bit_at(proof.leaf_key, s.bit) != right) return make_error("proof leaf is off the key's path");
    h = right ? interior_hash(s.bit, s.sibling, h) : interior_hash(s.bit, h, s.sibling);
  }
  if (h != root) return make_error("proof does not hash to the root");
  if (proof.leaf_key != proof.key) return std::optional<Bytes>{};
  return std::optional<Bytes>{proof.leaf_value};
}

bool verify_inclusion(const Hash32& root, const Hash32& key, ByteView value, const MerkleProof& proof) {
  if (proof.key != key) return false;
  auto r = verify_proof(root, proof);
  if (!r.ok() || !r.value()) return false;
  const Bytes& v = *r.value();
  return std::equal(v.begin(), v.end(), value.begin(), value.end());
}

void MerkleProof::encode(codec::Writer& w) const {
  w.fixed(key);
  w.list_len(steps.size());
  for (const auto& s : steps) {
    w.u8(s.bit);
    w.fixed(s.sibling);
  }
  w.boolean(has_leaf);
  if (has_leaf) {
    w.fixed(leaf_key);
    w.bytes(leaf_value);
  }
}

MerkleProof MerkleProof::decode(codec::Reader& r) {
  MerkleProof p;
  p.key = r.fixed<32>();
  const auto n = r.list_len(kKeyBits, 33);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    MerkleProofStep s;
    s.bit = r.u8();
    s.sibling = r.fixed<32>();
    p.steps.push_back(s);
  }
  p.has_leaf = r.boolean();
  if (p.has_leaf) {
    p.leaf_key = r.fixed<32>();
    p.leaf_value = r.bytes();
  }
  return p;
}

}  // namespace mt::state

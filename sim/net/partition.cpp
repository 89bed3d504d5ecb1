#include "sim/net/partition.hpp"

#include "core/util/assert.hpp"

namespace mt::sim {

Partition Partition::isolate(std::size_t node_count, const std::vector<PeerId>& set) {
  Partition p;
  p.side_a_.assign(node_count, 2);
  for (PeerId n : set) {
    MT_ASSERT(n < node_count, "partition names an unknown node");
    p.side_a_[n] = 1;
  }
  return p;
}

Partition Partition::groups(std::size_t node_count, const std::vector<std::vector<PeerId>>& groups) {
  Partition p;
  p.side_a_.assign(node_count, 0);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (PeerId n : groups[g]) {
      MT_ASSERT(n < node_count, "partition names an unknown node");
      MT_ASSERT(p.side_a_[n] == 0, "a node is in two partition groups");
      p.side_a_[n] = static_cast<std::uint32_t>(g + 1);
    }
  }
  return p;
}

Partition Partition::one_way(std::size_t node_count, const std::vector<PeerId>& from_set,
                             const std::vector<PeerId>& to_set) {
  Partition p;
  p.one_way_ = true;
  p.side_a_.assign(node_count, 0);
  p.side_b_.assign(node_count, 0);
  for (PeerId n : from_set) {
    MT_ASSERT(n < node_count, "partition names an unknown node");
    p.side_a_[n] = 1;
  }
  for (PeerId n : to_set) {
    MT_ASSERT(n < node_count, "partition names an unknown node");
    p.side_b_[n] = 1;
  }
  return p;
}

}  // namespace mt::sim

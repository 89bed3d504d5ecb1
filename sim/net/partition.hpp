// Network partitions as plain data (STYLE.md 7). A Partition says which directed node pairs it
// blocks; the Network keeps a list of active ones (each with an id so overlapping faults heal
// independently) and drops a message if any of them blocks its (from, to).
//
//  - isolate(set): the set and everybody else cannot talk, both ways;
//  - groups({{..}, {..}}): nodes in different groups cannot talk; a node named in no group
//    keeps its links to every group (a bridge);
//  - one_way(from_set, to_set): messages from from_set to to_set are dropped, the reverse works.
#pragma once

#include <cstdint>
#include <vector>

#include "core/node/wire.hpp"

namespace mt::sim {

class Partition {
 public:
  static Partition isolate(std::size_t node_count, const std::vector<PeerId>& set);
  static Partition groups(std::size_t node_count, const std::vector<std::vector<PeerId>>& groups);
  static Partition one_way(std::size_t node_count, const std::vector<PeerId>& from_set,
                           const std::vector<PeerId>& to_set);

  [[nodiscard]] bool blocks(PeerId from, PeerId to) const {
    if (from >= side_a_.size() || to >= side_a_.size()) return false;
    if (one_way_) return side_a_[from] != 0 && side_b_[to] != 0;
    const std::uint32_t ga = side_a_[from], gb = side_a_[to];
    return ga != 0 && gb != 0 && ga != gb;
  }

 private:
  bool one_way_ = false;
  // Groups: side_a_[node] = group number (1-based) or 0 for a bridge.
  // One-way: side_a_[node] = 1 if in from_set, side_b_[node] = 1 if in to_set.
  std::vector<std::uint32_t> side_a_;
  std::vector<std::uint32_t> side_b_;
};

}  // namespace mt::sim

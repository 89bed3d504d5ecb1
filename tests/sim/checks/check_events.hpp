// Scripted inputs for tests of checks and expectations: a view of n named validators (the first
// `byzantine` of them not honest) and finalized-block events with given block and root names.
#pragma once

#include <string>

#include "core/crypto/hash.hpp"
#include "core/crypto/keys.hpp"
#include "core/node/events.hpp"
#include "sim/run/run_view.hpp"

namespace mt::sim::test {

inline RunView make_view(int n, int byzantine = 0) {
  RunView v;
  for (int i = 0; i < n; ++i) {
    NodeMeta m;
    m.name = "v[" + std::to_string(i) + "]";
    m.group = "v";
    m.address = crypto::KeyPair::from_label(m.name).public_key();
    m.honest = i >= byzantine;
    v.nodes.push_back(m);
  }
  return v;
}

inline Hash32 h(const std::string& s) { return crypto::tagged_hash("test", as_bytes(s)); }

inline Event commit(std::uint64_t height, const std::string& block, const std::string& root = "root") {
  BlockCommitted c;
  c.height = height;
  c.block_hash = h(block);
  c.state_root = h(root + std::to_string(height));
  return c;
}

}  // namespace mt::sim::test

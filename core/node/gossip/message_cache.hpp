// The gossipsub message cache (mcache): the messages a node accepted in its last `history`
// heartbeats, by heartbeat window, so a peer that missed one can ask for it (IWANT) and the
// newest windows can be advertised (IHAVE). Bounded: a window holds what one heartbeat accepted,
// and the oldest window goes at each shift. Vectors only: iteration order is insertion order.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "core/node/wire.hpp"
#include "core/util/assert.hpp"
#include "core/util/bytes.hpp"

namespace mt {

class MessageCache {
 public:
  struct Entry {
    Hash32 id;
    std::uint8_t topic;
    WirePtr wire;
  };

  explicit MessageCache(std::uint32_t history) : history_(history) {
    MT_ASSERT(history >= 1, "message cache needs a window");
    windows_.emplace_back();
  }

  void put(const Hash32& id, std::uint8_t topic, WirePtr wire) {
    windows_.front().push_back(Entry{id, topic, std::move(wire)});
  }
  // The message with `id` if it is still cached (null otherwise). IWANTs are rare (only for
  // what a peer missed), so a scan is cheaper than keeping an index for every message.
  [[nodiscard]] WirePtr get(const Hash32& id) const {
    for (const auto& w : windows_) {
      for (const auto& e : w) {
        if (e.id == id) return e.wire;
      }
    }
    return nullptr;
  }
  // Ids of `topic` in the newest `windows` windows, newest first, at most `max`.
  void ids(std::uint8_t topic, std::uint32_t windows, std::size_t max, std::vector<Hash32>& out) const {
    out.clear();
    for (std::size_t i = 0; i < windows_.size() && i < windows; ++i) {
      for (auto it = windows_[i].rbegin(); it != windows_[i].rend(); ++it) {
        if (it->topic != topic) continue;
        if (out.size() == max) return;
        out.push_back(it->id);
      }
    }
  }
  // A heartbeat: a new window opens, the oldest beyond `history` is dropped.
  void shift() {
    windows_.emplace_front();
    while (windows_.size() > history_) windows_.pop_back();
  }

 private:
  std::uint32_t history_;
  std::deque<std::vector<Entry>> windows_;  // [0] is the newest
};

}  // namespace mt

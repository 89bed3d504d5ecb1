// Block-sync bookkeeping of one node, without I/O: the heights peers announced, whether we are
// behind, and the one outstanding block request (at most one at a time, with a timeout after
// which it goes to another peer). The node does the sending, verifying and applying.
//
// When to fetch: a peer more than one height ahead, or a peer one height ahead for longer than
// the grace period (consensus normally hands us that block within a round or two).
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "core/node/context.hpp"
#include "core/util/time.hpp"

namespace mt {

class BlockSync {
 public:
  struct Request {
    PeerId peer = 0;
    std::uint64_t seq = 0;          // matches the timeout's tag
    std::uint64_t from_height = 0;
    std::uint32_t count = 0;
    TimerId timer = 0;
  };

  void note_status(PeerId peer, std::uint64_t height) {
    auto& h = peer_heights_[peer];
    if (height > h) h = height;
    // Heights only grow, so the best peer changes only to this one (same rule as a full scan).
    if (!best_.has_value() || h > best_->second || (h == best_->second && peer <= best_->first)) best_ = {peer, h};
  }
  // A peer that failed us (timeout, bad or empty answer) is not asked again until its next status.
  void forget_peer(PeerId peer) {
    peer_heights_.erase(peer);
    if (best_.has_value() && best_->first == peer) best_ = scan_best();
  }

  // Our height moved (or time passed): tracks since when a peer has been ahead of us.
  void on_height(std::uint64_t my_height, TimeUs now) {
    auto best = best_peer();
    if (!best.has_value() || best->second <= my_height) {
      behind_since_.reset();
    } else if (!behind_since_.has_value() || my_height != behind_height_) {
      behind_since_ = now;
    }
    behind_height_ = my_height;
  }

  // The highest peer (ties: lowest id). Kept up to date, not scanned: every status of every peer
  // asks, and with hundreds of peers a scan each time was most of a full-mesh run.
  [[nodiscard]] std::optional<std::pair<PeerId, std::uint64_t>> best_peer() const { return best_; }

  [[nodiscard]] bool should_fetch(std::uint64_t my_height, TimeUs now, TimeUs grace) const {
    if (outstanding_.has_value()) return false;
    auto best = best_peer();
    if (!best.has_value() || best->second <= my_height) return false;
    if (best->second > my_height + 1) return true;
    return behind_since_.has_value() && now - *behind_since_ >= grace;
  }

  [[nodiscard]] const std::optional<Request>& outstanding() const { return outstanding_; }
  void set_outstanding(Request r) { outstanding_ = r; }
  void clear_outstanding() { outstanding_.reset(); }
  std::uint64_t next_seq() { return ++seq_; }

  // Syncing: from the first request until we caught up with every peer we know.
  [[nodiscard]] bool active() const { return active_; }
  void set_active(bool a) { active_ = a; }

 private:
  [[nodiscard]] std::optional<std::pair<PeerId, std::uint64_t>> scan_best() const {
    std::optional<std::pair<PeerId, std::uint64_t>> best;
    for (const auto& [peer, h] : peer_heights_) {
      if (!best.has_value() || h > best->second) best = std::make_pair(peer, h);
    }
    return best;
  }

  std::map<PeerId, std::uint64_t> peer_heights_;
  std::optional<std::pair<PeerId, std::uint64_t>> best_;  // scan_best(), kept up to date
  std::optional<Request> outstanding_;
  std::optional<TimeUs> behind_since_;
  std::uint64_t behind_height_ = 0;
  std::uint64_t seq_ = 0;
  bool active_ = false;
};

}  // namespace mt

// The run's rolling digest (DESIGN.md §4): every delivered message and every fired timer is
// folded into one XXH3-64 value, d' = XXH3_64(record, seed = d). Two runs of one scenario and
// seed must end with the same value; --check-determinism compares them and, with per-event
// recording on, names the first event where they part.
//
// Optionally writes a trace, one line per event:
//   t=1234567 deliver from=3 to=7 kind=vote bytes=141 hash=9f0c... digest=01ab...
//   t=1250000 timer node=3 tag=42 digest=...
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/wire.hpp"
#include "core/util/result.hpp"
#include "core/util/time.hpp"

namespace mt::sim {

class Digest {
 public:
  Digest() = default;
  ~Digest();
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  // WireMemo::content_hash() (core/node/wire.hpp): what record_delivery folds in for a message
  // (XXH3 of its bytes, or of a gossip batch's item hashes; memoised on the message).
  static std::uint64_t payload_hash(const WireMessage& message);

  void record_delivery(TimeUs t, PeerId from, PeerId to, MsgKind kind, std::size_t size_bytes,
                       std::uint64_t payload_hash);
  void record_timer(TimeUs t, PeerId node, std::uint64_t tag);
  // Anything else the world wants pinned (a committed state root, a crash): a label and a value.
  void record_custom(TimeUs t, std::string_view label, std::uint64_t value);

  [[nodiscard]] std::uint64_t value() const { return value_; }
  [[nodiscard]] std::string hex() const;
  [[nodiscard]] std::uint64_t events() const { return events_; }

  // Keeps the digest after every event (8 bytes each, up to max_events) for divergence search.
  void record_per_event(std::size_t max_events);
  [[nodiscard]] const std::vector<std::uint64_t>& per_event() const { return per_event_; }
  // Index of the first event whose digest differs, or nullopt when one list is a prefix of the
  // other and they agree on it (then compare lengths / final values).
  static std::optional<std::size_t> first_divergence(const std::vector<std::uint64_t>& a,
                                                     const std::vector<std::uint64_t>& b);

  // Starts writing the trace to `path` (truncated). Error if the file cannot be opened.
  Status open_trace(const std::string& path);
  void close_trace();

 private:
  void fold(const std::uint8_t* record, std::size_t size);
  void trace_line(TimeUs t, const char* text);

  std::uint64_t value_ = 0;
  std::uint64_t events_ = 0;
  std::vector<std::uint64_t> per_event_;
  std::size_t per_event_max_ = 0;
  std::FILE* trace_ = nullptr;
};

}  // namespace mt::sim

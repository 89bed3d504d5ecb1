#include "sim/engine/digest.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cinttypes>

#include "core/node/message_codec.hpp"

namespace mt::sim {

namespace {
// Records are fixed-layout little-endian bytes, so the digest does not depend on struct padding.
struct RecordWriter {
  std::uint8_t buf[64];
  std::size_t size = 0;
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) buf[size++] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  void u8(std::uint8_t v) { buf[size++] = v; }
};
}  // namespace

Digest::~Digest() { close_trace(); }

std::uint64_t Digest::payload_hash(const WireMessage& message) { return message.memo().content_hash(); }

void Digest::fold(const std::uint8_t* record, std::size_t size) {
  value_ = XXH3_64bits_withSeed(record, size, value_);
  ++events_;
  if (per_event_.size() < per_event_max_) per_event_.push_back(value_);
}

void Digest::record_delivery(TimeUs t, PeerId from, PeerId to, MsgKind kind, std::size_t size_bytes,
                             std::uint64_t hash) {
  RecordWriter w;
  w.u8(1);
  w.u64(static_cast<std::uint64_t>(t));
  w.u64(from);
  w.u64(to);
  w.u8(static_cast<std::uint8_t>(kind));
  w.u64(size_bytes);
  w.u64(hash);
  fold(w.buf, w.size);
  if (trace_ != nullptr) {
    char line[200];
    std::snprintf(line, sizeof line, "deliver from=%" PRIu32 " to=%" PRIu32 " kind=%s bytes=%zu hash=%016" PRIx64,
                  from, to, std::string(msg_kind_name(kind)).c_str(), size_bytes, hash);
    trace_line(t, line);
  }
}

void Digest::record_timer(TimeUs t, PeerId node, std::uint64_t tag) {
  RecordWriter w;
  w.u8(2);
  w.u64(static_cast<std::uint64_t>(t));
  w.u64(node);
  w.u64(tag);
  fold(w.buf, w.size);
  if (trace_ != nullptr) {
    char line[120];
    std::snprintf(line, sizeof line, "timer node=%" PRIu32 " tag=%" PRIu64, node, tag);
    trace_line(t, line);
  }
}

void Digest::record_custom(TimeUs t, std::string_view label, std::uint64_t value) {
  RecordWriter w;
  w.u8(3);
  w.u64(static_cast<std::uint64_t>(t));
  w.u64(XXH3_64bits(label.data(), label.size()));
  w.u64(value);
  fold(w.buf, w.size);
  if (trace_ != nullptr) {
    std::string line = std::string(label) + " value=";
    char num[24];
    std::snprintf(num, sizeof num, "%016" PRIx64, value);
    trace_line(t, (line + num).c_str());
  }
}

std::string Digest::hex() const {
  char out[17];
  std::snprintf(out, sizeof out, "%016" PRIx64, value_);
  return out;
}

void Digest::record_per_event(std::size_t max_events) {
  per_event_max_ = max_events;
  per_event_.reserve(std::min<std::size_t>(max_events, 1u << 20));
}

std::optional<std::size_t> Digest::first_divergence(const std::vector<std::uint64_t>& a,
                                                    const std::vector<std::uint64_t>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return i;
  }
  return std::nullopt;
}

Status Digest::open_trace(const std::string& path) {
  close_trace();
  trace_ = std::fopen(path.c_str(), "w");
  if (trace_ == nullptr) return make_error("cannot open trace file '" + path + "' for writing");
  return {};
}

void Digest::close_trace() {
  if (trace_ != nullptr) std::fclose(trace_);
  trace_ = nullptr;
}

void Digest::trace_line(TimeUs t, const char* text) {
  std::fprintf(trace_, "t=%" PRId64 " %s digest=%016" PRIx64 "\n", t, text, value_);
}

}  // namespace mt::sim

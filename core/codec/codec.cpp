#include "core/codec/codec.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mt::codec {

void Writer::amount(Amount v) {
  u64(static_cast<std::uint64_t>(v));
  u64(static_cast<std::uint64_t>(v >> 64));
}

void Writer::bytes(ByteView v) {
  MT_ASSERT(v.size() <= kMaxBytesLen, "Writer::bytes: value above kMaxBytesLen");
  u32(static_cast<std::uint32_t>(v.size()));
  raw(v);
}

void Writer::str(std::string_view v) {
  MT_ASSERT(v.size() <= kMaxBytesLen, "Writer::str: value above kMaxBytesLen");
  u32(static_cast<std::uint32_t>(v.size()));
  raw(as_bytes(v));
}

void Writer::list_len(std::size_t n) {
  MT_ASSERT(n <= kMaxListLen, "Writer::list_len: list above kMaxListLen");
  u32(static_cast<std::uint32_t>(n));
}

void Reader::fail(std::string message) {
  if (error_.empty()) {
    error_ = fmt::format("{} at byte {}", std::move(message), pos_);
  }
}

ByteView Reader::take(std::size_t n) {
  if (!ok()) return {};
  if (remaining() < n) {
    fail(fmt::format("truncated input: need {} bytes, have {}", n, remaining()));
    return {};
  }
  ByteView v = data_.subspan(pos_, n);
  pos_ += n;
  return v;
}

std::uint64_t Reader::get_le(int width) {
  auto v = take(static_cast<std::size_t>(width));
  if (v.empty()) return 0;
  std::uint64_t out = 0;
  for (int i = 0; i < width; ++i) out |= std::uint64_t{v[static_cast<std::size_t>(i)]} << (8 * i);
  return out;
}

std::uint8_t Reader::u8() {
  auto v = take(1);
  return v.empty() ? 0 : v[0];
}

bool Reader::boolean() {
  auto b = u8();
  if (b > 1) fail(fmt::format("non-canonical bool {}", b));
  return b == 1;
}

Amount Reader::amount() {
  Amount lo = u64();
  Amount hi = u64();
  return lo | (hi << 64);
}

ByteView Reader::bytes_view(std::uint32_t max_len) {
  auto n = u32();
  if (!ok()) return {};
  if (n > max_len) {
    fail(fmt::format("length {} above limit {}", n, max_len));
    return {};
  }
  return take(n);
}

Bytes Reader::bytes(std::uint32_t max_len) {
  auto v = bytes_view(max_len);
  return Bytes(v.begin(), v.end());
}

std::string Reader::str(std::uint32_t max_len) {
  auto v = bytes_view(max_len);
  return std::string(v.begin(), v.end());
}

std::uint32_t Reader::list_len(std::uint32_t max_len, std::size_t min_elem_bytes) {
  auto n = u32();
  if (!ok()) return 0;
  if (n > max_len) {
    fail(fmt::format("list length {} above limit {}", n, max_len));
    return 0;
  }
  if (min_elem_bytes > 0 && std::size_t{n} > remaining() / min_elem_bytes) {
    fail(fmt::format("list length {} exceeds the bytes left", n));
    return 0;
  }
  return n;
}

std::uint8_t Reader::tag(std::uint8_t lo, std::uint8_t hi, std::string_view what) {
  auto t = u8();
  if (ok() && (t < lo || t > hi)) fail(fmt::format("unknown {} tag {}", std::string(what), t));
  return t;
}

Status Reader::finish() {
  if (!ok()) return make_error(error_);
  if (remaining() != 0) return make_error(fmt::format("{} trailing bytes", remaining()));
  return {};
}

}  // namespace mt::codec

// The one canonical binary encoding: fixed-width little-endian integers, u32 length prefixes,
// a u8 tag before every variant. Decoding is strict and bounded: a short read, an oversize
// length, a non-canonical bool or tag, or trailing bytes is an error, never a crash.
//
// Reader keeps a sticky error: decoders read every field and check `ok()` once at the end;
// after the first failure every read returns zero values and consumes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/amount.hpp"
#include "core/util/bytes.hpp"
#include "core/util/result.hpp"

namespace mt::codec {

// Limits on anything a decoder will allocate for; a peer cannot make us reserve more.
inline constexpr std::uint32_t kMaxBytesLen = 8u << 20;     // one byte string (a block body) at most 8 MiB
inline constexpr std::uint32_t kMaxStringLen = 256;         // names, chain ids
inline constexpr std::uint32_t kMaxListLen = 1u << 20;      // elements in one list

class Writer {
 public:
  Writer() = default;
  explicit Writer(std::size_t reserve) { buf_.reserve(reserve); }

  void u8(std::uint8_t v) { buf_.push_back(v); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void u16(std::uint16_t v) { put_le(v, 2); }
  void u32(std::uint32_t v) { put_le(v, 4); }
  void u64(std::uint64_t v) { put_le(v, 8); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void amount(Amount v);
  void raw(ByteView v) { buf_.insert(buf_.end(), v.begin(), v.end()); }
  template <std::size_t N>
  void fixed(const FixedBytes<N>& v) { raw(v.view()); }
  void bytes(ByteView v);          // u32 length, then the bytes
  void str(std::string_view v);    // u32 length, then UTF-8 bytes
  void list_len(std::size_t n);    // u32 element count

  [[nodiscard]] const Bytes& data() const { return buf_; }
  Bytes take() { return std::move(buf_); }

 private:
  void put_le(std::uint64_t v, int width) {
    for (int i = 0; i < width; ++i) buf_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  Bytes buf_;
};

class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}

  std::uint8_t u8();
  bool boolean();
  std::uint16_t u16() { return static_cast<std::uint16_t>(get_le(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(get_le(4)); }
  std::uint64_t u64() { return get_le(8); }
  std::int64_t i64() { return static_cast<std::int64_t>(get_le(8)); }
  Amount amount();
  template <std::size_t N>
  FixedBytes<N> fixed() {
    FixedBytes<N> out;
    auto v = take(N);
    if (v.size() == N) std::copy(v.begin(), v.end(), out.data.begin());
    return out;
  }
  Bytes bytes(std::uint32_t max_len = kMaxBytesLen);
  ByteView bytes_view(std::uint32_t max_len = kMaxBytesLen);
  std::string str(std::uint32_t max_len = kMaxStringLen);
  // Element count, checked against max_len and against the bytes left (each element needs at
  // least min_elem_bytes), so a forged count cannot make the caller reserve memory.
  std::uint32_t list_len(std::uint32_t max_len = kMaxListLen, std::size_t min_elem_bytes = 1);
  // Reads a tag and checks it is in [lo, hi].
  std::uint8_t tag(std::uint8_t lo, std::uint8_t hi, std::string_view what);

  void fail(std::string message);
  [[nodiscard]] bool ok() const { return error_.empty(); }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] std::size_t remaining() const { return data_.size() - pos_; }
  [[nodiscard]] std::size_t position() const { return pos_; }
  // Succeeds only when no read failed and every byte was consumed.
  Status finish();

 private:
  ByteView take(std::size_t n);
  std::uint64_t get_le(int width);

  ByteView data_;
  std::size_t pos_ = 0;
  std::string error_;
};

// Decodes a whole buffer with `decode(Reader&) -> T`, requiring every byte to be used.
template <class T, class F>
Result<T> decode_all(ByteView data, F&& decode, std::string_view what) {
  Reader r(data);
  T value = decode(r);
  if (auto st = r.finish(); !st.ok()) {
    return make_error(std::string(what) + ": " + st.error().message);
  }
  return value;
}

}  // namespace mt::codec

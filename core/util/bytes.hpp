// Byte containers shared by every layer: owned Bytes, read-only ByteView, fixed-size arrays
// (hashes, keys, signatures) with ordering and hex printing.
#pragma once

#include <array>
#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mt {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

std::string to_hex(ByteView bytes);
// Parses lowercase or uppercase hex; returns false on odd length or a non-hex digit.
bool from_hex(std::string_view hex, Bytes& out);

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

template <std::size_t N>
struct FixedBytes {
  static constexpr std::size_t size_bytes = N;
  std::array<std::uint8_t, N> data{};

  // Byte-wise lexicographic order, as the defaulted operators give, but compared eight bytes
  // at a time (big-endian words order exactly as their bytes do): addresses and hashes are map
  // keys on every hot path, and a 32-byte library memcmp call per comparison showed in profiles.
  constexpr std::strong_ordering operator<=>(const FixedBytes& o) const {
    if (std::is_constant_evaluated() || N % 8 != 0) return data <=> o.data;
    for (std::size_t i = 0; i < N; i += 8) {
      const std::uint64_t a = load_be64(i), b = o.load_be64(i);
      if (a != b) return a < b ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    return std::strong_ordering::equal;
  }
  constexpr bool operator==(const FixedBytes& o) const {
    if (std::is_constant_evaluated() || N % 8 != 0) return data == o.data;
    std::uint64_t diff = 0;
    for (std::size_t i = 0; i < N; i += 8) diff |= load_raw64(i) ^ o.load_raw64(i);
    return diff == 0;
  }

  [[nodiscard]] ByteView view() const { return {data.data(), N}; }
  [[nodiscard]] bool is_zero() const {
    for (auto b : data) {
      if (b != 0) return false;
    }
    return true;
  }
  [[nodiscard]] std::string hex() const { return to_hex(view()); }
  // First 8 hex digits: enough to tell blocks and keys apart in logs and reports.
  [[nodiscard]] std::string short_hex() const { return to_hex(view().first(4)); }
  // First 8 bytes little-endian; a cheap, well-mixed key for hash tables (inputs are hashes or keys).
  [[nodiscard]] std::uint64_t prefix64() const {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8 && i < N; ++i) v |= std::uint64_t{data[i]} << (8 * i);
    return v;
  }

 private:
  [[nodiscard]] std::uint64_t load_raw64(std::size_t at) const {
    std::uint64_t v;
    std::memcpy(&v, data.data() + at, 8);
    return v;
  }
  [[nodiscard]] std::uint64_t load_be64(std::size_t at) const {
    const std::uint64_t v = load_raw64(at);
    if constexpr (std::endian::native == std::endian::little) return __builtin_bswap64(v);
    return v;
  }
};

using Hash32 = FixedBytes<32>;
using PublicKey = FixedBytes<32>;
using Signature = FixedBytes<64>;
// An account or validator is named by its Ed25519 public key: a signature can be checked against
// the sender field directly, with no key registry.
using Address = PublicKey;

// Hasher for unordered containers keyed by FixedBytes. Lookup only: never iterate such a
// container where the order could reach an event, a message, a report or a digest.
struct FixedBytesHasher {
  template <std::size_t N>
  std::size_t operator()(const FixedBytes<N>& b) const noexcept {
    return static_cast<std::size_t>(b.prefix64());
  }
};

}  // namespace mt

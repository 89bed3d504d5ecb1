// A free-list allocator for many small, short- or long-lived objects of a few sizes (Merkle trie
// nodes): sizes are rounded up to 16-byte classes; each class carves its own 64 KiB slabs into
// slots and keeps freed slots on a free list, so allocate and deallocate are a few instructions
// and never call malloc on the steady path. Requests above kMaxPooledBytes go to operator new.
//
// Contract: one thread. A pool and every block it hands out belong to the thread that uses it
// (core/ and sim/ run no threads of their own). Slabs are returned to the system only when the
// pool is destroyed, so a pool's footprint is its peak use.
// Under AddressSanitizer every block comes from operator new, so a use after free or a leak of
// a pooled object is still reported.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mt {

class SizeClassPool {
 public:
  static constexpr std::size_t kGranuleBytes = 16;
  static constexpr std::size_t kMaxPooledBytes = 512;
  static constexpr std::size_t kSlabBytes = 64 * 1024;

  SizeClassPool() = default;
  SizeClassPool(const SizeClassPool&) = delete;
  SizeClassPool& operator=(const SizeClassPool&) = delete;
  ~SizeClassPool();

  // A block of at least `bytes` bytes (bytes > 0), aligned to 16 and, when the rounded size is a
  // multiple of 32 or 64, to that too within its slab. Release it with deallocate(p, same bytes).
  [[nodiscard]] void* allocate(std::size_t bytes);
  void deallocate(void* p, std::size_t bytes) noexcept;

  // Blocks handed out and not yet returned (tests check that nothing leaks).
  [[nodiscard]] std::uint64_t live_blocks() const { return live_blocks_; }

 private:
  struct FreeSlot {
    FreeSlot* next;
  };
  struct SizeClass {
    FreeSlot* free = nullptr;
    std::byte* bump = nullptr;  // next never-used slot in the current slab
    std::size_t bump_left_slots = 0;
  };
  static constexpr std::size_t kClasses = kMaxPooledBytes / kGranuleBytes;

  void* refill(SizeClass& c, std::size_t slot_bytes);

  std::array<SizeClass, kClasses> classes_{};
  std::vector<std::byte*> slabs_;
  std::uint64_t live_blocks_ = 0;
};

}  // namespace mt

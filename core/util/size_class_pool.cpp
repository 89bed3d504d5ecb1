#include "core/util/size_class_pool.hpp"

#include <new>

#include "core/util/assert.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define MT_POOL_BYPASS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MT_POOL_BYPASS 1
#endif
#endif
#ifndef MT_POOL_BYPASS
#define MT_POOL_BYPASS 0
#endif

namespace mt {

namespace {
constexpr std::align_val_t kSlabAlign{64};
}

SizeClassPool::~SizeClassPool() {
  for (std::byte* s : slabs_) ::operator delete(s, kSlabAlign);
}

void* SizeClassPool::allocate(std::size_t bytes) {
  MT_ASSERT(bytes > 0, "zero-byte pool allocation");
  ++live_blocks_;
  if (MT_POOL_BYPASS || bytes > kMaxPooledBytes) return ::operator new(bytes);
  const std::size_t index = (bytes - 1) / kGranuleBytes;
  SizeClass& c = classes_[index];
  if (c.free != nullptr) {
    FreeSlot* s = c.free;
    c.free = s->next;
    return s;
  }
  return refill(c, (index + 1) * kGranuleBytes);
}

void* SizeClassPool::refill(SizeClass& c, std::size_t slot_bytes) {
  if (c.bump_left_slots == 0) {
    auto* slab = static_cast<std::byte*>(::operator new(kSlabBytes, kSlabAlign));
    slabs_.push_back(slab);
    c.bump = slab;
    c.bump_left_slots = kSlabBytes / slot_bytes;
  }
  std::byte* p = c.bump;
  c.bump += slot_bytes;
  --c.bump_left_slots;
  return p;
}

void SizeClassPool::deallocate(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
  MT_ASSERT(live_blocks_ > 0, "pool deallocate without a live block");
  --live_blocks_;
  if (MT_POOL_BYPASS || bytes > kMaxPooledBytes) {
    ::operator delete(p);
    return;
  }
  SizeClass& c = classes_[(bytes - 1) / kGranuleBytes];
  c.free = ::new (p) FreeSlot{c.free};
}

}  // namespace mt

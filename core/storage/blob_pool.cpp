#include "core/storage/blob_pool.hpp"

#include <algorithm>
#include <cstring>

#include <xxhash.h>

namespace mt::storage {

BlobPtr BlobPool::intern(ByteView bytes) {
  const std::uint64_t key = XXH3_64bits(bytes.data(), bytes.size());
  auto& bucket = blobs_[key];
  for (const auto& weak : bucket) {
    if (BlobPtr alive = weak.lock();
        alive != nullptr && alive->size() == bytes.size() &&
        (bytes.empty() || std::memcmp(alive->data(), bytes.data(), bytes.size()) == 0)) {
      ++hits_;
      return alive;
    }
  }
  auto blob = std::make_shared<const Bytes>(bytes.begin(), bytes.end());
  bucket.push_back(blob);
  if (++entries_ >= sweep_at_) sweep();
  return blob;
}

void BlobPool::sweep() {
  entries_ = 0;
  for (auto it = blobs_.begin(); it != blobs_.end();) {
    auto& bucket = it->second;
    bucket.erase(std::remove_if(bucket.begin(), bucket.end(), [](const auto& w) { return w.expired(); }),
                 bucket.end());
    entries_ += bucket.size();
    it = bucket.empty() ? blobs_.erase(it) : std::next(it);
  }
  sweep_at_ = std::max<std::size_t>(64, 2 * entries_);  // amortised O(1) per intern
}

std::size_t BlobPool::live_blobs() const {
  std::size_t n = 0;
  for (const auto& [key, bucket] : blobs_) {
    n += static_cast<std::size_t>(std::count_if(bucket.begin(), bucket.end(), [](const auto& w) { return !w.expired(); }));
  }
  return n;
}

}  // namespace mt::storage

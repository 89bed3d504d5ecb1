// Identical immutable byte strings held once per process: the in-memory stores of a simulation
// intern their block bytes here, so two hundred nodes storing the same finalized block hold one
// copy of it instead of two hundred.
//
// A simulation shortcut in the sense of DESIGN.md §3: a blob is shared only when its bytes are
// exactly equal (compared in full, never trusted to a hash), blobs are immutable, and a store
// that interns still answers every query with the same bytes, so sharing cannot change an
// outcome (tested: same digests with and without). The pool holds weak references: a blob lives
// while some store still holds its row.
//
//   auto pool = std::make_shared<BlobPool>();
//   auto store = Store::open_in_memory(pool);    // block bytes go to the pool
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/util/bytes.hpp"

namespace mt::storage {

using BlobPtr = std::shared_ptr<const Bytes>;

class BlobPool {
 public:
  // The pool's copy of `bytes`: an existing one when an equal blob is alive, else a new one.
  [[nodiscard]] BlobPtr intern(ByteView bytes);

  [[nodiscard]] std::size_t live_blobs() const;  // blobs some holder still references
  [[nodiscard]] std::uint64_t shared_hits() const { return hits_; }

 private:
  void sweep();  // forgets blobs nobody holds any more

  // Keyed by a fast hash of the bytes; each bucket lists the blobs with that hash (equal bytes
  // are checked in full). Only looked up and swept, never iterated into an output.
  std::unordered_map<std::uint64_t, std::vector<std::weak_ptr<const Bytes>>> blobs_;
  std::size_t entries_ = 0;
  std::size_t sweep_at_ = 64;
  std::uint64_t hits_ = 0;
};

}  // namespace mt::storage

// A move-only `void()` callable stored inline (no allocation) when it fits in kInlineBytes,
// on the heap otherwise. The scheduler's hot loop stores one per pending event, so capturing a
// pointer, two ids and a shared_ptr costs no malloc (std::function would allocate for that).
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include "core/util/assert.hpp"

namespace mt::sim {

class InlineFunction {
 public:
  static constexpr std::size_t kInlineBytes = 40;

  InlineFunction() = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InlineFunction>>>
  InlineFunction(F&& f) {  // NOLINT(google-explicit-constructor): lambdas convert implicitly
    emplace(std::forward<F>(f));
  }
  InlineFunction(InlineFunction&& other) noexcept { move_from(other); }
  InlineFunction& operator=(InlineFunction&& other) noexcept {
    if (this != &other) {
      reset();
      move_from(other);
    }
    return *this;
  }
  InlineFunction(const InlineFunction&) = delete;
  InlineFunction& operator=(const InlineFunction&) = delete;
  ~InlineFunction() { reset(); }

  // Replaces the held callable, constructing the new one in place.
  template <class F>
  void assign(F&& f) {
    reset();
    emplace(std::forward<F>(f));
  }

  // assign() into an InlineFunction the caller knows is empty (reset, or never assigned). It
  // never reads the old state: for the scheduler's recycled slots that read is a cache miss
  // that stalls, where the writes alone do not.
  template <class F>
  void assign_empty(F&& f) {
    emplace(std::forward<F>(f));
  }

  explicit operator bool() const { return ops_ != nullptr; }
  void operator()() {
    MT_ASSERT(ops_ != nullptr, "calling an empty InlineFunction");
    ops_->invoke(buf_);
  }
  void reset() {
    if (ops_ != nullptr && ops_->destroy != nullptr) ops_->destroy(buf_);
    ops_ = nullptr;
  }

 private:
  struct Ops {
    void (*invoke)(void*);
    void (*destroy)(void*);                 // null when trivially destructible
    void (*relocate)(void* dst, void* src); // move-construct into dst, destroy src
  };

  template <class F>
  static constexpr bool kFitsInline = sizeof(F) <= kInlineBytes &&
                                      alignof(F) <= alignof(std::max_align_t) &&
                                      std::is_nothrow_move_constructible_v<F>;

  template <class F>
  static const Ops* inline_ops() {
    static constexpr Ops ops{
        [](void* p) { (*static_cast<F*>(p))(); },
        std::is_trivially_destructible_v<F> ? nullptr : +[](void* p) { static_cast<F*>(p)->~F(); },
        [](void* dst, void* src) {
          ::new (dst) F(std::move(*static_cast<F*>(src)));
          static_cast<F*>(src)->~F();
        }};
    return &ops;
  }
  template <class F>
  static const Ops* heap_ops() {
    static constexpr Ops ops{
        [](void* p) { (**static_cast<F**>(p))(); },
        [](void* p) { delete *static_cast<F**>(p); },
        [](void* dst, void* src) { *static_cast<F**>(dst) = *static_cast<F**>(src); }};
    return &ops;
  }

  template <class F>
  void emplace(F&& f) {
    using D = std::decay_t<F>;
    if constexpr (kFitsInline<D>) {
      ::new (static_cast<void*>(buf_)) D(std::forward<F>(f));
      ops_ = inline_ops<D>();
    } else {
      *reinterpret_cast<D**>(buf_) = new D(std::forward<F>(f));
      ops_ = heap_ops<D>();
    }
  }
  void move_from(InlineFunction& other) noexcept {
    if (other.ops_ == nullptr) return;
    other.ops_->relocate(buf_, other.buf_);
    ops_ = other.ops_;
    other.ops_ = nullptr;
  }

  alignas(std::max_align_t) unsigned char buf_[kInlineBytes];
  const Ops* ops_ = nullptr;
};

}  // namespace mt::sim

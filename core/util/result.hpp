// Operating errors are values (STYLE.md 11): bad input, a peer's garbage, an invalid transaction.
// Programmer errors use MT_ASSERT (util/assert.hpp) and crash loudly.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "core/util/assert.hpp"

namespace mt {

struct Error {
  std::string message;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}    // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    MT_ASSERT(ok(), "Result::value() on an error: " + std::get<1>(v_).message);
    return std::get<0>(v_);
  }
  const T& value() const& {
    MT_ASSERT(ok(), "Result::value() on an error: " + std::get<1>(v_).message);
    return std::get<0>(v_);
  }
  T&& value() && {
    MT_ASSERT(ok(), "Result::value() on an error: " + std::get<1>(v_).message);
    return std::get<0>(std::move(v_));
  }
  [[nodiscard]] const Error& error() const {
    MT_ASSERT(!ok(), "Result::error() on a value");
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

  [[nodiscard]] bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const {
    MT_ASSERT(failed_, "Status::error() on success");
    return error_;
  }

 private:
  Error error_;
  bool failed_ = false;
};

inline Error make_error(std::string message) { return Error{std::move(message)}; }

}  // namespace mt

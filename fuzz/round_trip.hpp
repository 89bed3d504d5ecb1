// The property every decoder's fuzz target checks: decoding arbitrary bytes never crashes, hangs
// or over-allocates (ASan/UBSan and libFuzzer's limits catch those), and whatever decodes is
// canonical: encoding the decoded value gives back exactly the input, and that decodes again.
//
// T needs `static T decode(codec::Reader&)` and `void encode(codec::Writer&) const`, the shape
// of every wire type in core/. A target is one line in fuzz/CMakeLists.txt (mtsim_add_fuzzer).
#pragma once

#include <cstdio>
#include <cstdlib>

#include "core/codec/codec.hpp"
#include "core/util/bytes.hpp"

namespace mt::fuzz {

[[noreturn]] inline void fail(const char* what, ByteView input) {
  std::fprintf(stderr, "fuzz property violated: %s (input %zu bytes)\n", what, input.size());
  std::abort();
}

template <class T>
void check_round_trip(ByteView input) {
  codec::Reader r(input);
  T value = T::decode(r);
  if (!r.finish().ok()) return;  // rejected cleanly: what a strict decoder should do with garbage
  codec::Writer w(input.size());
  value.encode(w);
  const Bytes& again = w.data();
  if (again.size() != input.size() || !std::equal(again.begin(), again.end(), input.begin())) {
    fail("decode succeeded but re-encoding differs from the input (non-canonical encoding accepted)", input);
  }
  codec::Reader r2(again);
  (void)T::decode(r2);
  if (!r2.finish().ok()) fail("the re-encoded value does not decode", input);
}

}  // namespace mt::fuzz

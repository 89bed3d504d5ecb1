// libFuzzer target for the testnet handshake's hello (testnet/handshake.hpp): decoding arbitrary
// bytes never crashes, whatever decodes is canonical (re-encoding gives the input back), and
// checking it against our own hello never crashes either.
#include <cstdio>
#include <cstdlib>

#include "testnet/handshake.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto h = mt::testnet::decode_hello(mt::ByteView(data, size));
  if (!h.ok()) return 0;
  const mt::Bytes again = mt::testnet::encode_hello(h.value());
  if (again != mt::Bytes(data, data + size)) {
    std::fprintf(stderr, "fuzz property violated: a non-canonical hello decoded\n");
    std::abort();
  }
  mt::testnet::Hello ours;
  ours.chain_id = "moderntensor-testnet";
  (void)mt::testnet::check_hello(ours, h.value(), 4);
  return 0;
}

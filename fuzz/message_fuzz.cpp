// libFuzzer target for the node's wire codec (core/node/message_codec.hpp): the first input byte
// is the message kind, the rest its payload — exactly what a peer controls. Decoding never
// crashes, hangs or over-allocates, and whatever decodes is canonical: encoding the decoded
// message gives back the same kind and payload. Gossip batches are checked item by item too,
// since a node decodes each item on its own.
#include <cstdio>
#include <cstdlib>

#include "core/node/message_codec.hpp"

namespace {

[[noreturn]] void fail(const char* what, std::size_t size) {
  std::fprintf(stderr, "fuzz property violated: %s (input %zu bytes)\n", what, size);
  std::abort();
}

void check(const mt::WireMessage& wire, std::size_t size, int depth) {
  auto decoded = mt::decode_message(wire);
  if (!decoded.ok()) return;  // rejected cleanly
  const mt::WirePtr again = mt::encode_message(decoded.value());
  if (again->kind != wire.kind || again->payload() != wire.payload()) {
    fail("decode succeeded but re-encoding differs from the input (non-canonical encoding accepted)", size);
  }
  if (const auto* batch = std::get_if<mt::GossipBatch>(&decoded.value()); batch != nullptr && depth == 0) {
    for (const auto& item : batch->items) check(*item, size, depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  mt::WireMessage wire;
  wire.kind = static_cast<mt::MsgKind>(data[0]);
  wire.mutable_payload().assign(data + 1, data + size);
  check(wire, size, 0);
  return 0;
}

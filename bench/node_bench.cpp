// Node wire path: strict decode of a proposal carrying a full 4,000-tx block, fresh versus a hit
// on the decode memo every later receiver of the same shared WireMessage gets.
#include <benchmark/benchmark.h>

#include <memory>

#include "core/crypto/keys.hpp"
#include "core/node/message_codec.hpp"

using namespace mt;

namespace {

WirePtr proposal_wire(std::size_t ntx) {
  const auto alice = crypto::KeyPair::from_label("bench-alice");
  const auto bob = crypto::KeyPair::from_label("bench-bob").public_key();
  auto b = std::make_shared<Block>();
  b->header.chain_id = "moderntensor-testnet";
  b->header.height = 2;
  for (std::size_t i = 0; i < ntx; ++i) {
    Transaction tx;
    tx.chain_id = "moderntensor-testnet";
    tx.sender = alice.public_key();
    tx.nonce = i;
    tx.fee = 10;
    tx.payload = Transfer{bob, 1000};
    tx.sign(alice, crypto::Backend::fast);
    b->txs.push_back(SignedTx::make(tx));
  }
  b->header.tx_root = b->compute_tx_root();
  Proposal p;
  p.height = 2;
  p.block = b;
  p.proposer = alice.public_key();
  p.sign(alice, "moderntensor-testnet", crypto::Backend::fast);
  return encode_message(Message(p));
}

void BM_DecodeProposalFresh(benchmark::State& state) {
  WirePtr w = proposal_wire(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(decode_message_shared(*w, false));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(w->size_bytes()));
}
BENCHMARK(BM_DecodeProposalFresh)->Arg(4000)->Unit(benchmark::kMicrosecond);

void BM_DecodeProposalMemoHit(benchmark::State& state) {
  WirePtr w = proposal_wire(static_cast<std::size_t>(state.range(0)));
  (void)decode_message_shared(*w, true);
  for (auto _ : state) benchmark::DoNotOptimize(decode_message_shared(*w, true));
}
BENCHMARK(BM_DecodeProposalMemoHit)->Arg(4000)->Unit(benchmark::kMicrosecond);

}  // namespace

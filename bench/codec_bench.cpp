// Codec speed: encoding and strict decoding of one transaction and of a full 4,000-tx block
// (the default Params::max_block_txs), the sizes a node handles on every gossip and sync.
#include <benchmark/benchmark.h>

#include "core/chain/block.hpp"
#include "core/chain/transaction.hpp"
#include "core/crypto/keys.hpp"

using namespace mt;

namespace {

Transaction sample_tx(std::uint64_t nonce) {
  static const auto alice = crypto::KeyPair::from_label("bench-alice");
  static const auto bob = crypto::KeyPair::from_label("bench-bob").public_key();
  Transaction tx;
  tx.chain_id = "moderntensor-testnet";
  tx.sender = alice.public_key();
  tx.nonce = nonce;
  tx.fee = 10;
  tx.payload = Transfer{bob, 1'000 + nonce};
  tx.sign(alice, crypto::Backend::fast);
  return tx;
}

Block sample_block(std::size_t ntx) {
  Block b;
  b.header.chain_id = "moderntensor-testnet";
  b.header.height = 2;
  for (std::size_t i = 0; i < ntx; ++i) b.txs.push_back(SignedTx::make(sample_tx(i)));
  b.header.tx_root = b.compute_tx_root();
  b.header.evidence_root = b.compute_evidence_root();
  b.header.last_commit_hash = b.last_commit.hash();
  return b;
}

}  // namespace

static void BM_TxEncode(benchmark::State& state) {
  Transaction tx = sample_tx(1);
  for (auto _ : state) {
    codec::Writer w(192);
    tx.encode(w);
    benchmark::DoNotOptimize(w.data().data());
  }
}
BENCHMARK(BM_TxEncode);

// SignedTx::decode: strict decode plus the tx hash every node computes on receipt.
static void BM_TxDecode(benchmark::State& state) {
  Bytes bytes = SignedTx::make(sample_tx(1))->encoded();
  for (auto _ : state) benchmark::DoNotOptimize(SignedTx::decode(bytes));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * static_cast<std::int64_t>(bytes.size())));
}
BENCHMARK(BM_TxDecode);

static void BM_BlockEncode_4000Tx(benchmark::State& state) {
  Block b = sample_block(4000);
  std::size_t size = b.encode().size();
  for (auto _ : state) benchmark::DoNotOptimize(b.encode());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * static_cast<std::int64_t>(size)));
  state.counters["block_bytes"] = static_cast<double>(size);
}
BENCHMARK(BM_BlockEncode_4000Tx)->Unit(benchmark::kMicrosecond);

// Strict decode of every tx (hash included) and the body checks' tx root.
static void BM_BlockDecode_4000Tx(benchmark::State& state) {
  Bytes bytes = sample_block(4000).encode();
  for (auto _ : state) {
    auto b = Block::decode(bytes);
    benchmark::DoNotOptimize(b);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * static_cast<std::int64_t>(bytes.size())));
  state.counters["tx_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()) * 4000,
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BlockDecode_4000Tx)->Unit(benchmark::kMicrosecond);

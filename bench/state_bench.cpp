// The state transition and the authenticated map: a 1,000-transfer block applied to a state
// of 100,000 accounts (signatures pre-verified, root included), and the cost of a new root
// after k updates.
#include <benchmark/benchmark.h>

#include <algorithm>

#include "core/crypto/hash.hpp"
#include "core/state/genesis.hpp"
#include "core/state/merkle_map.hpp"
#include "core/state/transition.hpp"
#include "core/state/transition_cache.hpp"

using namespace mt;
using namespace mt::state;

namespace {

constexpr std::size_t kAccounts = 100'000;
constexpr std::size_t kTransfers = 1'000;

struct TransferBlock {
  StatePtr parent;
  Block block;
  crypto::Verifier verifier{crypto::Backend::real};
};

// Genesis with kAccounts funded accounts; a block of kTransfers transfers from distinct senders
// to spread recipients, built by the producer path. The verifier has seen every signature.
TransferBlock& transfer_block() {
  static TransferBlock* fixture = [] {
    auto* f = new TransferBlock();
    GenesisConfig g;
    g.params.chain_id = "bench";
    g.params.max_block_txs = kTransfers;
    g.genesis_time_ms = 1;
    std::vector<crypto::KeyPair> senders;
    for (std::size_t i = 0; i < 4; ++i) {
      g.validators.push_back({crypto::KeyPair::from_label("val" + std::to_string(i)).public_key(), 1'000'000});
    }
    for (std::size_t i = 0; i < kAccounts; ++i) {
      Address a;
      if (i < kTransfers) {
        senders.push_back(crypto::KeyPair::from_label("sender" + std::to_string(i)));
        a = senders.back().public_key();
      } else {
        a = crypto::blake2b256(as_bytes("account" + std::to_string(i)));
      }
      g.accounts.push_back({a, 1'000'000});
    }
    f->parent = make_genesis(g).value();
    std::vector<TxPtr> txs;
    for (std::size_t i = 0; i < kTransfers; ++i) {
      Transaction t;
      t.chain_id = "bench";
      t.sender = senders[i].public_key();
      t.nonce = 0;
      t.fee = 10;
      t.payload = Transfer{g.accounts[(i * 7919 + 1234) % kAccounts].address, 100};
      t.sign(senders[i], crypto::Backend::real);
      txs.push_back(SignedTx::make(std::move(t)));
    }
    BlockHeader h;
    h.chain_id = "bench";
    h.height = 1;
    h.parent_hash = f->parent->last_block_hash();
    h.timestamp_ms = 3001;
    h.proposer = f->parent->validator_set().proposer();
    auto built = build_block(f->parent, h, txs, {}, Commit{}, f->verifier);
    MT_ASSERT(built.ok() && built.value().block->txs.size() == kTransfers, "bench block did not build");
    f->block = *built.value().block;
    return f;
  }();
  return *fixture;
}

}  // namespace

static void BM_ApplyBlockTransfers(benchmark::State& state) {
  auto& f = transfer_block();
  for (auto _ : state) {
    auto next = apply_block(f.parent, f.block, f.verifier);
    MT_ASSERT(next.ok(), "bench block failed to apply");
    benchmark::DoNotOptimize(next.value()->root());
  }
  state.counters["tx_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kTransfers, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ApplyBlockTransfers)->Unit(benchmark::kMillisecond);

// 200 nodes applying the same block through the shared cache: one computation, 199 lookups.
static void BM_ApplyBlockCachedFor200Nodes(benchmark::State& state) {
  auto& f = transfer_block();
  for (auto _ : state) {
    TransitionCache cache(16);
    for (int node = 0; node < 200; ++node) benchmark::DoNotOptimize(cache.apply(f.parent, f.block, f.verifier).ok());
  }
  state.counters["node_applies_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * 200, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ApplyBlockCachedFor200Nodes)->Unit(benchmark::kMillisecond);

static void BM_StateRootAfterUpdates(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  std::vector<MerkleWrite> all;
  for (std::size_t i = 0; i < kAccounts; ++i) all.push_back({crypto::blake2b256(as_bytes(std::to_string(i))), Bytes(40, 1)});
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  const MerkleMap base = MerkleMap().apply(all);
  std::vector<MerkleWrite> batch;
  for (std::size_t i = 0; i < k; ++i) batch.push_back({all[(i * 7919) % kAccounts].key, Bytes(40, 2)});
  std::sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  batch.erase(std::unique(batch.begin(), batch.end(), [](const auto& a, const auto& b) { return a.key == b.key; }),
              batch.end());
  for (auto _ : state) benchmark::DoNotOptimize(base.apply(batch).root());
  state.counters["updates_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(batch.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StateRootAfterUpdates)->Arg(1)->Arg(100)->Arg(1000)->Arg(10000);

static void BM_VerifyAccountProof(benchmark::State& state) {
  auto& f = transfer_block();
  const Address a = f.block.txs[0]->tx().sender;
  const MerkleProof proof = f.parent->prove_account(a);
  for (auto _ : state) benchmark::DoNotOptimize(verify_account_proof(f.parent->root(), a, proof).ok());
}
BENCHMARK(BM_VerifyAccountProof);

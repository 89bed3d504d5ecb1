// Signature verification, cold and through the shared cache, and BLAKE2b.
#include <benchmark/benchmark.h>

#include "core/chain/transaction.hpp"
#include "core/crypto/hash.hpp"
#include "core/crypto/keys.hpp"
#include "core/crypto/verifier.hpp"

using namespace mt;

static void BM_Verify_Cold(benchmark::State& state) {
  auto k = crypto::KeyPair::from_label("bench");
  Bytes msg(128, 7);
  auto sig = k.sign(msg, crypto::Backend::real);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::verify_uncached(k.public_key(), msg, sig, crypto::Backend::real));
  state.counters["verify_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Verify_Cold);

// What each validator pays for each vote it casts (two per height): with BM_Verify_Cold, the
// signature floor of a run, which no sharing can remove.
static void BM_Sign(benchmark::State& state) {
  auto k = crypto::KeyPair::from_label("bench");
  Bytes msg(128, 7);
  for (auto _ : state) {
    msg[0] = static_cast<std::uint8_t>(msg[0] + 1);
    benchmark::DoNotOptimize(k.sign(msg, crypto::Backend::real));
  }
  state.counters["sign_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Sign);

static void BM_Verify_Cached(benchmark::State& state) {
  auto k = crypto::KeyPair::from_label("bench");
  Bytes msg(128, 7);
  auto sig = k.sign(msg, crypto::Backend::real);
  crypto::Verifier v(crypto::Backend::real);
  (void)v.verify(k.public_key(), msg, sig);
  for (auto _ : state) benchmark::DoNotOptimize(v.verify(k.public_key(), msg, sig));
  state.counters["verify_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Verify_Cached);

// The path a node takes for a gossiped tx it has seen before: signing hash recomputed from the
// fields, then a cache hit. Compare with BM_Verify_Cold for the cached/cold ratio.
static void BM_Verify_TxCached(benchmark::State& state) {
  auto k = crypto::KeyPair::from_label("bench");
  Transaction tx;
  tx.chain_id = "moderntensor-testnet";
  tx.sender = k.public_key();
  tx.fee = 10;
  tx.payload = Transfer{k.public_key(), 5};
  tx.sign(k, crypto::Backend::real);
  auto stx = SignedTx::make(tx);
  crypto::Verifier v(crypto::Backend::real);
  (void)stx->signature_valid(v);
  for (auto _ : state) benchmark::DoNotOptimize(stx->signature_valid(v));
  state.counters["verify_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Verify_TxCached);

static void BM_Verify_Fast(benchmark::State& state) {
  auto k = crypto::KeyPair::from_label("bench");
  Bytes msg(128, 7);
  auto sig = k.sign(msg, crypto::Backend::fast);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::verify_uncached(k.public_key(), msg, sig, crypto::Backend::fast));
}
BENCHMARK(BM_Verify_Fast);

static void BM_Blake2b256_64B(benchmark::State& state) {
  Bytes msg(64, 1);
  for (auto _ : state) benchmark::DoNotOptimize(crypto::blake2b256(msg));
}
BENCHMARK(BM_Blake2b256_64B);

#include "cli/cost_measure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <time.h>
#include <unistd.h>

#include "cli/cost_measure_transport.hpp"
#include "core/crypto/hash.hpp"
#include "core/crypto/keys.hpp"
#include "core/crypto/verifier.hpp"
#include "core/state/genesis.hpp"
#include "core/state/transition.hpp"
#include "core/storage/store.hpp"
#include "sim/scenario/units.hpp"

namespace mt::cli {
namespace {

using Clock = std::chrono::steady_clock;

// What a measurement counts: this thread's CPU time (user + kernel; a shared host's other
// processes do not inflate it), or wall time (an operation that waits on the disk, which holds a
// single-threaded node as long).
enum class Meter : std::uint8_t { cpu, wall };

double thread_cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// Runs `op` in doubling batches until `budget` of wall time is spent; mean nanoseconds per call
// on `meter`.
MeasuredOp time_op(std::string key, std::string how, std::chrono::milliseconds budget, const std::function<void()>& op,
                   Meter meter = Meter::cpu) {
  op();  // warm up (first-use allocations, caches)
  std::uint64_t done = 0, batch = 1;
  const auto start = Clock::now();
  const double cpu_start = thread_cpu_ns();
  auto elapsed = Clock::duration::zero();
  while (elapsed < budget) {
    for (std::uint64_t i = 0; i < batch; ++i) op();
    done += batch;
    batch = std::min<std::uint64_t>(batch * 2, 1u << 16);
    elapsed = Clock::now() - start;
  }
  const double ns = meter == Meter::cpu
                        ? thread_cpu_ns() - cpu_start
                        : static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count());
  return MeasuredOp{std::move(key), std::move(how), ns / static_cast<double>(done), done};
}

// Genesis with `senders` funded accounts and a block of one transfer from each, built by the
// producer path (as bench/state_bench.cpp does); the verifier has seen every signature.
struct BlockFixture {
  state::StatePtr parent;
  Block full;
  Block empty;
  crypto::Verifier verifier{crypto::Backend::real};
};

Block make_block(const BlockFixture& f, const std::vector<TxPtr>& txs, crypto::Verifier& verifier) {
  BlockHeader h;
  h.chain_id = "calibrate";
  h.height = 1;
  h.parent_hash = f.parent->last_block_hash();
  h.timestamp_ms = 3001;
  h.proposer = f.parent->validator_set().proposer();
  auto built = state::build_block(f.parent, h, txs, {}, Commit{}, verifier);
  MT_ASSERT(built.ok() && built.value().block->txs.size() == txs.size(), "calibration block did not build");
  return *built.value().block;
}

std::unique_ptr<BlockFixture> block_fixture(std::size_t senders) {
  auto f = std::make_unique<BlockFixture>();
  state::GenesisConfig g;
  g.params.chain_id = "calibrate";
  g.params.max_block_txs = static_cast<std::uint32_t>(senders);
  g.genesis_time_ms = 1;
  for (std::size_t i = 0; i < 4; ++i) {
    g.validators.push_back({crypto::KeyPair::from_label(fmt::format("calibrate-val{}", i)).public_key(), 1'000'000});
  }
  std::vector<crypto::KeyPair> keys;
  for (std::size_t i = 0; i < senders; ++i) {
    keys.push_back(crypto::KeyPair::from_label(fmt::format("calibrate-sender{}", i)));
    g.accounts.push_back({keys.back().public_key(), 1'000'000});
  }
  f->parent = state::make_genesis(g).value();
  std::vector<TxPtr> txs;
  for (std::size_t i = 0; i < senders; ++i) {
    Transaction t;
    t.chain_id = "calibrate";
    t.sender = keys[i].public_key();
    t.fee = 10;
    t.payload = Transfer{keys[(i * 7 + 1) % senders].public_key(), 100};
    t.sign(keys[i], crypto::Backend::real);
    txs.push_back(SignedTx::make(std::move(t)));
  }
  f->full = make_block(*f, txs, f->verifier);
  f->empty = make_block(*f, {}, f->verifier);
  return f;
}

std::vector<MeasuredOp> measure_crypto(std::chrono::milliseconds budget) {
  const auto k = crypto::KeyPair::from_label("calibrate");
  Bytes msg(128, 7);
  const auto sig = k.sign(msg, crypto::Backend::real);
  crypto::Verifier cache(crypto::Backend::real);
  (void)cache.verify(k.public_key(), msg, sig);
  Bytes kib(1024, 1);
  Bytes varied = msg;
  std::vector<MeasuredOp> out;
  out.push_back(time_op("verify", "Ed25519 verification of 128 B, uncached", budget, [&] {
    MT_ASSERT(crypto::verify_uncached(k.public_key(), msg, sig, crypto::Backend::real), "calibration signature invalid");
  }));
  out.push_back(time_op("verify_known", "verification through the verifier's cache", budget, [&] {
    MT_ASSERT(cache.verify(k.public_key(), msg, sig), "calibration signature invalid");
  }));
  out.push_back(time_op("sign", "Ed25519 signature of 128 B", budget, [&] {
    varied[0] = static_cast<std::uint8_t>(varied[0] + 1);
    MT_ASSERT(!k.sign(varied, crypto::Backend::real).is_zero(), "empty signature");
  }));
  out.push_back(time_op("hash_per_kib", "BLAKE2b-256 of 1 KiB", budget, [&] {
    kib[0] = static_cast<std::uint8_t>(kib[0] + 1);
    MT_ASSERT(!crypto::blake2b256(kib).is_zero(), "zero hash");
  }));
  return out;
}

// Block overhead = applying an empty block; per tx = (a full block - an empty one) / its txs;
// store = one durable write of the full block and a commit to an on-disk SQLite store.
std::vector<MeasuredOp> measure_blocks(std::chrono::milliseconds budget) {
  constexpr std::size_t kTxs = 500;
  auto f = block_fixture(kTxs);
  std::vector<MeasuredOp> out;
  out.push_back(time_op("block_overhead", "applying an empty block (roots, header)", budget, [&] {
    MT_ASSERT(state::apply_block(f->parent, f->empty, f->verifier).ok(), "calibration block failed");
  }));
  MeasuredOp full = time_op("execute_tx", fmt::format("applying a {}-transfer block, minus an empty one, per tx", kTxs),
                            budget, [&] { MT_ASSERT(state::apply_block(f->parent, f->full, f->verifier).ok(), "calibration block failed"); });
  full.ns_per_op = std::max(0.0, (full.ns_per_op - out.back().ns_per_op) / static_cast<double>(kTxs));
  out.push_back(full);
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("mtsim-calibrate-{}", ::getpid());
  std::filesystem::create_directories(dir);
  {
    auto store = storage::Store::open((dir / "store.sqlite").string()).value();
    const Bytes block_bytes = f->full.encode();
    const Bytes commit(200, 3);
    std::uint64_t height = 0;
    out.push_back(time_op("store_block", fmt::format("durable write of a {}-transfer block ({} B) and a commit", kTxs, block_bytes.size()),
                          budget, [&] {
      ++height;
      Hash32 hash = crypto::blake2b256(as_bytes(fmt::format("calibrate-block{}", height)));
      MT_ASSERT(store->write_block(height, hash, block_bytes, commit).ok(), "calibration store write failed");
    }, Meter::wall));
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return out;
}

TimeUs whole_us(double ns) { return std::max<TimeUs>(1, static_cast<TimeUs>(std::llround(ns / 1000.0))); }

}  // namespace

Calibration measure_costs(std::chrono::milliseconds budget) {
  Calibration c;
  c.ops = measure_crypto(budget);
  for (auto& op : measure_blocks(budget)) c.ops.push_back(std::move(op));
  auto transport = measure_transport(budget);
  if (transport.ok()) {
    for (auto& op : transport.value()) c.ops.push_back(std::move(op));
  } else {
    c.skipped.push_back("send_message, receive_message: " + transport.error().message);
  }
  for (const auto& op : c.ops) {
    const TimeUs us = whole_us(op.ns_per_op);
    if (op.key == "verify") c.costs.verify_us = us;
    if (op.key == "verify_known") c.costs.verify_known_us = us;
    if (op.key == "sign") c.costs.sign_us = us;
    if (op.key == "hash_per_kib") c.costs.hash_per_kib_us = us;
    if (op.key == "block_overhead") c.costs.block_overhead_us = us;
    if (op.key == "execute_tx") c.costs.execute_tx_us = us;
    if (op.key == "store_block") c.costs.store_block_us = us;
    if (op.key == "send_message") c.costs.send_message_us = us;
    if (op.key == "receive_message") c.costs.receive_message_us = us;
  }
  return c;
}

std::string costs_yaml(const Calibration& c, const std::string& provenance) {
  std::string out = "# Per-operation CPU costs measured by `mtsim calibrate` (docs/cost-model.md).\n";
  out += "# " + provenance + "\n";
  out += "# A scenario uses them with `extends: <this file>`; means per operation:\n";
  for (const auto& op : c.ops) {
    out += fmt::format("#   {:<15} {:>10.2f} us  ({} runs: {})\n", op.key, op.ns_per_op / 1000.0, op.iterations, op.how);
  }
  for (const auto& why : c.skipped) out += "#   not measured (the default kept): " + why + "\n";
  out += "costs:\n";
  for (const auto& op : c.ops) {
    out += fmt::format("  {}: {}\n", op.key, sim::format_duration(whole_us(op.ns_per_op)));
  }
  return out;
}

}  // namespace mt::cli

// The AI layer's epoch step: the pure integer Yuma computation on an n x n weight matrix (every
// neuron a validator weighing every other), and the whole in-state step for a 256-neuron subnet
// (read neurons and weight rows, score, split emission, pay, write every neuron, new root).
#include <benchmark/benchmark.h>

#include "core/state/genesis.hpp"
#include "core/state/state_builder.hpp"
#include "core/state/subnet/epoch.hpp"
#include "core/state/subnet/store.hpp"
#include "core/state/transition.hpp"
#include "core/state/subnet/yuma_scoring.hpp"

using namespace mt;
using namespace mt::state;

namespace {

std::uint16_t pseudo_weight(std::size_t i, std::size_t j) {
  return static_cast<std::uint16_t>(1 + (i * 7919 + j * 104729) % 65535);
}

YumaInput dense_input(std::size_t n) {
  YumaInput in;
  in.stake.assign(n, Amount{0});
  in.permit.assign(n, true);
  in.weights.assign(n, {});
  for (std::size_t i = 0; i < n; ++i) {
    in.stake[i] = 1000 + i * 37;
    for (std::size_t j = 0; j < n; ++j) in.weights[i].push_back({static_cast<std::uint16_t>(j), pseudo_weight(i, j)});
  }
  return in;
}

void BM_YumaEpoch(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const YumaInput in = dense_input(n);
  for (auto _ : state) benchmark::DoNotOptimize(yuma_epoch(in));
  state.counters["weights"] = static_cast<double>(n * n);
}
BENCHMARK(BM_YumaEpoch)->Arg(64)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);

struct SubnetFixture {
  StatePtr state;  // after a block in which all 256 neurons set a full row
  Params params;
  Address proposer;
};

// Genesis: one subnet of 256 staked neurons (tempo 1000, so no step runs yet); block 1 carries
// 256 set_weights transactions (fast crypto), built by the producer path.
SubnetFixture& subnet_fixture() {
  static SubnetFixture* fixture = [] {
    auto* f = new SubnetFixture();
    constexpr std::size_t n = 256;
    GenesisConfig g;
    g.params.chain_id = "bench";
    g.genesis_time_ms = 1;
    auto val = crypto::KeyPair::from_label("bench-val");
    g.validators.push_back({val.public_key(), 1'000'000});
    GenesisSubnet sn;
    sn.owner = val.public_key();
    sn.name = "bench";
    sn.min_stake = 1;
    sn.max_neurons = n;
    sn.tempo_blocks = 1000;
    std::vector<crypto::KeyPair> keys;
    for (std::size_t i = 0; i < n; ++i) {
      keys.push_back(crypto::KeyPair::from_label("bench-neuron-" + std::to_string(i)));
      sn.neurons.push_back({keys.back().public_key(), keys.back().public_key(), "", 1000 + i});
      g.accounts.push_back({keys.back().public_key(), 1'000'000});
    }
    g.subnets.push_back(sn);
    auto genesis = make_genesis(g);
    MT_ASSERT(genesis.ok(), "bench genesis");
    std::vector<TxPtr> txs;
    for (std::size_t i = 0; i < n; ++i) {
      Transaction tx;
      tx.chain_id = "bench";
      tx.sender = keys[i].public_key();
      tx.fee = 1;
      SetWeights p{0, {}};
      for (std::size_t j = 0; j < n; ++j) p.weights.push_back({static_cast<std::uint16_t>(j), pseudo_weight(i, j)});
      tx.payload = std::move(p);
      tx.sign(keys[i], crypto::Backend::fast);
      txs.push_back(SignedTx::make(std::move(tx)));
    }
    BlockHeader h;
    h.chain_id = "bench";
    h.height = 1;
    h.parent_hash = genesis.value()->last_block_hash();
    h.timestamp_ms = 2;
    h.proposer = genesis.value()->validator_set().proposer();
    crypto::Verifier verifier(crypto::Backend::fast);
    auto built = build_block(genesis.value(), h, txs, {}, Commit{}, verifier);
    MT_ASSERT(built.ok() && built.value().block->txs.size() == n, "bench weights block");
    f->state = built.value().state;
    f->params = g.params;
    f->proposer = h.proposer;
    return f;
  }();
  return *fixture;
}

void BM_SubnetEpochInState_256(benchmark::State& state) {
  auto& f = subnet_fixture();
  for (auto _ : state) {
    StateBuilder b(f.state);
    auto st = run_subnet_epochs(b, f.params, 1000, f.proposer);
    MT_ASSERT(st.ok(), "bench epoch step");
    benchmark::DoNotOptimize(b.finish(Hash32{})->root());
  }
}
BENCHMARK(BM_SubnetEpochInState_256)->Unit(benchmark::kMillisecond);

}  // namespace

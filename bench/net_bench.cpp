// The network under the heaviest pattern consensus produces: all-to-all. 200 nodes on a full
// mesh; each round every node signs one 128-byte message (real Ed25519) and sends it to every
// other node; receivers verify through the process's shared cache; a node starts its next round
// once it has heard everybody's message for the current one. Deliveries are folded into the run
// digest, as in a real run.
#include <benchmark/benchmark.h>

#include <array>
#include <cstring>
#include <vector>

#include "core/crypto/keys.hpp"
#include "core/crypto/verifier.hpp"
#include "sim/engine/digest.hpp"
#include "sim/engine/scheduler.hpp"
#include "sim/engine/streams.hpp"
#include "sim/net/network.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
constexpr std::size_t kNodes = 200;
constexpr std::size_t kMessageBytes = 128;  // 8 round + 4 sender + 52 body + 64 signature
constexpr std::size_t kSignedBytes = kMessageBytes - 64;

enum class Crypto { real, none };

class AllToAll {
 public:
  explicit AllToAll(Crypto crypto)
      : crypto_(crypto),
        streams_(2026),
        net_(sched_, streams_, Topology::full_mesh(kNodes).value(),
             LatencyModel(Distribution::lognormal(40'000, 0.3))),
        heard_(kNodes, {0, 0}),
        round_(kNodes, 0) {
    crypto::init();
    for (std::size_t i = 0; i < kNodes; ++i) keys_.push_back(crypto::KeyPair::from_label("bench/" + std::to_string(i)));
    net_.set_digest(&digest_);
    net_.on_deliver([this](PeerId from, PeerId to, const WirePtr& m) { on_message(from, to, *m); });
    for (PeerId n = 0; n < kNodes; ++n) broadcast(n);
  }
  void run_events(std::uint64_t n) { sched_.run_while([] { return true; }, n); }
  [[nodiscard]] std::uint64_t delivered() const { return net_.totals().delivered; }
  [[nodiscard]] std::uint64_t rounds() const { return round_[0]; }
  [[nodiscard]] std::uint64_t rejected() const { return rejected_; }

 private:
  void broadcast(PeerId n) {
    auto m = std::make_shared<WireMessage>();
    m->kind = MsgKind::vote;
    m->mutable_payload().assign(kMessageBytes, 0);
    const std::uint64_t r = round_[n];
    std::memcpy(m->mutable_payload().data(), &r, 8);
    std::memcpy(m->mutable_payload().data() + 8, &n, 4);
    if (crypto_ == Crypto::real) {
      const auto sig = keys_[n].sign(ByteView(m->mutable_payload().data(), kSignedBytes), crypto::Backend::real);
      std::memcpy(m->mutable_payload().data() + kSignedBytes, sig.data.data(), 64);
    }
    WirePtr shared = std::move(m);
    net_.gossip(n, shared);
  }
  void on_message(PeerId from, PeerId to, const WireMessage& m) {
    if (crypto_ == Crypto::real) {
      Signature sig;
      std::memcpy(sig.data.data(), m.payload().data() + kSignedBytes, 64);
      // Every receiver gets the same object: the first verifies, the rest hit its memo.
      if (!verifier_.verify(keys_[from].public_key(), ByteView(m.payload().data(), kSignedBytes), sig,
                            m.memo().verify_memo())) {
        ++rejected_;
        return;
      }
    }
    std::uint64_t r = 0;
    std::memcpy(&r, m.payload().data(), 8);
    auto& count = heard_[to][r % 2];
    if (++count == kNodes - 1) {
      count = 0;
      ++round_[to];
      broadcast(to);
    }
  }

  Crypto crypto_;
  Scheduler sched_;
  Streams streams_;
  Network net_;
  Digest digest_;
  crypto::Verifier verifier_{crypto::Backend::real};
  std::vector<crypto::KeyPair> keys_;
  std::vector<std::array<std::uint32_t, 2>> heard_;  // per node: messages heard for even / odd rounds
  std::vector<std::uint64_t> round_;
  std::uint64_t rejected_ = 0;
};

void run_all_to_all(benchmark::State& state, Crypto crypto) {
  AllToAll sim(crypto);
  const std::uint64_t start = sim.delivered();
  for (auto _ : state) sim.run_events(kNodes * (kNodes - 1));  // about one round per iteration
  const auto deliveries = static_cast<double>(sim.delivered() - start);
  state.counters["deliveries_per_s"] = benchmark::Counter(deliveries, benchmark::Counter::kIsRate);
  state.counters["rounds"] = static_cast<double>(sim.rounds());
  if (sim.rejected() != 0) state.SkipWithError("a signature failed to verify");
}
}  // namespace

static void BM_AllToAll(benchmark::State& state) { run_all_to_all(state, Crypto::real); }
BENCHMARK(BM_AllToAll)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// Same pattern without signing or verifying: the simulator's own cost per delivery.
static void BM_AllToAll_NoCrypto(benchmark::State& state) { run_all_to_all(state, Crypto::none); }
BENCHMARK(BM_AllToAll_NoCrypto)->Unit(benchmark::kMillisecond)->MinTime(2.0);

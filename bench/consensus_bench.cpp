// The consensus state machine's own cost per height: one validator takes a proposal and the
// prevotes and precommits of N validators until it decides. Fast-backend signatures and no
// verification cache, so this is bookkeeping plus one keyed hash per message.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "core/consensus/consensus.hpp"

using namespace mt;

namespace {

class NullHost : public ConsensusHost {
 public:
  std::uint64_t decisions = 0;
  [[nodiscard]] TimeUs now() const override { return 0; }
  BlockPtr propose_block(std::uint64_t, std::uint32_t) override { return nullptr; }
  bool validate_block(const Block&) override { return true; }
  void persist_consensus_record(const ConsensusRecord&) override {}
  void broadcast_proposal(const Proposal&) override {}
  void broadcast_vote(const Vote&) override {}
  void schedule_timeout(std::uint64_t, std::uint32_t, ConsensusStep, TimeUs) override {}
  void decide(std::uint64_t, std::uint32_t, BlockPtr, const Commit&) override { ++decisions; }
  void evidence_found(const DuplicateVoteEvidence&) override {}
};

struct Script {
  ValidatorSet set;
  Proposal proposal;
  std::vector<Vote> votes;  // prevotes then precommits of every validator but the first
};

Script make_script(std::size_t n) {
  const auto backend = crypto::Backend::fast;
  const std::string chain_id = Params{}.chain_id;
  std::vector<crypto::KeyPair> keys;
  std::vector<std::pair<Address, std::uint64_t>> powers;
  for (std::size_t i = 0; i < n; ++i) {
    keys.push_back(crypto::KeyPair::from_label("bench-v" + std::to_string(i)));
    powers.emplace_back(keys.back().public_key(), 1);
  }
  Script s;
  s.set = ValidatorSet::genesis(powers);
  auto block = std::make_shared<Block>();
  block->header.chain_id = chain_id;
  block->header.height = 1;
  const Address proposer = s.set.proposer();
  for (const auto& k : keys) {
    if (k.public_key() == proposer) {
      s.proposal = Proposal{1, 0, -1, block, proposer, {}};
      s.proposal.sign(k, chain_id, backend);
    }
  }
  for (VoteType type : {VoteType::prevote, VoteType::precommit}) {
    for (std::size_t i = 1; i < n; ++i) {
      Vote v{type, 1, 0, block->hash(), keys[i].public_key(), {}};
      v.sign(keys[i], chain_id, backend);
      s.votes.push_back(v);
    }
  }
  return s;
}

}  // namespace

static void BM_ConsensusDecideOneHeight(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Script script = make_script(n);
  NullHost host;
  crypto::Verifier verifier(crypto::Backend::fast, 0);
  ConsensusConfig config;
  config.key = crypto::KeyPair::from_label("bench-v0");
  config.backend = crypto::Backend::fast;
  for (auto _ : state) {
    Consensus c(config, host, verifier);
    c.start_height(1, script.set);
    (void)c.on_proposal(script.proposal);
    for (const auto& v : script.votes) (void)c.on_vote(v);
    benchmark::DoNotOptimize(c.decided());
  }
  if (host.decisions != static_cast<std::uint64_t>(state.iterations())) state.SkipWithError("a height was not decided");
  state.counters["heights_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["messages_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(2 * n - 1),
                                                        benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ConsensusDecideOneHeight)->Arg(4)->Arg(21)->Arg(100)->Arg(500);

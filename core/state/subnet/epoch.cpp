#include "core/state/subnet/epoch.hpp"

#include <algorithm>
#include <map>
#include <fmt/format.h>

#include "core/state/subnet/emission.hpp"
#include "core/state/subnet/store.hpp"
#include "core/state/subnet/yuma_scoring.hpp"

namespace mt::state {

namespace {

constexpr std::uint64_t kBasisPoints = 10000;

// Credits accumulated per address, written once each (sorted: deterministic write order).
class Payouts {
 public:
  Status add(const Address& to, Amount a) {
    if (a == 0) return {};
    auto sum = checked_add(due_[to], a);
    if (!sum) return make_error("subnet payout overflows");
    due_[to] = *sum;
    return {};
  }
  Status apply(StateBuilder& b) const {
    for (const auto& [addr, amount] : due_) {
      Account acc = b.account(addr);
      auto bal = checked_add(acc.balance, amount);
      if (!bal) return make_error("subnet payout overflows a balance");
      acc.balance = *bal;
      b.put_account(addr, acc);
    }
    return {};
  }

 private:
  std::map<Address, Amount> due_;
};

Status add_to(Amount& counter, Amount a) {
  auto s = checked_add(counter, a);
  if (!s) return make_error("subnet counter overflows");
  counter = *s;
  return {};
}

// Step 1: slashes and drops expired commitments; returns the stake burned.
Amount expire_commits(StateBuilder& b, const Params& params, std::uint64_t height, std::vector<NeuronInfo>& neurons) {
  SubnetView view(b);
  SubnetWriter w(b);
  Amount burned = 0;
  for (auto& n : neurons) {
    auto c = view.commit(n.netuid, n.uid);
    if (!c || height - std::min(height, c->committed_at) <= params.reveal_window_blocks) continue;
    const Amount slash = mul_frac_floor(n.stake, std::min<std::uint64_t>(params.slash_unrevealed_bp, kBasisPoints),
                                        kBasisPoints);
    n.stake -= slash;
    burned += slash;
    w.put_commit(n.netuid, n.uid, std::nullopt);
  }
  return burned;
}

YumaInput yuma_input(const StateBuilder& b, const Params& params, const SubnetInfo& s,
                     const std::vector<NeuronInfo>& neurons) {
  SubnetView view(b);
  YumaInput in;
  in.kappa_bp = params.yuma_kappa_bp;
  const std::size_t n = neurons.size();
  in.stake.assign(n, Amount{0});
  in.permit.assign(n, false);
  in.weights.assign(n, {});
  for (std::size_t i = 0; i < n; ++i) {
    const auto& nr = neurons[i];
    in.stake[i] = nr.stake;
    in.permit[i] = nr.stake > 0 && nr.stake >= s.min_stake;
    if (!in.permit[i]) continue;
    auto row = view.weights(s.netuid, nr.uid);
    if (!row) continue;
    for (const auto& e : row->weights) {
      // A weight set before the target's current neuron registered was meant for its predecessor.
      if (e.uid < n && row->set_at >= neurons[e.uid].registered_at) in.weights[i].push_back(e);
    }
  }
  return in;
}

Status run_one(StateBuilder& b, const Params& params, std::uint64_t height, const Address& proposer, SubnetInfo s) {
  std::vector<NeuronInfo> neurons = SubnetView(b).neurons(s.netuid);
  const Amount slashed = expire_commits(b, params, height, neurons);
  const YumaOutput y = yuma_epoch(yuma_input(b, params, s, neurons));
  const auto total = checked_mul(params.subnet_emission_per_block, height - s.last_epoch_height);
  if (!total) return make_error("subnet emission overflows");
  const EmissionSplit split = split_emission(*total, params, y);

  Payouts pay;
  for (std::size_t i = 0; i < neurons.size(); ++i) {
    auto& nr = neurons[i];
    nr.rank = y.rank[i];
    nr.trust = y.trust[i];
    nr.consensus = y.consensus[i];
    nr.incentive = y.incentive[i];
    nr.dividends = y.dividends[i];
    nr.last_emission = split.to_uid[i];
    if (auto st = add_to(nr.total_emission, split.to_uid[i]); !st.ok()) return st;
    if (auto st = pay.add(nr.owner, split.to_uid[i]); !st.ok()) return st;
  }
  if (auto st = pay.add(s.owner, split.to_owner); !st.ok()) return st;
  if (auto st = pay.add(proposer, split.to_infrastructure); !st.ok()) return st;
  if (auto st = pay.add(treasury_address(), split.to_treasury); !st.ok()) return st;
  if (auto st = pay.apply(b); !st.ok()) return st;

  ChainMeta& meta = b.meta();
  for (auto [counter, a] : {std::pair{&meta.minted, *total}, std::pair{&meta.burned, split.burned + slashed},
                            std::pair{&s.emitted, *total}, std::pair{&s.to_neurons, split.to_neurons},
                            std::pair{&s.to_owner, split.to_owner}, std::pair{&s.to_infrastructure, split.to_infrastructure},
                            std::pair{&s.burned, split.burned}, std::pair{&s.to_treasury, split.to_treasury}}) {
    if (auto st = add_to(*counter, a); !st.ok()) return st;
  }
  s.last_epoch_height = height;
  s.epochs += 1;
  SubnetWriter w(b);
  for (const auto& nr : neurons) w.put_neuron(nr);
  w.put_subnet(s);
  return {};
}

}  // namespace

Status run_subnet_epochs(StateBuilder& b, const Params& params, std::uint64_t height, const Address& proposer) {
  SubnetView view(b);
  const std::uint32_t count = view.subnet_count();
  for (std::uint32_t netuid = 0; netuid < count; ++netuid) {
    auto s = view.subnet(netuid);
    MT_ASSERT(s.has_value(), "subnet count names a missing subnet");
    if (height - std::min(height, s->last_epoch_height) < s->tempo_blocks) continue;
    if (auto st = run_one(b, params, height, proposer, *s); !st.ok()) {
      return make_error(fmt::format("subnet {} epoch: {}", netuid, st.error().message));
    }
  }
  return {};
}

}  // namespace mt::state

#include "core/state/subnet/txs.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mt::state {

namespace {
constexpr std::size_t kMaxSubnetName = 64;
}  // namespace

Result<SubnetInfo> SubnetTxs::existing_subnet(std::uint32_t netuid) const {
  auto s = SubnetView(b_).subnet(netuid);
  if (!s) return make_error(fmt::format("subnet {} does not exist", netuid));
  return *s;
}

Status SubnetTxs::create_subnet(const Address& sender, const CreateSubnet& p) {
  if (p.name.empty() || p.name.size() > kMaxSubnetName) return make_error("create_subnet: name must be 1..64 bytes");
  if (p.max_neurons == 0 || p.max_neurons > params_.max_neurons_per_subnet) {
    return make_error(fmt::format("create_subnet: max_neurons must be 1..{}", params_.max_neurons_per_subnet));
  }
  if (p.tempo_blocks == 0) return make_error("create_subnet: tempo must be at least 1 block");
  SubnetView view(b_);
  const std::uint32_t netuid = view.subnet_count();
  if (netuid >= params_.max_subnets) return make_error("create_subnet: max_subnets reached");
  SubnetInfo s;
  s.netuid = netuid;
  s.owner = sender;
  s.name = p.name;
  s.min_stake = p.min_stake;
  s.max_neurons = p.max_neurons;
  s.tempo_blocks = p.tempo_blocks;
  s.created_at = height_;
  s.last_epoch_height = height_;
  SubnetWriter w(b_);
  w.put_subnet(s);
  w.put_subnet_count(netuid + 1);
  return {};
}

Result<std::uint16_t> SubnetTxs::replacement_uid(const SubnetInfo& subnet) const {
  std::optional<NeuronInfo> best;
  auto score = [](const NeuronInfo& n) { return std::max(n.incentive, n.dividends); };
  for (const auto& n : SubnetView(b_).neurons(subnet.netuid)) {
    if (height_ - std::min(height_, n.registered_at) < params_.neuron_immunity_blocks) continue;
    if (!best || score(n) < score(*best) || (score(n) == score(*best) && n.registered_at < best->registered_at)) {
      best = n;  // uids ascend, so equal (score, registration) keeps the lower uid
    }
  }
  if (!best) return make_error("register_neuron: subnet full and every neuron is within its immunity period");
  return best->uid;
}

Status SubnetTxs::register_neuron(const Address& sender, const RegisterNeuron& p, Account& sender_account) {
  auto subnet = existing_subnet(p.netuid);
  if (!subnet.ok()) return make_error("register_neuron: " + subnet.error().message);
  SubnetInfo s = subnet.value();
  SubnetView view(b_);
  if (view.uid_of(p.netuid, p.hotkey)) return make_error("register_neuron: hotkey already registered in this subnet");
  if (sender_account.balance < p.stake) return make_error("insufficient balance for neuron stake");
  std::uint16_t uid = s.neuron_count;
  std::optional<NeuronInfo> evicted;
  if (s.neuron_count >= s.max_neurons) {
    auto r = replacement_uid(s);
    if (!r.ok()) return r.error();
    uid = r.value();
    evicted = view.neuron(p.netuid, uid);
    MT_ASSERT(evicted.has_value(), "replacement uid without a neuron");
    if (evicted->owner != sender) {
      Account owner = b_.account(evicted->owner);
      if (!checked_add(owner.balance, evicted->stake)) return make_error("register_neuron: refund overflows");
    } else if (!checked_add(sender_account.balance - p.stake, evicted->stake)) {
      return make_error("register_neuron: refund overflows");
    }
  }
  // Validated: write.
  SubnetWriter w(b_);
  sender_account.balance -= p.stake;
  if (evicted) {
    if (evicted->owner == sender) {
      sender_account.balance += evicted->stake;
    } else {
      Account owner = b_.account(evicted->owner);
      owner.balance += evicted->stake;
      b_.put_account(evicted->owner, owner);
    }
    w.put_uid_of(p.netuid, evicted->hotkey, std::nullopt);
    w.put_weights(p.netuid, uid, std::nullopt);
    w.put_commit(p.netuid, uid, std::nullopt);
  } else {
    s.neuron_count = static_cast<std::uint16_t>(s.neuron_count + 1);
    w.put_subnet(s);
  }
  NeuronInfo n;
  n.netuid = p.netuid;
  n.uid = uid;
  n.hotkey = p.hotkey;
  n.owner = sender;
  n.endpoint = p.endpoint;
  n.stake = p.stake;
  n.registered_at = height_;
  w.put_neuron(n);
  w.put_uid_of(p.netuid, p.hotkey, uid);
  return {};
}

Result<std::uint16_t> SubnetTxs::permitted_uid(const Address& sender, const SubnetInfo& subnet) const {
  SubnetView view(b_);
  auto uid = view.uid_of(subnet.netuid, sender);
  if (!uid) return make_error(fmt::format("sender is not a neuron of subnet {}", subnet.netuid));
  auto n = view.neuron(subnet.netuid, *uid);
  MT_ASSERT(n.has_value(), "hotkey index names a missing neuron");
  if (n->stake == 0 || n->stake < subnet.min_stake) return make_error("neuron stake below the subnet's min_stake");
  return *uid;
}

Status SubnetTxs::check_weights(const SubnetInfo& subnet, const std::vector<WeightEntry>& weights) const {
  if (weights.empty()) return make_error("empty weights");
  if (weights.size() > subnet.max_neurons) return make_error("more weights than the subnet's max_neurons");
  bool any = false;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (i > 0 && weights[i - 1].uid >= weights[i].uid) return make_error("weight uids not strictly ascending");
    if (weights[i].uid >= subnet.neuron_count) {
      return make_error(fmt::format("weight for unknown uid {}", weights[i].uid));
    }
    any |= weights[i].weight > 0;
  }
  if (!any) return make_error("every weight is zero");
  return {};
}

Status SubnetTxs::set_weights(const Address& sender, const SetWeights& p) {
  auto subnet = existing_subnet(p.netuid);
  if (!subnet.ok()) return make_error("set_weights: " + subnet.error().message);
  auto uid = permitted_uid(sender, subnet.value());
  if (!uid.ok()) return make_error("set_weights: " + uid.error().message);
  if (auto st = check_weights(subnet.value(), p.weights); !st.ok()) return make_error("set_weights: " + st.error().message);
  SubnetWriter(b_).put_weights(p.netuid, uid.value(), WeightRow{height_, p.weights});
  return {};
}

Status SubnetTxs::commit_weights(const Address& sender, const CommitWeights& p) {
  auto subnet = existing_subnet(p.netuid);
  if (!subnet.ok()) return make_error("commit_weights: " + subnet.error().message);
  auto uid = permitted_uid(sender, subnet.value());
  if (!uid.ok()) return make_error("commit_weights: " + uid.error().message);
  SubnetWriter(b_).put_commit(p.netuid, uid.value(), WeightCommit{p.commitment, height_});
  return {};
}

Status SubnetTxs::reveal_weights(const Address& sender, const RevealWeights& p) {
  auto subnet = existing_subnet(p.netuid);
  if (!subnet.ok()) return make_error("reveal_weights: " + subnet.error().message);
  auto uid = permitted_uid(sender, subnet.value());
  if (!uid.ok()) return make_error("reveal_weights: " + uid.error().message);
  auto c = SubnetView(b_).commit(p.netuid, uid.value());
  if (!c) return make_error("reveal_weights: no pending commitment");
  if (height_ <= c->committed_at) return make_error("reveal_weights: reveal in a later block than the commit");
  if (height_ - c->committed_at > params_.reveal_window_blocks) return make_error("reveal_weights: reveal window closed");
  if (weights_commitment(p.netuid, sender, p.weights, p.salt) != c->commitment) {
    return make_error("reveal_weights: weights and salt do not match the commitment");
  }
  if (auto st = check_weights(subnet.value(), p.weights); !st.ok()) {
    return make_error("reveal_weights: " + st.error().message);
  }
  SubnetWriter w(b_);
  w.put_weights(p.netuid, uid.value(), WeightRow{height_, p.weights});
  w.put_commit(p.netuid, uid.value(), std::nullopt);
  return {};
}

}  // namespace mt::state

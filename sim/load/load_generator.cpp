#include "sim/load/load_generator.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace mt::sim {

namespace {
// Amount each load transfer moves: small against the funded balance so accounts never run dry.
constexpr Amount kTransferAmount = 1;
constexpr Amount kDelegateAmount = 10;
// What a padding memo holds: its bytes only need to be there (nothing reads or compresses them).
constexpr std::uint8_t kMemoFill = 0x6d;

crypto::KeyPair derive_key(std::uint32_t i) { return crypto::KeyPair::from_label(fmt::format("load-account-{}", i)); }
}  // namespace

LoadGenerator::LoadGenerator(std::vector<LoadSegment> segments, std::string chain_id, crypto::Backend backend,
                             Amount fee, std::uint64_t seed, std::vector<Address> validators, LoadKeys keys)
    : chain_id_(std::move(chain_id)),
      backend_(backend),
      fee_(fee),
      rng_(seed),
      validators_(std::move(validators)),
      keys_(std::move(keys)) {
  for (auto& s : segments) {
    account_count_ = std::max(account_count_, s.accounts);
    SegmentState st;
    st.seg = s;
    st.next_us = s.from_us;
    st.burst_left = s.kind == LoadKind::burst ? s.burst_count : 0;
    if (s.kind != LoadKind::burst && s.rate_milli_per_s == 0 && s.to_rate_milli_per_s == 0) st.done = true;
    if (s.subnets && !plan_) plan_ = s.subnets;
    segments_.push_back(st);
  }
  accounts_.resize(account_count_);
  if (plan_) {
    for (const auto& sn : plan_->subnets) neuron_nonces_.emplace_back(sn.validators, 0);
    last_honest_.resize(plan_->subnets.size());
  }
}

std::vector<Address> LoadGenerator::funded_accounts() const {
  std::vector<Address> out;
  out.reserve(account_count_);
  for (std::uint32_t i = 0; i < account_count_; ++i) out.push_back(key_of(i).public_key());
  return out;
}

LoadKeys LoadGenerator::derive_keys() const {
  auto keys = std::make_shared<std::vector<crypto::KeyPair>>();
  keys->reserve(account_count_);
  for (std::uint32_t i = 0; i < account_count_; ++i) keys->push_back(derive_key(i));
  return keys;
}

crypto::KeyPair LoadGenerator::key_of(std::uint32_t i) const {
  return keys_ != nullptr && i < keys_->size() ? (*keys_)[i] : derive_key(i);
}

LoadAccount& LoadGenerator::account(std::uint32_t i) {
  auto& slot = accounts_.at(i);
  if (!slot) slot = LoadAccount{key_of(i), 0};
  return *slot;
}

double LoadGenerator::rate_at(const LoadSegment& s, TimeUs t) const {
  const double start = static_cast<double>(s.rate_milli_per_s) / 1000.0;
  if (s.kind != LoadKind::ramp || s.ramp_over_us <= 0) return start;
  const double end = static_cast<double>(s.to_rate_milli_per_s) / 1000.0;
  double f = static_cast<double>(t - s.from_us) / static_cast<double>(s.ramp_over_us);
  f = std::clamp(f, 0.0, 1.0);
  return start + (end - start) * f;
}

void LoadGenerator::advance(SegmentState& st) {
  const auto& s = st.seg;
  if (s.kind == LoadKind::burst) {
    if (st.burst_left > 1) {
      --st.burst_left;
      return;  // the rest of the burst arrives at the same instant
    }
    if (s.burst_every_us <= 0) {
      st.done = true;
      return;
    }
    st.burst_left = s.burst_count;
    st.next_us += s.burst_every_us;
  } else {
    double rate = rate_at(s, st.next_us);
    if (rate <= 0) {
      // A ramp from zero: step forward until the rate is positive.
      st.next_us += kUsPerSec / 10;
    } else {
      double mean_gap_us = 1e6 / rate;
      double gap = s.kind == LoadKind::poisson ? rng_.exponential(mean_gap_us) : mean_gap_us;
      st.next_us += std::max<TimeUs>(1, static_cast<TimeUs>(std::llround(gap)));
    }
  }
  if (s.until_us >= 0 && st.next_us >= s.until_us) st.done = true;
}

std::optional<TimeUs> LoadGenerator::next_arrival(TimeUs end_us) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    const auto& st = segments_[i];
    if (st.done || st.next_us > end_us) continue;
    if (!best || st.next_us < segments_[*best].next_us) best = i;
  }
  if (!best) return std::nullopt;
  current_ = *best;
  return segments_[current_].next_us;
}

std::vector<WeightEntry> LoadGenerator::weights_for(std::size_t subnet, std::size_t i) {
  MT_ASSERT(plan_ && subnet < plan_->subnets.size(), "weights_for without that subnet");
  const PlannedSubnet& sn = plan_->subnets[subnet];
  const PlannedNeuron& v = sn.neurons.at(i);
  std::vector<WeightEntry> row;
  if (v.behavior == WeightBehavior::colluding && sn.favoured_uid) {
    row.push_back({*sn.favoured_uid, kFullWeight});
    return row;
  }
  if (v.behavior == WeightBehavior::lazy && !last_honest_[subnet].empty()) return last_honest_[subnet];
  const bool noisy = v.behavior == WeightBehavior::honest;
  const auto amp = static_cast<std::int64_t>(std::uint64_t{kFullWeight} * sn.config.noise / kPpmOne);
  bool any = false;
  for (std::size_t m = sn.validators; m < sn.neurons.size(); ++m) {
    std::int64_t w = sn.neurons[m].quality;
    if (noisy && amp > 0) w += rng_.uniform_int(-amp, amp);
    w = std::clamp<std::int64_t>(w, 0, kFullWeight);
    any |= w > 0;
    row.push_back({static_cast<std::uint16_t>(m), static_cast<std::uint16_t>(w)});
  }
  if (!any && !row.empty()) row.front().weight = 1;
  if (noisy) last_honest_[subnet] = row;
  return row;
}

void LoadGenerator::pad_to_mix(Transaction& tx, const SizeMix& mix) {
  if (mix.empty()) return;
  const std::uint32_t target = pick_size(mix, rng_.uniform_u64(total_weight(mix)));
  codec::Writer w(256);
  tx.encode_unsigned(w);
  const std::size_t base = w.data().size() + Signature::size_bytes;
  tx.memo.assign(memo_bytes_for(base, target), kMemoFill);
}

Transaction LoadGenerator::weights_tx(const SizeMix& mix) {
  MT_ASSERT(plan_ && !plan_->subnets.empty(), "set_weights load without subnets");
  // Uniform over every validator neuron of every subnet.
  std::size_t total = 0;
  for (const auto& sn : plan_->subnets) total += sn.validators;
  std::size_t pick = static_cast<std::size_t>(rng_.uniform_u64(std::max<std::size_t>(1, total)));
  std::size_t subnet = 0;
  while (pick >= plan_->subnets[subnet].validators) pick -= plan_->subnets[subnet++].validators;
  const auto& key = plan_->subnets[subnet].neurons[pick].key;
  Transaction tx;
  tx.chain_id = chain_id_;
  tx.sender = key.public_key();
  tx.nonce = neuron_nonces_[subnet][pick]++;
  tx.fee = fee_;
  tx.payload = SetWeights{plan_->subnets[subnet].netuid, weights_for(subnet, pick)};
  pad_to_mix(tx, mix);
  tx.sign(key, backend_);
  return tx;
}

TxPayload LoadGenerator::register_payload() {
  MT_ASSERT(plan_ && !plan_->subnets.empty(), "register_neuron load without subnets");
  const auto subnet = static_cast<std::size_t>(rng_.uniform_u64(plan_->subnets.size()));
  const std::uint64_t k = registered_++;
  const auto hotkey = crypto::KeyPair::from_label(fmt::format("mtsim/load-neuron/{}", k)).public_key();
  return RegisterNeuron{plan_->subnets[subnet].netuid, hotkey, fmt::format("load:{}", k), 0};
}

TxPtr LoadGenerator::make_tx() {
  auto& st = segments_.at(current_);
  const auto& s = st.seg;
  if (s.tx == LoadTx::set_weights) {
    Transaction tx = weights_tx(s.size_mix);
    ++generated_;
    advance(st);
    return SignedTx::make(std::move(tx));
  }
  const auto from_idx = static_cast<std::uint32_t>(rng_.uniform_u64(s.accounts));
  auto& from = account(from_idx);
  Transaction tx;
  tx.chain_id = chain_id_;
  tx.sender = from.key.public_key();
  tx.nonce = from.next_nonce++;
  tx.fee = fee_;
  LoadTx kind = s.tx;
  if (kind == LoadTx::mix) kind = rng_.uniform_u64(10) < 8 ? LoadTx::transfer : LoadTx::delegate;
  if (kind == LoadTx::stake) kind = LoadTx::delegate;  // accounts stake by delegating to validators
  if (kind == LoadTx::register_neuron) {
    tx.payload = register_payload();
  } else if (kind == LoadTx::delegate && !validators_.empty()) {
    const auto& v = validators_[rng_.uniform_u64(validators_.size())];
    tx.payload = Delegate{v, kDelegateAmount};
  } else {
    // accounts_ never reallocates, so `from` stays valid while another account is derived.
    auto to_idx = static_cast<std::uint32_t>(rng_.uniform_u64(s.accounts));
    if (to_idx == from_idx && s.accounts > 1) to_idx = (to_idx + 1) % s.accounts;
    tx.payload = Transfer{account(to_idx).key.public_key(), kTransferAmount};
  }
  pad_to_mix(tx, s.size_mix);
  tx.sign(from.key, backend_);
  ++generated_;
  advance(st);
  return SignedTx::make(std::move(tx));
}

}  // namespace mt::sim

#include "core/state/block_executor.hpp"

#include <algorithm>
#include <map>
#include <fmt/format.h>

#include "core/state/subnet/epoch.hpp"
#include "core/state/subnet/txs.hpp"

namespace mt::state {

namespace {

constexpr std::uint64_t kBasisPoints = 10000;
constexpr std::uint64_t kMaxTotalPower = std::uint64_t{1} << 60;  // ValidatorSet's bound

std::string who(const Address& a) { return a.short_hex(); }

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

}  // namespace

std::vector<std::pair<Address, std::uint64_t>> select_validators(std::vector<ValidatorInfo> candidates,
                                                                 const Params& params) {
  std::erase_if(candidates, [&](const ValidatorInfo& v) {
    return v.jailed || v.bonded() == 0 || v.bonded() < params.min_validator_stake;
  });
  std::sort(candidates.begin(), candidates.end(), [](const ValidatorInfo& x, const ValidatorInfo& y) {
    if (x.bonded() != y.bonded()) return x.bonded() > y.bonded();
    return x.address < y.address;
  });
  if (candidates.size() > params.max_validators) candidates.resize(params.max_validators);
  const std::uint64_t cap = kMaxTotalPower / std::max<std::uint64_t>(1, candidates.size());
  const Amount reduction = std::max<std::uint64_t>(1, params.power_reduction);
  std::vector<std::pair<Address, std::uint64_t>> out;
  for (const auto& v : candidates) {
    const Amount power = std::min<Amount>(v.bonded() / reduction, cap);
    if (power > 0) out.emplace_back(v.address, static_cast<std::uint64_t>(power));
  }
  std::sort(out.begin(), out.end());
  return out;
}

BlockExecutor::BlockExecutor(StatePtr parent, const BlockHeader& header, crypto::Verifier& verifier)
    : parent_(std::move(parent)), header_(header), height_(header.height), verifier_(verifier), builder_(parent_) {
  MT_ASSERT(parent_ != nullptr, "block executor needs a parent state");
}

Status BlockExecutor::check_header() const {
  const State& p = *parent_;
  if (header_.version != kBlockVersion) return make_error("unsupported block version");
  if (header_.chain_id != p.params().chain_id) return make_error("block for chain '" + header_.chain_id + "'");
  if (header_.height != p.height() + 1) {
    return make_error(fmt::format("block height {}, expected {}", header_.height, p.height() + 1));
  }
  if (header_.parent_hash != p.last_block_hash()) return make_error("parent_hash is not the parent block");
  if (header_.timestamp_ms <= p.last_block_time_ms()) return make_error("timestamp not after the parent's");
  if (p.validator_set().find(header_.proposer) == nullptr) {
    return make_error("proposer " + who(header_.proposer) + " is not in the validator set");
  }
  return {};
}

Status BlockExecutor::apply_last_commit(const Commit& commit) {
  const State& p = *parent_;
  if (height_ == 1) {
    if (!commit.empty()) return make_error("height 1 carries a last commit");
    return {};
  }
  if (auto st = verify_commit(commit, p.height(), p.last_block_hash(), p.last_validator_set(), p.params(), verifier_);
      !st.ok()) {
    return make_error("last commit: " + st.error().message);
  }
  for (const auto& e : p.last_validator_set().entries()) {
    if (commit.signed_by(e.address)) continue;
    auto v = builder_.validator(e.address);
    if (!v) continue;
    v->missed_blocks = saturating_add(v->missed_blocks, 1);
    builder_.put_validator(*v);
  }
  const std::uint64_t window = p.params().downtime_window_blocks;
  if (window > 0 && p.height() % window == 0) return evaluate_downtime();
  return {};
}

Status BlockExecutor::evaluate_downtime() {
  const Params& params = parent_->params();
  const UInt128 allowed = UInt128{params.downtime_window_blocks} *
                          (kBasisPoints - std::min<std::uint64_t>(kBasisPoints, params.downtime_min_signed_bp)) /
                          kBasisPoints;
  for (const auto& a : builder_.validator_index()) {
    auto v = builder_.validator(a);
    MT_ASSERT(v.has_value(), "indexed validator without a record");
    if (v->missed_blocks == 0) continue;
    if (!v->jailed && UInt128{v->missed_blocks} > allowed) {
      if (auto st = slash_and_jail(*v, params.slash_downtime_bp); !st.ok()) return st;
    }
    v->missed_blocks = 0;
    builder_.put_validator(*v);
  }
  return {};
}

Status BlockExecutor::add_burned(Amount a) {
  auto b = checked_add(builder_.meta().burned, a);
  if (!b) return make_error("burned counter overflows");
  builder_.meta().burned = *b;
  return {};
}

Status BlockExecutor::slash_and_jail(ValidatorInfo& v, std::uint32_t slash_bp) {
  const std::uint64_t bp = std::min<std::uint64_t>(slash_bp, kBasisPoints);
  const Amount from_self = mul_frac_floor(v.self_stake, bp, kBasisPoints);
  const Amount from_delegated = mul_frac_floor(v.delegated, bp, kBasisPoints);
  if (auto st = add_burned(from_self + from_delegated); !st.ok()) return st;
  v.self_stake -= from_self;
  v.delegated -= from_delegated;
  v.jailed = true;
  v.jailed_until = std::max(v.jailed_until, saturating_add(height_, parent_->params().jail_blocks));
  if (parent_->validator_set().find(v.address) != nullptr) jailed_now_.push_back(v.address);
  return {};
}

Status BlockExecutor::apply_evidence(const Evidence& e) {
  const Params& params = parent_->params();
  if (auto st = e.validate(params.chain_id, verifier_); !st.ok()) return make_error("evidence: " + st.error().message);
  if (e.height() >= height_) return make_error("evidence from a height not yet decided");
  if (height_ - e.height() > params.evidence_max_age_blocks) return make_error("evidence too old");
  auto v = builder_.validator(e.validator());
  if (!v) return make_error("evidence against unknown validator " + who(e.validator()));
  if (v->tombstoned) return make_error("validator " + who(e.validator()) + " already tombstoned");
  if (auto st = slash_and_jail(*v, params.slash_double_sign_bp); !st.ok()) return st;
  v->tombstoned = true;
  builder_.put_validator(*v);
  return slash_unbonding(v->address, e.height(), params.slash_double_sign_bp);
}

Status BlockExecutor::slash_unbonding(const Address& validator, std::uint64_t infraction_height,
                                      std::uint32_t slash_bp) {
  // An entry that began at height s is released at s + unbonding_blocks. Entries of this block
  // come after the evidence (rule 4 after rule 3), so s ranges over [infraction, height_ - 1];
  // unbonding_blocks >= evidence_max_age_blocks (Params::validate) keeps them all unreleased.
  const std::uint64_t delay = parent_->params().unbonding_blocks;
  const std::uint64_t bp = std::min<std::uint64_t>(slash_bp, kBasisPoints);
  if (height_ > UINT64_MAX - delay) return make_error("unbonding release height overflows");
  for (std::uint64_t s = infraction_height; s < height_; ++s) {
    std::vector<UnbondingEntry> entries = builder_.unbonding_at(s + delay);
    bool changed = false;
    for (auto& entry : entries) {
      if (entry.validator != validator) continue;
      const Amount cut = mul_frac_floor(entry.amount, bp, kBasisPoints);
      if (cut == 0) continue;
      if (auto st = add_burned(cut); !st.ok()) return st;
      entry.amount -= cut;
      changed = true;
    }
    if (!changed) continue;
    std::erase_if(entries, [](const UnbondingEntry& entry) { return entry.amount == 0; });
    builder_.put_unbonding(s + delay, entries);
  }
  return {};
}

void BlockExecutor::prefetch(std::span<const TxPtr> txs) const {
  std::vector<Address> accounts;
  accounts.reserve(2 * txs.size());
  for (const auto& stx : txs) {
    const Transaction& tx = stx->tx();
    accounts.push_back(tx.sender);
    if (const auto* t = std::get_if<Transfer>(&tx.payload)) accounts.push_back(t->to);
  }
  builder_.prefetch_accounts(accounts);
}

Status BlockExecutor::apply_tx(const SignedTx& stx) {
  const Transaction& tx = stx.tx();
  const Params& params = parent_->params();
  if (stx.size_bytes() > params.max_tx_bytes) {
    return make_error(fmt::format("transaction too large: {} bytes, above max_tx_bytes {}", stx.size_bytes(),
                                  params.max_tx_bytes));
  }
  if (tx.chain_id != params.chain_id) return make_error("transaction for chain '" + tx.chain_id + "'");
  Account sender = builder_.account(tx.sender);
  if (tx.nonce != sender.nonce) {
    return make_error(fmt::format("nonce {}, expected {}", tx.nonce, sender.nonce));
  }
  if (sender.nonce == UINT64_MAX) return make_error("account nonce exhausted");
  if (tx.fee < params.min_fee) return make_error("fee below min_fee");
  if (sender.balance < tx.fee) return make_error("balance does not cover the fee");
  const auto fees = checked_add(fees_, tx.fee);
  if (!fees) return make_error("block fees overflow");
  if (!stx.signature_valid(verifier_)) return make_error("invalid signature");
  sender.balance -= tx.fee;
  sender.nonce += 1;
  if (auto st = apply_payload(tx, sender); !st.ok()) return st;
  builder_.put_account(tx.sender, sender);
  fees_ = *fees;
  return {};
}

Status BlockExecutor::apply_payload(const Transaction& tx, Account& sender) {
  return std::visit(
      [&](const auto& p) -> Status {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, Transfer>) return transfer(tx, p, sender);
        if constexpr (std::is_same_v<P, RegisterValidator>) return register_validator(tx, p, sender);
        if constexpr (std::is_same_v<P, Bond>) return bond(tx, p, sender);
        if constexpr (std::is_same_v<P, Unbond>) return unbond(tx, p);
        if constexpr (std::is_same_v<P, Delegate>) return delegate(tx, p, sender);
        if constexpr (std::is_same_v<P, Undelegate>) return undelegate(tx, p);
        if constexpr (std::is_same_v<P, Unjail>) return unjail(tx);
        if constexpr (std::is_same_v<P, CreateSubnet>) return ai().create_subnet(tx.sender, p);
        if constexpr (std::is_same_v<P, RegisterNeuron>) return ai().register_neuron(tx.sender, p, sender);
        if constexpr (std::is_same_v<P, SetWeights>) return ai().set_weights(tx.sender, p);
        if constexpr (std::is_same_v<P, CommitWeights>) return ai().commit_weights(tx.sender, p);
        if constexpr (std::is_same_v<P, RevealWeights>) return ai().reveal_weights(tx.sender, p);
      },
      tx.payload);
}

SubnetTxs BlockExecutor::ai() { return SubnetTxs(builder_, parent_->params(), height_); }

Status BlockExecutor::transfer(const Transaction& tx, const Transfer& p, Account& sender) {
  if (sender.balance < p.amount) return make_error("insufficient balance for transfer");
  if (p.to == tx.sender) return {};  // moves nothing; fee and nonce still apply
  Account to = builder_.account(p.to);
  const auto credited = checked_add(to.balance, p.amount);
  if (!credited) return make_error("recipient balance overflows");
  sender.balance -= p.amount;
  to.balance = *credited;
  builder_.put_account(p.to, to);
  return {};
}

Status BlockExecutor::register_validator(const Transaction& tx, const RegisterValidator& p, Account& sender) {
  if (builder_.validator(tx.sender)) return make_error("already a validator");
  if (p.stake == 0 || p.stake < parent_->params().min_validator_stake) return make_error("stake below min_validator_stake");
  if (sender.balance < p.stake) return make_error("insufficient balance for stake");
  sender.balance -= p.stake;
  ValidatorInfo v;
  v.address = tx.sender;
  v.self_stake = p.stake;
  builder_.put_validator(v);
  return {};
}

Status BlockExecutor::bond(const Transaction& tx, const Bond& p, Account& sender) {
  auto v = builder_.validator(tx.sender);
  if (!v) return make_error("bond: not a validator");
  if (v->tombstoned) return make_error("bond: validator tombstoned");
  if (p.amount == 0) return make_error("bond: zero amount");
  if (sender.balance < p.amount) return make_error("insufficient balance for bond");
  const auto self = checked_add(v->self_stake, p.amount);
  if (!self || !checked_add(*self, v->delegated)) return make_error("bond: stake overflows");
  sender.balance -= p.amount;
  v->self_stake = *self;
  builder_.put_validator(*v);
  return {};
}

Status BlockExecutor::add_unbonding(const Address& owner, const Address& validator, Amount amount) {
  const std::uint64_t delay = parent_->params().unbonding_blocks;
  if (height_ > UINT64_MAX - delay) return make_error("unbonding release height overflows");
  const std::uint64_t release = height_ + delay;
  auto entries = builder_.unbonding_at(release);
  entries.push_back({owner, validator, amount});
  builder_.put_unbonding(release, entries);
  return {};
}

Status BlockExecutor::unbond(const Transaction& tx, const Unbond& p) {
  auto v = builder_.validator(tx.sender);
  if (!v) return make_error("unbond: not a validator");
  if (p.amount == 0 || p.amount > v->self_stake) return make_error("unbond: amount not in (0, self stake]");
  if (auto st = add_unbonding(tx.sender, tx.sender, p.amount); !st.ok()) return st;
  v->self_stake -= p.amount;
  builder_.put_validator(*v);
  return {};
}

Status BlockExecutor::delegate(const Transaction& tx, const Delegate& p, Account& sender) {
  auto v = builder_.validator(p.validator);
  if (!v) return make_error("delegate: unknown validator");
  if (v->tombstoned) return make_error("delegate: validator tombstoned");
  if (p.amount == 0) return make_error("delegate: zero amount");
  if (sender.balance < p.amount) return make_error("insufficient balance for delegation");
  Amount shares = p.amount;
  if (v->delegator_shares > 0 && v->delegated > 0) {
    const auto product = checked_mul(p.amount, v->delegator_shares);
    if (!product) return make_error("delegate: share arithmetic overflows");
    shares = *product / v->delegated;
  }
  if (shares == 0) return make_error("delegate: amount buys no share");
  const auto delegated = checked_add(v->delegated, p.amount);
  const auto total_shares = checked_add(v->delegator_shares, shares);
  const auto held = checked_add(builder_.delegation_shares(tx.sender, p.validator), shares);
  if (!delegated || !total_shares || !held || !checked_add(v->self_stake, *delegated)) {
    return make_error("delegate: stake overflows");
  }
  sender.balance -= p.amount;
  v->delegated = *delegated;
  v->delegator_shares = *total_shares;
  builder_.put_validator(*v);
  builder_.put_delegation_shares(tx.sender, p.validator, *held);
  return {};
}

Status BlockExecutor::undelegate(const Transaction& tx, const Undelegate& p) {
  const Amount held = builder_.delegation_shares(tx.sender, p.validator);
  auto v = builder_.validator(p.validator);
  if (held == 0 || !v || v->delegator_shares == 0) return make_error("undelegate: no delegation");
  if (p.amount == 0) return make_error("undelegate: zero amount");
  const auto value_num = checked_mul(held, v->delegated);
  const auto burn_num = checked_mul(p.amount, v->delegator_shares);
  if (!value_num || !burn_num) return make_error("undelegate: share arithmetic overflows");
  if (p.amount > *value_num / v->delegator_shares) return make_error("undelegate: amount above the delegation's value");
  // Shares burned round up, so no one can withdraw more than their shares are worth.
  const Amount burn = std::min(held, (*burn_num + v->delegated - 1) / v->delegated);
  if (auto st = add_unbonding(tx.sender, p.validator, p.amount); !st.ok()) return st;
  v->delegated -= p.amount;
  v->delegator_shares -= burn;
  builder_.put_validator(*v);
  builder_.put_delegation_shares(tx.sender, p.validator, held - burn);
  return {};
}

Status BlockExecutor::unjail(const Transaction& tx) {
  auto v = builder_.validator(tx.sender);
  if (!v) return make_error("unjail: not a validator");
  if (!v->jailed) return make_error("unjail: not jailed");
  if (v->tombstoned) return make_error("unjail: tombstoned for double signing");
  if (height_ < v->jailed_until) return make_error(fmt::format("unjail: jail lasts until height {}", v->jailed_until));
  v->jailed = false;
  v->missed_blocks = 0;
  builder_.put_validator(*v);
  return {};
}

ValidatorSet BlockExecutor::next_validator_set() const {
  const ValidatorSet& current = parent_->validator_set();
  std::map<Address, std::uint64_t> changes;
  const std::uint64_t epoch = parent_->params().epoch_blocks;
  if (epoch > 0 && height_ % epoch == 0) {
    std::vector<ValidatorInfo> all;
    all.reserve(builder_.validator_index().size());
    for (const auto& a : builder_.validator_index()) all.push_back(*builder_.validator(a));
    for (const auto& e : current.entries()) changes[e.address] = 0;
    for (const auto& [a, power] : select_validators(std::move(all), parent_->params())) changes[a] = power;
  }
  for (const auto& a : jailed_now_) changes[a] = 0;
  if (changes.empty()) return current.advanced();
  ValidatorSet next = current.with_powers({changes.begin(), changes.end()});
  if (next.empty()) return current.advanced();  // never leave the chain without validators
  return next;
}

Result<std::shared_ptr<State>> BlockExecutor::finish() {
  const Params& params = parent_->params();
  ChainMeta& meta = builder_.meta();
  const Amount burn = mul_frac_floor(fees_, std::min<std::uint64_t>(params.fee_burn_bp, kBasisPoints), kBasisPoints);
  const auto to_proposer = checked_add(fees_ - burn, params.block_reward);
  const auto minted = checked_add(meta.minted, params.block_reward);
  if (!to_proposer || !minted) return make_error("block reward overflows");
  if (auto st = add_burned(burn); !st.ok()) return st.error();
  meta.minted = *minted;
  Account proposer = builder_.account(header_.proposer);
  const auto paid = checked_add(proposer.balance, *to_proposer);
  if (!paid) return make_error("proposer balance overflows");
  proposer.balance = *paid;
  builder_.put_account(header_.proposer, proposer);

  for (const auto& e : builder_.unbonding_at(height_)) {
    Account owner = builder_.account(e.owner);
    const auto released = checked_add(owner.balance, e.amount);
    if (!released) return make_error("unbonding release overflows a balance");
    owner.balance = *released;
    builder_.put_account(e.owner, owner);
  }
  builder_.put_unbonding(height_, {});
  if (auto st = run_subnet_epochs(builder_, params, height_, header_.proposer); !st.ok()) return st.error();

  builder_.validator_set() = next_validator_set();
  builder_.last_validator_set() = parent_->validator_set();
  meta.height = height_;
  meta.last_block_time_ms = header_.timestamp_ms;
  return builder_.finish(Hash32{});
}

}  // namespace mt::state

#include "core/consensus/vote_set.hpp"

#include <algorithm>
#include <utility>

#include "core/util/assert.hpp"

namespace mt {

VoteSet::VoteSet(std::uint64_t height, std::uint32_t round, VoteType type,
                 std::shared_ptr<const ValidatorSet> validators, std::uint32_t quorum_num, std::uint32_t quorum_den)
    : height_(height), round_(round), type_(type), validators_(std::move(validators)), quorum_power_(0) {
  MT_ASSERT(validators_ != nullptr && !validators_->empty(), "VoteSet needs a non-empty validator set");
  quorum_power_ = validators_->quorum_power(quorum_num, quorum_den);
  MT_ASSERT(quorum_power_ > 0, "quorum power must be positive");
  by_index_.resize(validators_->size());
}

VoteAddOutcome VoteSet::add(const Vote& vote) {
  return add(std::make_shared<const Vote>(vote), validators_->index_of(vote.validator));
}

VoteAddOutcome VoteSet::add(std::shared_ptr<const Vote> shared, std::ptrdiff_t index) {
  MT_ASSERT(shared != nullptr, "null vote");
  const Vote& vote = *shared;
  if (vote.height != height_ || vote.round != round_ || vote.type != type_) return {VoteAddResult::wrong_slot, {}};
  if (index < 0) return {VoteAddResult::not_validator, {}};
  MT_ASSERT(static_cast<std::size_t>(index) < by_index_.size(), "validator index out of range");
  MT_ASSERT(validators_->entries()[static_cast<std::size_t>(index)].address == vote.validator,
            "vote added under another validator's index");
  const ValidatorEntry* entry = &validators_->entries()[static_cast<std::size_t>(index)];
  std::shared_ptr<const Vote>& slot = by_index_[static_cast<std::size_t>(index)];
  if (slot != nullptr) {
    if (slot->block_hash == vote.block_hash) return {VoteAddResult::duplicate, {}};
    return add_conflicting(std::move(shared), static_cast<std::size_t>(index), *entry);
  }
  power_by_hash_[vote.block_hash] += entry->power;
  power_any_ += entry->power;
  MT_ASSERT(power_any_ <= validators_->total_power(), "vote set power above the total");
  slot = std::move(shared);
  ++count_;
  return {VoteAddResult::added, {}};
}

VoteAddOutcome VoteSet::add_conflicting(std::shared_ptr<const Vote> shared, std::size_t index,
                                        const ValidatorEntry& entry) {
  const Vote& vote = *shared;
  const Vote& known = *by_index_[index];
  if (vote_for(index, vote.block_hash) != nullptr) return {VoteAddResult::duplicate, {}};
  VoteAddOutcome out{VoteAddResult::conflicting, {}};
  if (equivocators_.insert(vote.validator).second) {
    out.evidence = DuplicateVoteEvidence::from_votes(known, vote);
    MT_ASSERT(out.evidence.has_value(), "conflicting votes must make evidence");
  }
  if (!backed_by_first_vote(vote.block_hash)) return out;
  power_by_hash_[vote.block_hash] += entry.power;
  extra_.emplace_back(index, std::move(shared));
  out.result = VoteAddResult::conflicting_counted;
  return out;
}

bool VoteSet::backed_by_first_vote(const Hash32& block_hash) const {
  return std::any_of(by_index_.begin(), by_index_.end(),
                     [&](const auto& v) { return v != nullptr && v->block_hash == block_hash; });
}

const Vote* VoteSet::vote_for(std::size_t index, const Hash32& block_hash) const {
  const Vote* first = vote_at(index);
  if (first == nullptr) return nullptr;
  if (first->block_hash == block_hash) return first;
  for (const auto& [i, v] : extra_) {
    if (i == index && v->block_hash == block_hash) return v.get();
  }
  return nullptr;
}

std::vector<const Vote*> VoteSet::all_votes() const {
  std::vector<const Vote*> out;
  out.reserve(count_ + extra_.size());
  for (const auto& v : by_index_) {
    if (v != nullptr) out.push_back(v.get());
  }
  for (const auto& [i, v] : extra_) out.push_back(v.get());
  return out;
}

std::uint64_t VoteSet::power_for(const Hash32& block_hash) const {
  auto it = power_by_hash_.find(block_hash);
  return it == power_by_hash_.end() ? 0 : it->second;
}

bool VoteSet::has_quorum_for(const Hash32& block_hash) const { return power_for(block_hash) >= quorum_power_; }

bool VoteSet::has_quorum_any() const { return power_any_ >= quorum_power_; }

std::optional<Hash32> VoteSet::quorum_hash() const {
  for (const auto& [hash, power] : power_by_hash_) {
    if (power >= quorum_power_) return hash;
  }
  return std::nullopt;
}

bool VoteSet::exceeds_one_third() const { return validators_->exceeds_one_third(power_any_); }

const Vote* VoteSet::vote_of(const Address& validator) const {
  const std::ptrdiff_t index = validators_->index_of(validator);
  return index < 0 ? nullptr : vote_at(static_cast<std::size_t>(index));
}

Commit VoteSet::make_commit(const Hash32& block_hash) const {
  MT_ASSERT(type_ == VoteType::precommit, "a commit is made of precommits");
  Commit c;
  c.height = height_;
  c.round = round_;
  c.block_hash = block_hash;
  for (std::size_t i = 0; i < by_index_.size(); ++i) {  // validator order: sorted by address
    const Vote* vote = vote_for(i, block_hash);
    if (vote != nullptr) c.sigs.push_back({vote->validator, vote->signature});
  }
  return c;
}

}  // namespace mt

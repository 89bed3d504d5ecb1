#include "sim/checks/final_blocks_valid.hpp"

#include <fmt/format.h>

namespace mt::sim {

namespace {
constexpr std::size_t kVerifierCapacity = 1u << 14;
// Rounds searched for the block's builder; a height decided later than this is not judged on it.
constexpr std::uint32_t kMaxRoundsSearched = 256;
}  // namespace

FinalBlocksValid::FinalBlocksValid(const RunView& view, std::shared_ptr<ReferenceReplica> replica,
                                   crypto::Backend backend)
    : Check(view), replica_(std::move(replica)), verifier_(backend, kVerifierCapacity) {}

const state::State* FinalBlocksValid::parent_of(const BlockCommitted& c) const {
  if (c.height == replica_->height() + 1) return replica_->state().get();
  if (c.height == replica_->height() && replica_->state()->last_block_hash() == c.block_hash) {
    return replica_->parent().get();
  }
  return nullptr;
}

void FinalBlocksValid::on_event(std::size_t node, TimeUs t, const Event& e) {
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c != nullptr && honest(node) && c->block != nullptr && c->height > checked_height_) {
    // Judged before the replica takes the block: a block it rejects is still judged here.
    if (const state::State* parent = parent_of(*c)) {
      checked_height_ = c->height;
      check_proposer(t, *c, *parent);
      check_last_commit(t, *c, *parent);
      check_time(t, *c, *parent);
    }
  }
  replica_->on_event(node, t, e, view());
}

void FinalBlocksValid::check_proposer(TimeUs t, const BlockCommitted& c, const state::State& parent) {
  const Address& builder = c.block->header.proposer;
  const ValidatorSet& set = parent.validator_set();
  const std::uint32_t last = std::min(c.round, kMaxRoundsSearched);
  for (std::uint32_t r = 0; r <= last; ++r) {
    if (set.proposer_for_round(r) == builder) return;
  }
  if (c.round > kMaxRoundsSearched) return;
  fail(t, fmt::format("height {}: block {} decided in round {} was built by {}, the proposer of no round 0..{} "
                      "(round {}'s proposer is {})",
                      c.height, c.block_hash.short_hex(), c.round, builder.short_hex(), c.round, c.round,
                      set.proposer_for_round(c.round).short_hex()));
}

void FinalBlocksValid::check_last_commit(TimeUs t, const BlockCommitted& c, const state::State& parent) {
  const Commit& commit = c.block->last_commit;
  if (c.height <= 1) return;  // genesis has no commit
  const std::string where = fmt::format("height {}: block {}'s commit for height {}", c.height,
                                        c.block_hash.short_hex(), c.height - 1);
  if (commit.height != c.height - 1 || commit.block_hash != parent.last_block_hash()) {
    fail(t, fmt::format("{} is for height {} block {}, not the finalized parent {}", where, commit.height,
                        commit.block_hash.short_hex(), parent.last_block_hash().short_hex()));
    return;
  }
  const ValidatorSet& set = parent.last_validator_set();
  std::uint64_t power = 0;
  for (std::size_t i = 0; i < commit.sigs.size(); ++i) {
    const Address& who = commit.sigs[i].validator;
    const ValidatorEntry* v = set.find(who);
    auto verifies = [&] {
      ++sigs_checked_;
      return commit.vote_at(i).signature_valid(parent.params().chain_id, verifier_);
    };
    std::string wrong;
    if (v == nullptr) {
      wrong = "is signed by {}, not in that height's validator set";
    } else if (i > 0 && !(commit.sigs[i - 1].validator < who)) {
      wrong = "repeats or misorders signer {}";
    } else if (!verifies()) {
      wrong = "carries a signature from {} that does not verify";
    }
    if (!wrong.empty()) {
      fail(t, where + " " + fmt::format(fmt::runtime(wrong), who.short_hex()));
      return;
    }
    power += v->power;
  }
  const Params& p = parent.params();
  if (power * p.quorum_den <= set.total_power() * p.quorum_num) {
    fail(t, fmt::format("{} has power {} of {}: not above {}/{}", where, power, set.total_power(), p.quorum_num,
                        p.quorum_den));
  }
}

void FinalBlocksValid::check_time(TimeUs t, const BlockCommitted& c, const state::State& parent) {
  const std::uint64_t stamp = c.block->header.timestamp_ms;
  const std::string where = fmt::format("height {}: block {} is stamped {} ms", c.height, c.block_hash.short_hex(), stamp);
  if (stamp <= parent.last_block_time_ms()) {
    fail(t, fmt::format("{}, not after its parent's {} ms", where, parent.last_block_time_ms()));
    return;
  }
  const auto now_ms = static_cast<std::uint64_t>(std::max<TimeUs>(t, 0) / kUsPerMs);
  const std::uint64_t bound = now_ms + parent.params().max_block_time_drift_ms + kClockAllowanceMs;
  if (stamp > bound) {
    fail(t, fmt::format("{}, more than the drift ({} ms) and {} ms of clock allowance ahead of the time it was "
                        "committed ({} ms)",
                        where, parent.params().max_block_time_drift_ms, kClockAllowanceMs, now_ms));
  }
}

std::string FinalBlocksValid::measured() const {
  return fmt::format("{} blocks, {} commit signatures verified", checked_height_, sigs_checked_);
}

}  // namespace mt::sim

// A tiny chain driver for state tests: validators and users with known keys, a genesis, and
// helpers that build a block through build_block, check apply_block agrees, sign its commit
// with a chosen set of validators, and move on.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/chain/block.hpp"
#include "core/crypto/keys.hpp"
#include "core/state/genesis.hpp"
#include "core/state/transition.hpp"

namespace mt::state::testing {

inline Params small_params() {
  Params p;
  p.chain_id = "test";
  p.epoch_blocks = 5;
  p.unbonding_blocks = 10;  // >= evidence_max_age_blocks and epoch_blocks (Params::validate)
  p.jail_blocks = 4;
  p.downtime_window_blocks = 4;
  p.downtime_min_signed_bp = 5000;
  p.evidence_max_age_blocks = 10;
  p.block_reward = 1000;
  p.min_fee = 1;
  p.fee_burn_bp = 5000;
  return p;
}

class ChainFixture {
 public:
  ChainFixture(std::size_t validators, std::size_t users, Params params = small_params(), Amount stake = 1'000'000,
               Amount balance = 1'000'000)
      : verifier(crypto::Backend::real) {
    GenesisConfig g;
    g.params = std::move(params);
    g.genesis_time_ms = 1'000;
    for (std::size_t i = 0; i < validators; ++i) {
      vals.push_back(crypto::KeyPair::from_label("val" + std::to_string(i)));
      g.validators.push_back({vals.back().public_key(), stake});
    }
    for (std::size_t i = 0; i < users; ++i) {
      users_.push_back(crypto::KeyPair::from_label("user" + std::to_string(i)));
      g.accounts.push_back({users_.back().public_key(), balance});
    }
    for (auto& k : vals) keys[k.public_key()] = &k;
    for (auto& k : users_) keys[k.public_key()] = &k;
    auto s = make_genesis(g);
    REQUIRE(s.ok());
    state = s.value();
  }

  [[nodiscard]] const crypto::KeyPair& user(std::size_t i) const { return users_.at(i); }
  [[nodiscard]] Address user_addr(std::size_t i) const { return users_.at(i).public_key(); }
  [[nodiscard]] Address val_addr(std::size_t i) const { return vals.at(i).public_key(); }

  TxPtr tx(const crypto::KeyPair& from, TxPayload payload, std::uint64_t nonce, Amount fee = 10) const {
    Transaction t;
    t.chain_id = state->params().chain_id;
    t.sender = from.public_key();
    t.nonce = nonce;
    t.fee = fee;
    t.payload = std::move(payload);
    t.sign(from, crypto::Backend::real);
    return SignedTx::make(std::move(t));
  }
  // A tx from `from` with the next nonce the current state expects (plus `ahead`).
  TxPtr next_tx(const crypto::KeyPair& from, TxPayload payload, std::uint64_t ahead = 0, Amount fee = 10) const {
    return tx(from, std::move(payload), state->account(from.public_key()).nonce + ahead, fee);
  }

  [[nodiscard]] BlockHeader next_header() const {
    BlockHeader h;
    h.chain_id = state->params().chain_id;
    h.height = state->height() + 1;
    h.parent_hash = state->last_block_hash();
    h.timestamp_ms = state->last_block_time_ms() + 3000;
    h.proposer = state->validator_set().proposer();
    return h;
  }

  // Precommits for `block` by the validators of `set` that `signs` accepts.
  Commit commit_for(const Block& block, const ValidatorSet& set,
                    const std::function<bool(const Address&)>& signs) const {
    Commit c;
    c.height = block.header.height;
    c.block_hash = block.hash();
    for (const auto& e : set.entries()) {
      if (!signs(e.address)) continue;
      Vote v;
      v.type = VoteType::precommit;
      v.height = c.height;
      v.block_hash = c.block_hash;
      v.validator = e.address;
      v.sign(*keys.at(e.address), state->params().chain_id, crypto::Backend::real);
      c.sigs.push_back({e.address, v.signature});
    }
    return c;
  }

  Result<BuiltBlock> build(const std::vector<TxPtr>& txs, std::vector<Evidence> evidence = {}) {
    return build_block(state, next_header(), txs, std::move(evidence), last_commit, verifier);
  }

  // Builds, checks the importer agrees, commits with `signs` (default all) and advances.
  BuiltBlock advance(const std::vector<TxPtr>& txs = {}, std::vector<Evidence> evidence = {},
                     const std::function<bool(const Address&)>& signs = [](const Address&) { return true; }) {
    auto built = build(txs, std::move(evidence));
    REQUIRE_MESSAGE(built.ok(), (built.ok() ? std::string() : built.error().message));
    auto applied = apply_block(state, *built.value().block, verifier);
    REQUIRE_MESSAGE(applied.ok(), (applied.ok() ? std::string() : applied.error().message));
    REQUIRE(applied.value()->root() == built.value().state->root());
    REQUIRE(applied.value()->last_block_hash() == built.value().block->hash());
    last_commit = commit_for(*built.value().block, state->validator_set(), signs);
    state = applied.value();
    return std::move(built).value();
  }

  crypto::Verifier verifier;
  StatePtr state;
  Commit last_commit;
  std::vector<crypto::KeyPair> vals;
  std::map<Address, const crypto::KeyPair*> keys;

 private:
  std::vector<crypto::KeyPair> users_;
};

}  // namespace mt::state::testing

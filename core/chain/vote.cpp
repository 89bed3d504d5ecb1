#include "core/chain/vote.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/crypto/hash.hpp"

namespace mt {

std::string_view vote_type_name(VoteType t) { return t == VoteType::prevote ? "prevote" : "precommit"; }

Hash32 Vote::signing_hash(std::string_view chain_id) const {
  codec::Writer w(96);
  w.str(chain_id);
  w.u8(static_cast<std::uint8_t>(type));
  w.u64(height);
  w.u32(round);
  w.fixed(block_hash);
  return crypto::tagged_hash("mt/vote", w.data());
}

void Vote::sign(const crypto::KeyPair& key, std::string_view chain_id, crypto::Backend backend) {
  MT_ASSERT(key.public_key() == validator, "Vote::sign with another validator's key");
  signature = key.sign(signing_hash(chain_id).view(), backend);
}

bool Vote::signature_valid(std::string_view chain_id, crypto::Verifier& v) const {
  return signature_valid_for(signing_hash(chain_id), v);
}

void Vote::encode(codec::Writer& w) const {
  w.u8(static_cast<std::uint8_t>(type));
  w.u64(height);
  w.u32(round);
  w.fixed(block_hash);
  w.fixed(validator);
  w.fixed(signature);
}

Vote Vote::decode(codec::Reader& r) {
  Vote v;
  v.type = static_cast<VoteType>(r.tag(1, 2, "vote type"));
  v.height = r.u64();
  v.round = r.u32();
  v.block_hash = r.fixed<32>();
  v.validator = r.fixed<32>();
  v.signature = r.fixed<64>();
  return v;
}

Hash32 Commit::hash() const {
  codec::Writer w(64 + sigs.size() * 96);
  encode(w);
  return crypto::tagged_hash("mt/commit", w.data());
}

Vote Commit::vote_at(std::size_t i) const {
  Vote v;
  v.type = VoteType::precommit;
  v.height = height;
  v.round = round;
  v.block_hash = block_hash;
  v.validator = sigs.at(i).validator;
  v.signature = sigs.at(i).signature;
  return v;
}

bool Commit::signed_by(const Address& a) const {
  auto it = std::lower_bound(sigs.begin(), sigs.end(), a,
                             [](const CommitSig& s, const Address& x) { return s.validator < x; });
  return it != sigs.end() && it->validator == a;
}

void Commit::encode(codec::Writer& w) const {
  w.u64(height);
  w.u32(round);
  w.fixed(block_hash);
  w.list_len(sigs.size());
  for (const auto& s : sigs) {
    w.fixed(s.validator);
    w.fixed(s.signature);
  }
}

Commit Commit::decode(codec::Reader& r) {
  Commit c;
  c.height = r.u64();
  c.round = r.u32();
  c.block_hash = r.fixed<32>();
  auto n = r.list_len(codec::kMaxListLen, 96);
  c.sigs.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    CommitSig s;
    s.validator = r.fixed<32>();
    s.signature = r.fixed<64>();
    if (!c.sigs.empty() && !(c.sigs.back().validator < s.validator)) {
      r.fail("commit signatures not strictly sorted by validator");
    }
    c.sigs.push_back(s);
  }
  return c;
}

Status verify_commit(const Commit& commit, std::uint64_t height, const Hash32& block_hash,
                     const ValidatorSet& validators, const Params& params, crypto::Verifier& verifier) {
  if (commit.height != height) {
    return make_error(fmt::format("commit is for height {}, expected {}", commit.height, height));
  }
  if (commit.block_hash != block_hash) return make_error("commit is for another block");
  std::uint64_t power = 0;
  std::optional<Hash32> signing_hash;  // the same for every signature of the commit
  for (std::size_t i = 0; i < commit.sigs.size(); ++i) {
    const auto& s = commit.sigs[i];
    if (i > 0 && !(commit.sigs[i - 1].validator < s.validator)) return make_error("commit signers not sorted");
    const auto* v = validators.find(s.validator);
    if (v == nullptr) return make_error("commit signed by non-validator " + s.validator.short_hex());
    const Vote vote = commit.vote_at(i);
    if (!signing_hash) signing_hash = vote.signing_hash(params.chain_id);
    if (!vote.signature_valid_for(*signing_hash, verifier)) {
      return make_error("invalid commit signature from " + s.validator.short_hex());
    }
    power += v->power;
  }
  if (!validators.has_quorum(power, params.quorum_num, params.quorum_den)) {
    return make_error(fmt::format("commit power {} of {} is not a quorum", power, validators.total_power()));
  }
  return {};
}

std::optional<DuplicateVoteEvidence> DuplicateVoteEvidence::from_votes(const Vote& x, const Vote& y) {
  if (x.validator != y.validator || x.height != y.height || x.round != y.round || x.type != y.type ||
      x.block_hash == y.block_hash) {
    return std::nullopt;
  }
  DuplicateVoteEvidence e;
  if (x.block_hash < y.block_hash) {
    e.a = x;
    e.b = y;
  } else {
    e.a = y;
    e.b = x;
  }
  return e;
}

Status DuplicateVoteEvidence::validate(std::string_view chain_id, crypto::Verifier& v) const {
  if (a.validator != b.validator) return make_error("evidence votes from different validators");
  if (a.height != b.height || a.round != b.round || a.type != b.type) {
    return make_error("evidence votes for different height, round or type");
  }
  if (!(a.block_hash < b.block_hash)) return make_error("evidence votes not distinct or not in canonical order");
  if (!a.signature_valid(chain_id, v) || !b.signature_valid(chain_id, v)) {
    return make_error("evidence vote signature invalid");
  }
  return {};
}

Hash32 DuplicateVoteEvidence::hash() const {
  codec::Writer w(320);
  encode(w);
  return crypto::tagged_hash("mt/evidence", w.data());
}

void DuplicateVoteEvidence::encode(codec::Writer& w) const {
  a.encode(w);
  b.encode(w);
}

DuplicateVoteEvidence DuplicateVoteEvidence::decode(codec::Reader& r) {
  DuplicateVoteEvidence e;
  e.a = Vote::decode(r);
  e.b = Vote::decode(r);
  return e;
}

}  // namespace mt

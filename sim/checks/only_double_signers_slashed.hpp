// Safety (accountability): every double-sign slash names a validator that really signed two
// conflicting votes. For each piece of evidence in a finalized block (each is one slash), the
// two votes must conflict (one validator, height, round and type; two values) and both carry a
// valid signature of that validator, verified here with the check's own verifier, not through
// the chain's evidence validation; and if the accused validator runs as an honest node, both
// votes must be among the votes it was seen to cast. Every SlashApplied for double signing must
// be backed by such evidence at its height. Forged evidence (a made-up signature, a vote the
// validator never cast) therefore fails the check even if the chain accepted it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "sim/checks/check.hpp"

namespace mt::sim {

class OnlyDoubleSignersSlashed final : public Check {
 public:
  OnlyDoubleSignersSlashed(const RunView& view, std::string chain_id, crypto::Backend backend);
  [[nodiscard]] std::string name() const override { return "only_double_signers_slashed"; }
  [[nodiscard]] CheckClass check_class() const override { return CheckClass::safety; }
  void on_event(std::size_t node, TimeUs t, const Event& e) override;
  void finish(TimeUs end_us) override;
  [[nodiscard]] std::string measured() const override;

 private:
  using Cast = std::tuple<std::size_t, std::uint64_t, std::uint32_t, VoteType, Hash32>;  // node, h, r, type, value
  void judge(TimeUs t, const BlockCommitted& c, const Evidence& e);
  [[nodiscard]] bool really_cast(std::size_t node, const Vote& v) const;

  std::string chain_id_;
  crypto::Verifier verifier_;
  std::set<Cast> cast_;                                    // votes honest nodes were seen to cast
  std::set<std::uint64_t> judged_heights_;                 // finalized heights whose evidence was judged
  std::set<std::pair<std::uint64_t, Address>> backed_;     // (height, validator) with sound evidence
  std::map<std::pair<std::uint64_t, Address>, TimeUs> slashes_;  // double-sign slashes seen
  std::uint64_t evidence_judged_ = 0;
};

}  // namespace mt::sim

// Message rules (`messages:` faults) bite: dropping every precommit of one height stalls it until
// the rule ends, dropping round 0's proposal only moves the commit to round 1, a delay holds the kind back
// by at least its value, a rule over heights the run never reaches changes nothing (not even the
// digest), a rule by signer catches a vote whichever peer relays it, and the loader refuses rules
// that cannot match anything.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/node/message_codec.hpp"
#include "sim/net/message_rules.hpp"
#include "sim/runner/runner.hpp"
#include "sim/scenario/load_scenario.hpp"
#include "testnet/testnet_scope.hpp"

using namespace mt;
using namespace mt::sim;

namespace {

const char* kBase = R"(version: 1
name: message-rules
duration: 12s
chain: { block_time: 1s, crypto: fast }
network:
  latency: { default: { dist: constant, value: 5ms } }
validators:
  - { group: v, count: 4, stake: 1000 }
faults:
  - { id: rule, at: 500ms, messages: { kind: precommit, heights: [3, 3], drop: true }, duration: 5s }
)";

RunOutput run(const std::vector<std::string>& sets) {
  auto s = load_scenario_text(kBase, "rules.yaml", sets);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  RunSettings settings;
  auto out = run_scenario(s.value(), settings);
  REQUIRE(out.error.empty());
  return out;
}

const BlockRecord& block_at(const RunOutput& out, std::uint64_t height) {
  for (const auto& b : out.result.blocks) {
    if (b.height == height) return b;
  }
  FAIL("height " << height << " was never committed");
  return out.result.blocks.front();
}

std::string load_error(const std::string& rule) {
  auto s = load_scenario_text(kBase, "rules.yaml", {"faults[0].messages=" + rule});
  return s.ok() ? "" : s.error().message;
}

}  // namespace

TEST_CASE("dropping one height's precommits stalls that height until the rule ends") {
  const auto free = run({"faults[0].messages.heights=[100, 100]"});
  const auto cut = run({});
  // Height 3 cannot commit while every precommit for it is dropped (500ms .. 5.5s).
  CHECK(block_at(free, 3).commit_time_us < 4'000'000);
  CHECK(block_at(cut, 3).commit_time_us >= 5'500'000);
  CHECK(block_at(cut, 2).commit_time_us < 4'000'000);  // heights outside the range are untouched
  // A rule over a height the run never reaches changes nothing at all.
  const auto none = run({"faults=[]"});
  CHECK(free.result.digest == none.result.digest);
}

TEST_CASE("dropping only round 0's proposal commits the height in a later round") {
  const auto out = run({"faults[0].messages.kind=proposal", "faults[0].messages.rounds=[0, 0]", "faults[0].duration=11s"});
  CHECK(block_at(out, 3).round >= 1);
  CHECK(block_at(out, 2).round == 0);
  CHECK(block_at(out, 4).round == 0);
}

TEST_CASE("a delay rule holds the kind back by at least its value") {
  const auto base = run({"faults[0].messages.heights=[100, 100]"});
  const auto slow = run({"faults[0].messages.drop=false", "faults[0].messages.delay=2s"});
  CHECK(block_at(slow, 3).commit_time_us >= block_at(base, 3).commit_time_us + 2'000'000 - 100'000);
  CHECK(block_at(slow, 3).round == 0);  // delayed, not lost: the timeouts do not run out first
}

TEST_CASE("message rules that cannot match are refused at load, and the testnet refuses them all") {
  CHECK(load_error("{ kind: tx, heights: [1, 2], drop: true }").find("no height") != std::string::npos);
  CHECK(load_error("{ kind: status, rounds: 0, drop: true }").find("no round") != std::string::npos);
  CHECK(load_error("{ kind: vote }").find("exactly one of") != std::string::npos);
  CHECK(load_error("{ kind: vote, drop: true, delay: 1s }").find("exactly one of") != std::string::npos);
  CHECK(load_error("{ kind: votes, drop: true }").find("kind") != std::string::npos);
  CHECK(load_error("{ kind: vote, heights: [5, 2], drop: true }").find("above the last") != std::string::npos);
  auto s = load_scenario_text(kBase, "rules.yaml");
  REQUIRE(s.ok());
  CHECK(testnet::check_testnet_scope(s.value()).refusals.size() == 1);
}

TEST_CASE("a rule by signer matches a vote relayed by any peer; a rule by sender only the signer's own sends") {
  Vote v;
  v.type = VoteType::prevote;
  v.height = 3;
  v.validator.data[0] = 7;  // the signer (node 0 below)
  const WirePtr wire = encode_message(Message(v));
  MessageRule by_sender;
  by_sender.kind = MsgKind::vote;
  by_sender.from = {true, false, false};
  by_sender.to = {false, false, true};
  by_sender.drop = true;
  MessageRule by_signer = by_sender;
  by_signer.by_signer = true;
  by_signer.signers = {v.validator};
  MessageRules senders, signers;
  senders.add(by_sender);
  signers.add(by_signer);
  CHECK(senders.judge(0, 2, *wire).drop);        // node 0 sends its own vote
  CHECK_FALSE(senders.judge(1, 2, *wire).drop);  // node 1 relays it: the sender rule misses it
  CHECK(signers.covers(1, 2));
  CHECK(signers.judge(1, 2, *wire).drop);        // the signer rule catches the relay
  CHECK_FALSE(signers.judge(1, 0, *wire).drop);  // ... only towards `to`
  Vote other = v;
  other.validator.data[0] = 8;
  CHECK_FALSE(signers.judge(0, 2, *encode_message(Message(other))).drop);  // another signer
  CHECK(load_error("{ kind: status, signer: true, drop: true }").find("signer") != std::string::npos);
}

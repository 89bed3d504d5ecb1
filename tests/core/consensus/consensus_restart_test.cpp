// Honest validators that crash and restart mid-height: rebuilt from nothing but what they made
// durable, they keep their lock (no fork at one height) and re-send their votes (no halt).
#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <variant>
#include <vector>

#include "consensus_fixture.hpp"

using namespace mt;
using namespace mt::test;

namespace {

using Message = std::variant<Proposal, Vote>;

bool is_proposal(const Message& m) { return std::holds_alternative<Proposal>(m); }
bool is_prevote(const Message& m) {
  return std::holds_alternative<Vote>(m) && std::get<Vote>(m).type == VoteType::prevote;
}
bool is_precommit(const Message& m) {
  return std::holds_alternative<Vote>(m) && std::get<Vote>(m).type == VoteType::precommit;
}

// Four equal validators at height 1 with hand-controlled delivery: a message reaches a peer only
// when the test floods it there. Each validator's "disk" is the last record it persisted; a
// restart rebuilds its Consensus from that record alone, and what the old incarnation sent but
// nobody received is lost.
class HandNet {
 public:
  HandNet() : vals_(4) {
    for (std::size_t i = 0; i < 4; ++i) peers_.push_back(std::make_unique<Peer>(*this, i));
    for (std::size_t i = 0; i < 4; ++i) boot(i);
  }

  const Validators& vals() const { return vals_; }
  Consensus& node(std::size_t i) { return *peers_[i]->node; }
  const std::vector<Decision>& decisions(std::size_t i) const { return peers_[i]->decisions; }

  // Delivers to each of `to` every message `from` (its current incarnation) has sent that
  // `pick` selects. Duplicates are harmless.
  void flood(std::size_t from, const std::vector<std::size_t>& to, const std::function<bool(const Message&)>& pick) {
    const std::vector<Message> sent = peers_[from]->sent;  // delivery may send more
    for (std::size_t t : to) {
      for (const Message& m : sent) {
        if (t != from && pick(m)) deliver(t, m);
      }
    }
  }

  // Fires the pending timeout of `step` for i's current height and round.
  void fire(std::size_t i, ConsensusStep step) {
    Consensus& c = node(i);
    c.on_timeout(c.height(), c.round(), step);
  }

  // Crash and restart: a new Consensus from the persisted record; it re-sends what it restored.
  // `lost`: what the old incarnation sent is gone (else still in flight, deliverable).
  void restart(std::size_t i, bool lost) {
    Peer& p = *peers_[i];
    if (lost) p.sent.clear();
    ++p.incarnation;
    boot(i);
    auto again = p.node->retransmit_messages();
    for (auto& m : again.proposals) p.sent.emplace_back(std::move(m));
    for (auto& m : again.votes) p.sent.emplace_back(std::move(m));
  }

  // Runs the validators in `live` on a virtual clock: every message any of them sent reaches the
  // others at once, and their timers fire in time order, until `limit`.
  void run(const std::vector<std::size_t>& live, TimeUs limit) {
    auto any = [](const Message&) { return true; };
    for (int events = 0; events < 100'000; ++events) {
      for (std::size_t pass = 0; pass < 8; ++pass) {
        for (std::size_t i : live) flood(i, live, any);
      }
      std::optional<Timer> next;
      for (const Timer& t : timers_) {
        const bool alive = std::find(live.begin(), live.end(), t.who) != live.end();
        if (alive && t.incarnation == peers_[t.who]->incarnation) {
          next = t;
          break;
        }
      }
      if (!next.has_value() || next->at > limit) return;
      timers_.erase(*next);
      now_ = std::max(now_, next->at);
      node(next->who).on_timeout(next->height, next->round, next->step);
    }
    FAIL("hand net did not settle");
  }

 private:
  struct Timer {
    TimeUs at;
    std::uint64_t seq;
    std::size_t who;
    std::uint64_t incarnation;
    std::uint64_t height;
    std::uint32_t round;
    ConsensusStep step;
    bool operator<(const Timer& o) const { return std::tie(at, seq) < std::tie(o.at, o.seq); }
  };

  struct Peer : RecordingHost {
    Peer(HandNet& n, std::size_t i) : net(n), index(i) {}
    HandNet& net;
    std::size_t index;
    std::uint64_t incarnation = 0;
    std::unique_ptr<Consensus> node;
    std::vector<Message> sent;

    [[nodiscard]] TimeUs now() const override { return net.now_; }
    void broadcast_proposal(const Proposal& p) override {
      RecordingHost::broadcast_proposal(p);
      sent.emplace_back(p);
    }
    void broadcast_vote(const Vote& v) override {
      RecordingHost::broadcast_vote(v);
      sent.emplace_back(v);
    }
    void schedule_timeout(std::uint64_t h, std::uint32_t r, ConsensusStep s, TimeUs delay) override {
      net.timers_.insert({net.now_ + delay, net.timer_seq_++, index, incarnation, h, r, s});
    }
  };

  void boot(std::size_t i) {
    Peer& p = *peers_[i];
    if (p.persisted.empty()) {
      p.node = std::make_unique<Consensus>(vals_.config(i), p, verifier_);
    } else {
      p.node = std::make_unique<Consensus>(vals_.config(i), p, verifier_, p.persisted.back());
    }
    p.node->start_height(1, vals_.set());
  }

  void deliver(std::size_t to, const Message& m) {
    if (const auto* p = std::get_if<Proposal>(&m)) {
      (void)node(to).on_proposal(*p);
    } else {
      (void)node(to).on_vote(std::get<Vote>(m));
    }
  }

  Validators vals_;
  crypto::Verifier verifier_;
  std::vector<std::unique_ptr<Peer>> peers_;
  std::set<Timer> timers_;
  std::uint64_t timer_seq_ = 0;
  TimeUs now_ = 0;
};

// The validators other than `proposer`, in index order: the roles a, b, c (or b, c, d).
std::vector<std::size_t> all_but(std::size_t proposer) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < 4; ++i) {
    if (i != proposer) out.push_back(i);
  }
  return out;
}

// Every decision of every validator names one block at height 1.
std::set<Hash32> decided_blocks(const HandNet& net) {
  std::set<Hash32> out;
  for (std::size_t i = 0; i < 4; ++i) {
    for (const Decision& d : net.decisions(i)) out.insert(d.block->hash());
  }
  return out;
}

}  // namespace

TEST_CASE("restarted validators keep their lock: no second block is decided at a height they precommitted") {
  // The fork: A, B, C precommit X in round 0 and A decides X; B and C restart; D, which
  // never saw the proposal, proposes Y in round 1. B and C must prevote nil on Y.
  HandNet net;
  const std::size_t d = net.vals().proposer_index(1);
  const std::size_t p0 = net.vals().proposer_index(0);
  REQUIRE(d != p0);
  const auto abc = all_but(d);  // includes p0
  const std::size_t a = abc[0];
  const std::size_t b = abc[1];
  const std::size_t c = abc[2];

  net.flood(p0, abc, is_proposal);  // D never gets X
  for (std::size_t i : abc) net.flood(i, {0, 1, 2, 3}, is_prevote);
  for (std::size_t i : abc) REQUIRE(net.node(i).locked_round() == 0);
  net.flood(b, {a}, is_precommit);
  net.flood(c, {a}, is_precommit);
  REQUIRE(net.decisions(a).size() == 1);
  const Hash32 x = net.decisions(a)[0].block->hash();

  // D: no proposal, nil prevote, a nil precommit after the prevote timeout.
  net.fire(d, ConsensusStep::propose);
  net.fire(d, ConsensusStep::prevote);
  for (std::size_t i : abc) net.flood(i, {d}, is_precommit);
  net.restart(b, false);
  net.restart(c, false);
  CHECK(net.node(b).locked_round() == 0);
  CHECK(net.node(c).locked_round() == 0);
  // Everyone but A moves to round 1 on the round-0 precommits (a quorum of any) and its timeout.
  for (std::size_t i : {b, c, d}) net.flood(i, {b, c, d}, is_precommit);
  net.flood(a, {b, c}, is_precommit);
  for (std::size_t i : {b, c, d}) net.fire(i, ConsensusStep::precommit);
  for (std::size_t i : {b, c, d}) REQUIRE(net.node(i).round() == 1);
  net.flood(d, {b, c}, is_proposal);  // D's fresh block Y
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t i : {b, c, d}) net.flood(i, {b, c, d}, is_prevote);
    for (std::size_t i : {b, c, d}) net.flood(i, {b, c, d}, is_precommit);
  }
  const std::set<Hash32> blocks = decided_blocks(net);
  CHECK(blocks.size() == 1);
  CHECK(blocks.count(x) == 1);
  for (std::size_t i : {b, c}) {
    const VoteSet* prevotes = net.node(i).votes(1, VoteType::prevote);
    REQUIRE(prevotes != nullptr);
    const Vote* mine = prevotes->vote_of(net.vals().addr(i));
    REQUIRE(mine != nullptr);
    CHECK(mine->block_hash == Hash32{});  // locked on X: nil on Y
  }
}

TEST_CASE("two restarted validators resume their round and re-send their votes: the three left decide") {
  // The halt: a, b, c lock X in round 0 and only a decides; a is cut off, b and c
  // restart. b, c and d hold 75% of the power and must finalize X. d never saw a's prevote:
  // it learns the polka for X (needed to prevote X re-proposed) from b and c.
  HandNet net;
  const std::size_t a = net.vals().proposer_index(0);
  const auto bcd = all_but(a);
  const std::size_t b = bcd[0];
  const std::size_t c = bcd[1];
  const std::size_t d = bcd[2];

  net.flood(a, {b, c}, is_proposal);  // d hears nothing of round 0 before the restarts
  net.fire(d, ConsensusStep::propose);
  for (std::size_t i : {a, b, c}) net.flood(i, {a, b, c}, is_prevote);
  for (std::size_t i : {a, b, c}) REQUIRE(net.node(i).locked_round() == 0);
  net.flood(b, {a}, is_precommit);
  net.flood(c, {a}, is_precommit);
  REQUIRE(net.decisions(a).size() == 1);
  const Hash32 x = net.decisions(a)[0].block->hash();

  net.restart(b, true);
  net.restart(c, true);
  net.run({b, c, d}, sec(300));
  for (std::size_t i : {b, c, d}) {
    REQUIRE(net.decisions(i).size() == 1);
    CHECK(net.decisions(i)[0].block->hash() == x);
  }
  // Resumed where they were: nothing signed again at or below round 0's precommit but the same.
  for (std::size_t i : {b, c}) CHECK(net.node(i).stats().signing_refused == 0);
}

TEST_CASE("a restored record that does not check out blocks signing instead of resuming from it") {
  Validators vals(4);
  const std::size_t me = vals.proposer_index(3);
  const BlockPtr x = make_block(1, 1);
  auto restored = [&](auto&& spoil) {
    ConsensusRecord rec = record_of(SigningState{1, 0, ConsensusStep::prevote, x->hash()});
    rec.own_votes = {vals.vote(me, VoteType::prevote, 1, 0, x->hash())};
    spoil(rec);
    return rec;
  };
  const std::vector<std::function<void(ConsensusRecord&)>> spoilers = {
      [&](ConsensusRecord& r) { r.own_votes[0] = vals.vote((me + 1) % 4, VoteType::prevote, 1, 0, x->hash()); },
      [&](ConsensusRecord& r) { r.own_votes[0].signature.data[3] ^= 1; },
      [&](ConsensusRecord& r) {  // a valid round without a quorum of prevotes behind it
        r.valid_round = 0;
        r.valid_value = x;
        r.polka = {r.own_votes[0]};
      },
      [&](ConsensusRecord& r) { r.signing.round = Consensus::kMaxRound + 1; },
  };
  for (const auto& spoil : spoilers) {
    SingleNode t(me, Params{}, restored(spoil));
    t.start();
    CHECK(t.node->signing_blocked());
    t.node->on_timeout(1, t.node->round(), ConsensusStep::propose);
    for (std::size_t i : t.others()) (void)t.prevote(i, 0, Hash32{});
    CHECK(t.host.votes.empty());
  }
  SingleNode fine(me, Params{}, restored([](ConsensusRecord&) {}));
  fine.start();
  CHECK_FALSE(fine.node->signing_blocked());
  CHECK(fine.node->step() == ConsensusStep::prevote);
}

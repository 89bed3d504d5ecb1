// Nodes over a tiny deterministic network (node_harness.hpp): 4 validators agree on every block;
// transactions spread by gossip and finalize everywhere; garbage and forgeries are rejected and
// counted; crashed nodes restart from their Store, catch up by block sync and never double-sign;
// finality survives 1 crash of 4 and halts with 2 until they come back.
#include <doctest/doctest.h>

#include <map>
#include <tuple>
#include <vector>

#include "core/node/message_codec.hpp"
#include "tests/core/node/node_harness.hpp"

using namespace mt;
using namespace mt::test;

namespace {

constexpr TimeUs kLongDeadline = sec(600);  // of simulated time, from the call

bool all_live_at(NodeHarness& h, std::uint64_t height) { return h.min_live_height() >= height; }

// Every pair of nodes committed the same hash at every height both committed.
void check_agreement(NodeHarness& h) {
  auto ref = h.committed(0);
  for (PeerId i = 1; i < h.size(); ++i) {
    for (const auto& [height, hash] : h.committed(i)) {
      auto it = ref.find(height);
      if (it != ref.end()) CHECK_MESSAGE(it->second == hash, "nodes disagree at height " << height);
      else ref.emplace(height, hash);
    }
  }
}

template <class T>
std::size_t count_events(NodeHarness& h, PeerId id) {
  std::size_t n = 0;
  for (const auto& e : h.ctx(id).events) if (std::holds_alternative<T>(e)) ++n;
  return n;
}

// The validator's own votes: no two for one (height, round, type) with different blocks.
void check_no_double_sign(NodeHarness& h, PeerId id) {
  std::map<std::tuple<std::uint64_t, std::uint32_t, VoteType>, Hash32> seen;
  for (const auto& e : h.ctx(id).events) {
    const auto* v = std::get_if<VoteCast>(&e);
    if (v == nullptr) continue;
    auto [it, fresh] = seen.emplace(std::make_tuple(v->height, v->round, v->type), v->block_hash);
    CHECK_MESSAGE((fresh || it->second == v->block_hash),
                  "validator " << id << " signed two votes at height " << v->height << " round " << v->round);
  }
}

}  // namespace

TEST_CASE("four validators finalize the same blocks for 20 heights, and a full node follows them") {
  HarnessOptions opt;
  opt.full_nodes = 1;
  NodeHarness h(opt);
  h.start_all();
  REQUIRE(h.run_until([&] { return all_live_at(h, 20); }, kLongDeadline));
  check_agreement(h);
  CHECK(count_events<VoteCast>(h, 4) == 0);  // the full node never signs
  CHECK(h.node(4).state()->root() == h.node(0).state()->root());
  for (PeerId i = 0; i < 4; ++i) {
    CHECK(h.node(i).stats().blocks_committed >= 18);  // live consensus, not sync
    CHECK(h.node(i).stats().messages_rejected == 0);
    CHECK(count_events<ProposalMade>(h, i) >= 3);      // the proposer rotates
  }
  CHECK(h.node(0).state()->root() == h.node(3).state()->root());
}

TEST_CASE("transactions submitted to one node are gossiped and finalize with correct balances on all") {
  HarnessOptions opt;
  opt.funded = {"alice"};
  NodeHarness h(opt);
  h.start_all();
  auto alice = crypto::KeyPair::from_label("alice");
  auto bob = crypto::KeyPair::from_label("bob");
  constexpr int kTxs = 10;
  for (int n = 0; n < kTxs; ++n) {
    CHECK(admitted(h.node(2).on_transaction(
        make_transfer(alice, bob.public_key(), static_cast<std::uint64_t>(n), 100, crypto::Backend::real))));
  }
  h.run_for(ms(200));
  for (PeerId i = 0; i < 4; ++i) {
    if (i != 2) CHECK(h.node(i).mempool().size() == kTxs);  // gossip reached every node
  }
  REQUIRE(h.run_until(
      [&] {
        for (PeerId i = 0; i < 4; ++i) {
          if (h.node(i).state()->account(alice.public_key()).nonce != kTxs) return false;
        }
        return true;
      },
      kLongDeadline));
  for (PeerId i = 0; i < 4; ++i) {
    CHECK(h.node(i).state()->account(bob.public_key()).balance == 100 * kTxs);
    CHECK(h.node(i).state()->account(alice.public_key()).balance == 1'000'000 - kTxs * (100 + 10));
    CHECK(h.node(i).mempool().size() == 0);
    CHECK(state::check_supply(*h.node(i).state()).ok());
  }
  check_agreement(h);
}

TEST_CASE("garbage bytes and a forged vote are rejected and counted without crashing") {
  NodeHarness h({});
  h.start_all();
  REQUIRE(h.run_until([&] { return all_live_at(h, 2); }, kLongDeadline));
  const auto before = h.node(1).stats().messages_rejected;
  // Garbage under every kind.
  for (std::uint8_t kind = 1; kind <= kMsgKindMax; ++kind) {
    auto w = std::make_shared<WireMessage>();
    w->kind = static_cast<MsgKind>(kind);
    w->mutable_payload() = Bytes{0xde, 0xad, 0xbe, 0xef, kind};
    h.inject(0, 1, w);
  }
  auto unknown = std::make_shared<WireMessage>();
  unknown->kind = static_cast<MsgKind>(200);
  h.inject(0, 1, unknown);
  CHECK(h.node(1).stats().messages_rejected == before + kMsgKindMax + 1);

  // A vote for the current height claiming to be validator 2, signed by someone else.
  Vote forged;
  forged.type = VoteType::prevote;
  forged.height = h.node(1).consensus()->height();
  forged.round = h.node(1).consensus()->round();
  forged.block_hash.data[0] = 7;
  auto mallory = crypto::KeyPair::from_label("mallory");
  forged.validator = mallory.public_key();
  forged.sign(mallory, "node-test", crypto::Backend::real);
  forged.validator = h.validator_key(2).public_key();  // the claim; the signature is mallory's
  const auto relayed = h.node(1).stats().messages_relayed;
  h.inject(0, 1, encode_message(Message(forged)));
  CHECK(h.node(1).stats().messages_rejected == before + kMsgKindMax + 2);
  CHECK(h.node(1).stats().messages_relayed == relayed);  // not passed on
  CHECK(count_events<MessageRejected>(h, 1) == kMsgKindMax + 2);
  // The same garbage again is a duplicate, not a second rejection.
  h.inject(0, 1, encode_message(Message(forged)));
  CHECK(h.node(1).stats().messages_rejected == before + kMsgKindMax + 2);

  // The chain goes on.
  REQUIRE(h.run_until([&] { return all_live_at(h, 5); }, kLongDeadline));
  check_agreement(h);
}

TEST_CASE("memoised decoding and the shared transition cache change nothing an observer sees") {
  auto run = [](bool memo, bool share, TimeUs batch = 0) {
    HarnessOptions opt;
    opt.memoise_decode = memo;
    opt.share_transitions = share;
    opt.gossip_batch = batch;
    opt.funded = {"alice"};
    NodeHarness h(opt);
    h.start_all();
    // Transactions too, so relays (batched when `batch` > 0) carry txs as well as votes.
    auto alice = crypto::KeyPair::from_label("alice");
    for (std::uint64_t n = 0; n < 6; ++n) {
      (void)h.node(n % 4).on_transaction(make_transfer(alice, alice.public_key(), n, 1, crypto::Backend::real));
    }
    REQUIRE(h.run_until([&] { return all_live_at(h, 6); }, kLongDeadline));
    // What an observer could see: every node's chain, event count and charged CPU, and the
    // number of deliveries and timers the world processed.
    std::vector<std::tuple<std::map<std::uint64_t, Hash32>, std::size_t, TimeUs>> seen;
    for (PeerId i = 0; i < h.size(); ++i) seen.emplace_back(h.committed(i), h.ctx(i).events.size(), h.ctx(i).cpu_us);
    return std::make_pair(seen, h.events_processed());
  };
  auto a = run(true, true);
  auto b = run(false, false);
  auto c = run(false, true);
  CHECK(a.first == b.first);
  CHECK(a.second == b.second);
  CHECK(a.first == c.first);
  CHECK(a.second == c.second);
  // With batched relays the memo is born with the batch: still nothing an observer can see.
  auto d = run(true, true, ms(15));
  auto e = run(false, false, ms(15));
  CHECK(d.first == e.first);
  CHECK(d.second == e.second);
}

TEST_CASE("batched relays finalize the same way with fewer frames, never echoing an item to its sender") {
  auto run = [](TimeUs batch) {
    HarnessOptions opt;
    opt.validators = 6;
    opt.gossip_batch = batch;
    opt.funded = {"alice"};
    auto h = std::make_unique<NodeHarness>(opt);
    h->start_all();
    auto alice = crypto::KeyPair::from_label("alice");
    for (std::uint64_t n = 0; n < 20; ++n) {
      (void)h->node(static_cast<PeerId>(n % 6)).on_transaction(
          make_transfer(alice, alice.public_key(), n, 1, crypto::Backend::real));
    }
    REQUIRE(h->run_until([&] { return all_live_at(*h, 8); }, kLongDeadline));
    check_agreement(*h);
    return h;
  };
  auto plain = run(0);
  auto batched = run(ms(20));
  std::uint64_t frames_plain = 0, frames_batched = 0, batches = 0, skipped = 0;
  for (PeerId i = 0; i < 6; ++i) {
    frames_plain += plain->node(i).stats().messages_received;
    frames_batched += batched->node(i).stats().messages_received;
    batches += batched->node(i).stats().batches_sent;
    skipped += batched->node(i).stats().batch_items_skipped;
    CHECK(plain->node(i).stats().batches_sent == 0);
    CHECK(batched->node(i).stats().messages_rejected == 0);
    CHECK(batched->node(i).state()->account(crypto::KeyPair::from_label("alice").public_key()).nonce == 20);
  }
  CHECK(batches > 0);
  CHECK(skipped > 0);  // items the peer had sent us stayed out of its batch
  CHECK(frames_batched < frames_plain);
}

TEST_CASE("a relay waiting in the outbox skips every peer that sent it meanwhile, same object or not") {
  // Node 0 takes a tx in from peer 1, then hears it again from peer 2 (the same shared object)
  // and from peer 3 (an equal message in another object) before its flush: its batch of one
  // goes to none of them. With five nodes, only peer 4 gets it.
  for (const bool same_object : {true, false}) {
    for (const bool memoise : {true, false}) {
      HarnessOptions opt;
      opt.validators = 5;
      opt.funded = {"alice"};
      opt.gossip_batch = ms(10);
      opt.memoise_decode = memoise;
      NodeHarness h(opt);
      h.start_all();
      auto alice = crypto::KeyPair::from_label("alice");
      const auto tx = make_transfer(alice, alice.public_key(), 0, 1, crypto::Backend::real);
      const WirePtr wire = encode_message(Message(tx));
      const NodeStats before = h.node(0).stats();
      h.inject(1, 0, wire);
      h.inject(2, 0, wire);
      h.inject(3, 0, same_object ? wire : encode_message(Message(tx)));
      const NodeStats& after = h.node(0).stats();
      CHECK(after.messages_duplicate == before.messages_duplicate + 2);
      h.run_for(ms(12));  // the flush; no peer's relay has reached node 0 yet (20 ms latency)
      CHECK(after.batches_sent == before.batches_sent + 1);
      CHECK(after.batch_items_skipped == before.batch_items_skipped + 3);
    }
  }
}

TEST_CASE("a batch with a garbage item rejects that item and still delivers the rest") {
  HarnessOptions opt;
  opt.funded = {"alice"};
  NodeHarness h(opt);
  h.start_all();
  REQUIRE(h.run_until([&] { return all_live_at(h, 2); }, kLongDeadline));
  auto alice = crypto::KeyPair::from_label("alice");
  auto garbage = std::make_shared<WireMessage>();
  garbage->kind = MsgKind::vote;
  garbage->mutable_payload() = Bytes{1, 2, 3};
  const auto tx = make_transfer(alice, alice.public_key(), 0, 1, crypto::Backend::real);
  const auto rejected = h.node(1).stats().messages_rejected;
  h.inject(0, 1, make_gossip_batch({garbage, encode_message(Message(tx))}, false));
  CHECK(h.node(1).stats().messages_rejected == rejected + 1);
  CHECK(h.node(1).mempool().size() == 1);
}

TEST_CASE("a double-signing validator is caught: evidence spreads, lands in a block and is slashed everywhere") {
  NodeHarness h({});
  h.start_all();
  REQUIRE(h.run_until([&] { return all_live_at(h, 2); }, kLongDeadline));
  // Validator 3 signs two conflicting prevotes for node 0's current height and round.
  const auto& key = h.validator_key(3);
  for (std::uint8_t b : {std::uint8_t{1}, std::uint8_t{2}}) {
    Vote v;
    v.type = VoteType::prevote;
    v.height = h.node(0).consensus()->height();
    v.round = h.node(0).consensus()->round();
    v.block_hash.data[0] = b;
    v.validator = key.public_key();
    v.sign(key, "node-test", crypto::Backend::real);
    h.inject(3, 0, encode_message(Message(v)));
  }
  CHECK(count_events<EvidenceFound>(h, 0) >= 1);
  CHECK(h.node(0).evidence_pool().size() == 1);
  auto tombstoned = [&](PeerId i) {
    auto v = h.node(i).state()->validator(key.public_key());
    return v.has_value() && v->tombstoned && v->jailed;
  };
  REQUIRE(h.run_until([&] { return tombstoned(0) && tombstoned(1) && tombstoned(2) && tombstoned(3); },
                      kLongDeadline));
  for (PeerId i = 0; i < 4; ++i) {
    std::size_t slashes = 0;
    for (const auto& e : h.ctx(i).events) {
      if (const auto* s = std::get_if<SlashApplied>(&e)) {
        CHECK(s->validator == key.public_key());  // honest validators are never slashed
        CHECK(s->double_sign);
        CHECK(s->amount == 100);                  // 10% of 1000
        ++slashes;
      }
    }
    CHECK(slashes == 1);
    CHECK(h.node(i).evidence_pool().size() == 0);  // removed once committed
  }
  // The three honest validators keep finalizing.
  const std::uint64_t after = h.node(0).height();
  REQUIRE(h.run_until([&] { return all_live_at(h, after + 3); }, kLongDeadline));
  check_agreement(h);
}

TEST_CASE("a node that prunes old blocks still restarts from its latest snapshot") {
  HarnessOptions opt;
  opt.keep_heights = 4;
  NodeHarness h(opt);
  h.start_all();
  REQUIRE(h.run_until([&] { return all_live_at(h, 12); }, kLongDeadline));
  auto first = h.ctx(2).storage().block_at(1);
  REQUIRE(first.ok());
  CHECK_FALSE(first.value().has_value());  // pruned
  const Hash32 root = h.node(2).state()->root();
  const std::uint64_t height = h.node(2).height();
  h.crash(2);
  h.restart(2);
  CHECK(h.node(2).height() == height);
  CHECK(h.node(2).state()->root() == root);
  REQUIRE(h.run_until([&] { return all_live_at(h, height + 3); }, kLongDeadline));
  check_agreement(h);
}

// The crash/restart cases below simulate a few minutes each but run in well under 0.1 s under
// ASan (measured), so they stay in the default suite.

TEST_CASE("a node stopped for 10 heights restarts from its store, catches up by block sync and continues") {
  NodeHarness h({});
  h.start_all();
  REQUIRE(h.run_until([&] { return all_live_at(h, 3); }, kLongDeadline));
  h.crash(3);
  const std::uint64_t stopped_at = h.node(0).height();
  REQUIRE(h.run_until([&] { return h.node(0).height() >= stopped_at + 10; }, kLongDeadline));
  h.restart(3);
  // Restored from its own store first: the latest snapshot, then at most an interval of blocks.
  CHECK(h.node(3).height() >= stopped_at);
  CHECK(h.node(3).stats().blocks_replayed < 5);
  const std::uint64_t target = h.node(0).height() + 3;
  REQUIRE(h.run_until([&] { return all_live_at(h, target); }, kLongDeadline));
  CHECK(h.node(3).stats().blocks_synced >= 8);
  CHECK(count_events<SyncStarted>(h, 3) >= 1);
  CHECK(count_events<SyncFinished>(h, 3) >= 1);
  // It rejoined consensus: it votes at heights after the sync.
  bool voted_after = false;
  for (const auto& e : h.ctx(3).events) {
    if (const auto* v = std::get_if<VoteCast>(&e)) voted_after |= v->height > stopped_at + 10;
  }
  CHECK(voted_after);
  check_agreement(h);
  CHECK(h.node(3).state()->root() == h.node(0).state()->root());
}

TEST_CASE("a validator restarted mid-height never signs a conflicting vote") {
  NodeHarness h({});
  h.start_all();
  // Crash validator 1 repeatedly at awkward moments (just after it may have voted) and restart
  // it at once: its restored signing state must stop any conflicting vote.
  for (int i = 0; i < 6; ++i) {
    h.run_for(ms(1500 + 370 * i));
    h.crash(1);
    h.run_for(ms(30));
    h.restart(1);
  }
  REQUIRE(h.run_until([&] { return all_live_at(h, 10); }, kLongDeadline));
  for (PeerId i = 0; i < 4; ++i) check_no_double_sign(h, i);
  for (PeerId i = 0; i < 4; ++i) CHECK(count_events<EvidenceFound>(h, i) == 0);
  check_agreement(h);
}

TEST_CASE("a crash of 1 of 4 keeps finality going; 2 of 4 halts it and it resumes after restart") {
  NodeHarness h({});
  h.start_all();
  REQUIRE(h.run_until([&] { return all_live_at(h, 3); }, kLongDeadline));
  h.crash(0);
  const std::uint64_t h1 = h.node(1).height();
  REQUIRE(h.run_until([&] { return h.node(1).height() >= h1 + 5; }, kLongDeadline));
  h.crash(1);
  h.run_for(sec(5));
  const std::uint64_t halted = h.node(2).height();
  h.run_for(sec(60));
  CHECK(h.node(2).height() <= halted + 1);  // at most a block already in flight
  CHECK(h.node(3).height() <= halted + 1);
  const std::uint64_t stuck = std::max(h.node(2).height(), h.node(3).height());
  h.restart(0);
  h.restart(1);
  const bool resumed = h.run_until([&] { return all_live_at(h, stuck + 5); }, kLongDeadline);
  for (PeerId i = 0; i < 4 && !resumed; ++i) {
    INFO("node " << i << " height " << h.node(i).height() << " cons h " << h.node(i).consensus()->height()
            << " r " << h.node(i).consensus()->round() << " step " << int(h.node(i).consensus()->step())
            << " syncing " << h.node(i).syncing() << " stuck " << stuck << " synced " << h.node(i).stats().blocks_synced
            << " rejected " << h.node(i).stats().messages_rejected << " stale " << h.node(i).consensus()->stats().messages_stale);
    CHECK(resumed);
  }
  REQUIRE(resumed);
  check_agreement(h);
  for (PeerId i = 0; i < 4; ++i) check_no_double_sign(h, i);
}

// The AI layer through blocks: the five transactions' codec and rules, subnet epochs that pay
// by score with supply conserved exactly, commit-reveal (and the slash for never revealing),
// replacement of the lowest-scored neuron, and subnets registered at genesis.
#include <doctest/doctest.h>

#include "core/state/records.hpp"
#include "core/state/subnet/store.hpp"
#include "core/state/subnet/yuma_scoring.hpp"
#include "tests/core/state/chain_fixture.hpp"

using namespace mt;
using namespace mt::state;
using mt::state::testing::ChainFixture;
using mt::state::testing::small_params;

namespace {

Params ai_params() {
  Params p = small_params();
  p.neuron_immunity_blocks = 0;
  p.reveal_window_blocks = 3;
  p.subnet_emission_per_block = 10'000;
  return p;
}

Hash32 salt(std::uint8_t b) {
  Hash32 h;
  h.data.fill(b);
  return h;
}

// Subnet 0 owned by user 0 (tempo 3, 4 slots, min stake 100); validators user1 (stake 3000) and
// user2 (stake 1000), miners user3 and user4 (no stake): uids 0..3.
void make_subnet(ChainFixture& c) {
  c.advance({c.next_tx(c.user(0), CreateSubnet{"text", 100, 4, 3})});
  std::vector<TxPtr> regs;
  const Amount stakes[] = {3000, 1000, 0, 0};
  for (std::size_t i = 1; i <= 4; ++i) {
    regs.push_back(c.next_tx(c.user(i), RegisterNeuron{0, c.user_addr(i), "10.0.0." + std::to_string(i), stakes[i - 1]}));
  }
  auto b = c.advance(regs);
  REQUIRE(b.block->txs.size() == 4);
}

std::size_t included(const BuiltBlock& b) { return b.block->txs.size(); }

}  // namespace

TEST_CASE("every AI transaction round-trips, and truncated, unknown-tag or oversize payloads are rejected") {
  auto alice = crypto::KeyPair::from_label("alice");
  std::vector<WeightEntry> w{{1, 10}, {2, 65535}};
  std::vector<TxPayload> payloads{CreateSubnet{"vision", 50, 256, 100}, RegisterNeuron{3, alice.public_key(), "host:1", 7},
                                  SetWeights{3, w}, CommitWeights{3, salt(9)}, RevealWeights{3, w, salt(4)}};
  crypto::Verifier verifier;
  for (const auto& p : payloads) {
    Transaction tx;
    tx.chain_id = "test";
    tx.sender = alice.public_key();
    tx.nonce = 1;
    tx.fee = 2;
    tx.payload = p;
    tx.sign(alice, crypto::Backend::real);
    auto stx = SignedTx::make(tx);
    auto back = SignedTx::decode(stx->encoded());
    REQUIRE(back.ok());
    CHECK(back.value()->tx() == tx);
    CHECK(stx->signature_valid(verifier));
    // Every strict prefix fails to decode (no crash, a clear error).
    for (std::size_t cut = 0; cut < stx->encoded().size(); cut += 3) {
      Bytes part(stx->encoded().begin(), stx->encoded().begin() + static_cast<std::ptrdiff_t>(cut));
      CHECK_FALSE(SignedTx::decode(part).ok());
    }
  }
  // Tag 13 does not exist (yet).
  Transaction tx;
  tx.chain_id = "test";
  tx.sender = alice.public_key();
  tx.payload = Unjail{};
  Bytes bytes = SignedTx::make(tx)->encoded();
  bytes[4 + 4 + 32 + 8 + 16] = 13;
  CHECK_FALSE(SignedTx::decode(bytes).ok());
  // A weight list claiming more than kMaxWeightsPerTx entries is refused before any allocation.
  codec::Writer wr;
  tx.payload = SetWeights{0, {}};
  tx.encode_unsigned(wr);
  Bytes over = wr.take();
  over.resize(over.size() - 4);  // drop the empty list's length
  codec::Writer len;
  len.u32(kMaxWeightsPerTx + 1);
  over.insert(over.end(), len.data().begin(), len.data().end());
  over.resize(over.size() + (kMaxWeightsPerTx + 1) * 4 + 64, 0);
  auto r = SignedTx::decode(over);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("list") != std::string::npos);
}

TEST_CASE("a subnet epoch scores miners by weight, pays by score and keeps supply and emission accounting exact") {
  ChainFixture c(4, 6, ai_params());
  make_subnet(c);  // heights 1 (create) and 2 (register)
  // uid 0 (stake 3000) prefers miner uid 3; uid 1 (stake 1000) prefers miner uid 2.
  c.advance({c.next_tx(c.user(1), SetWeights{0, {{2, 1}, {3, 3}}}),
             c.next_tx(c.user(2), SetWeights{0, {{2, 3}, {3, 1}}})});  // height 3
  const Amount miner3_before = c.state->account(c.user_addr(4)).balance;
  c.advance();  // height 4 = created_at 1 + tempo 3: the epoch runs
  SubnetView view(*c.state);
  auto s = view.subnet(0);
  REQUIRE(s.has_value());
  CHECK(s->epochs == 1);
  CHECK(s->last_epoch_height == 4);
  CHECK(s->emitted == 30'000);  // 3 blocks * 10000
  CHECK(s->emitted == s->to_neurons + s->to_owner + s->to_infrastructure + s->burned + s->to_treasury);
  CHECK(s->to_owner == 2'400);  // 8%
  CHECK(s->to_infrastructure == 600);
  auto n = view.neurons(0);
  REQUIRE(n.size() == 4);
  // Normalised rows: uid0 (0.25, 0.75), uid1 (0.75, 0.25); stake 0.75 / 0.25.
  // Consensus: miner 2 -> 0.25 (0.75 of the stake weighs it >= 0.25), miner 3 -> 0.75.
  CHECK(n[2].consensus == kYumaOne / 4);
  CHECK(n[3].consensus == kYumaOne * 3 / 4);
  CHECK(n[3].incentive > n[2].incentive);
  CHECK(n[0].dividends > n[1].dividends);
  CHECK(n[0].incentive == 0);
  Amount paid = 0;
  for (const auto& x : n) paid += x.total_emission;
  CHECK(paid == s->to_neurons);
  CHECK(c.state->account(c.user_addr(4)).balance == miner3_before + n[3].last_emission);
  CHECK(c.state->account(treasury_address()).balance == s->to_treasury);
  CHECK(check_supply(*c.state).ok());
  // The next step waits a whole tempo.
  c.advance();
  c.advance();
  CHECK(SubnetView(*c.state).subnet(0)->epochs == 1);
  c.advance();
  CHECK(SubnetView(*c.state).subnet(0)->epochs == 2);
  CHECK(check_supply(*c.state).ok());
}

TEST_CASE("set_weights is refused from non-neurons, neurons without a permit, and for bad uid lists") {
  ChainFixture c(4, 6, ai_params());
  make_subnet(c);
  auto refused = [&](const crypto::KeyPair& from, SetWeights p) {
    auto b = c.build({c.next_tx(from, std::move(p))});
    REQUIRE(b.ok());
    return included(b.value()) == 0;
  };
  CHECK(refused(c.user(5), SetWeights{0, {{2, 1}}}));          // not a neuron
  CHECK(refused(c.user(3), SetWeights{0, {{3, 1}}}));          // a miner: no stake, no permit
  CHECK(refused(c.user(1), SetWeights{0, {{3, 1}, {2, 1}}}));  // not ascending
  CHECK(refused(c.user(1), SetWeights{0, {{2, 1}, {2, 1}}}));  // duplicate
  CHECK(refused(c.user(1), SetWeights{0, {{7, 1}}}));          // unknown uid
  CHECK(refused(c.user(1), SetWeights{0, {{2, 0}}}));          // all zero
  CHECK(refused(c.user(1), SetWeights{1, {{2, 1}}}));          // unknown subnet
  CHECK_FALSE(refused(c.user(1), SetWeights{0, {{2, 1}}}));
  // create_subnet and register_neuron limits.
  auto b = c.build({c.next_tx(c.user(5), CreateSubnet{"", 1, 4, 3}), c.next_tx(c.user(4), CreateSubnet{"x", 1, 0, 3}),
                    c.next_tx(c.user(3), CreateSubnet{"x", 1, 4, 0}),
                    c.next_tx(c.user(1), RegisterNeuron{0, c.user_addr(2), "", 0})});  // hotkey taken
  REQUIRE(b.ok());
  CHECK(included(b.value()) == 0);
}

TEST_CASE("commit-reveal: a matching reveal in the window sets the weights; a wrong salt or a late reveal does not") {
  ChainFixture c(4, 6, ai_params());
  make_subnet(c);
  const std::vector<WeightEntry> w{{2, 5}, {3, 1}};
  c.advance({c.next_tx(c.user(1), CommitWeights{0, weights_commitment(0, c.user_addr(1), w, salt(7))})});
  // Same block as the commit is refused; then a wrong salt is refused; the right one lands.
  auto wrong = c.build({c.next_tx(c.user(1), RevealWeights{0, w, salt(8)})});
  REQUIRE(wrong.ok());
  CHECK(included(wrong.value()) == 0);
  c.advance({c.next_tx(c.user(1), RevealWeights{0, w, salt(7)})});
  auto row = SubnetView(*c.state).weights(0, 0);
  REQUIRE(row.has_value());
  CHECK(row->weights == w);
  CHECK_FALSE(SubnetView(*c.state).commit(0, 0).has_value());
  // A reveal after reveal_window_blocks is refused.
  c.advance({c.next_tx(c.user(2), CommitWeights{0, weights_commitment(0, c.user_addr(2), w, salt(1))})});
  for (int i = 0; i < 3; ++i) c.advance();
  auto late = c.build({c.next_tx(c.user(2), RevealWeights{0, w, salt(1)})});
  REQUIRE(late.ok());
  CHECK(included(late.value()) == 0);
}

TEST_CASE("a validator that commits and never reveals is slashed at the next epoch step after the window") {
  ChainFixture c(4, 6, ai_params());
  make_subnet(c);  // heights 1-2; epochs at 4, 7, 10, ...
  c.advance({c.next_tx(c.user(2), CommitWeights{0, salt(3)})});  // height 3, window until 6
  c.advance();  // 4: epoch, commitment still open
  CHECK(SubnetView(*c.state).neuron(0, 1)->stake == 1000);
  const Amount burned_before = c.state->burned();
  for (int i = 0; i < 3; ++i) c.advance();  // 7: epoch, window closed
  CHECK(SubnetView(*c.state).neuron(0, 1)->stake == 990);  // 1%
  CHECK_FALSE(SubnetView(*c.state).commit(0, 1).has_value());
  CHECK(c.state->burned() >= burned_before + 10);
  CHECK(check_supply(*c.state).ok());
}

TEST_CASE("a full subnet replaces its lowest-scored neuron, refunds its stake and masks weights meant for it") {
  ChainFixture c(4, 7, ai_params());
  make_subnet(c);
  c.advance({c.next_tx(c.user(1), SetWeights{0, {{2, 1}, {3, 7}}}),
             c.next_tx(c.user(2), SetWeights{0, {{3, 1}}})});  // 3
  c.advance();                                                 // 4: epoch, miner uid 2 scores lowest
  auto before = SubnetView(*c.state).neurons(0);
  // Scores: miner uid 2 ~0.097 incentive, below every other neuron's incentive or dividends.
  REQUIRE(before[2].incentive < before[1].dividends);
  REQUIRE(before[2].incentive < before[3].incentive);
  c.advance({c.next_tx(c.user(5), RegisterNeuron{0, c.user_addr(6), "new", 5})});  // 5
  SubnetView view(*c.state);
  CHECK(view.subnet(0)->neuron_count == 4);
  CHECK(view.uid_of(0, c.user_addr(6)) == std::optional<std::uint16_t>(2));
  CHECK_FALSE(view.uid_of(0, c.user_addr(3)).has_value());
  CHECK(view.neuron(0, 2)->owner == c.user_addr(5));
  CHECK(view.neuron(0, 2)->stake == 5);
  c.advance();
  c.advance();  // 7: epoch; uid 0's old weight for uid 2 predates the newcomer: masked
  CHECK(SubnetView(*c.state).neuron(0, 2)->incentive == 0);
  CHECK(SubnetView(*c.state).neuron(0, 3)->incentive == kYumaOne);
  CHECK(check_supply(*c.state).ok());
}

TEST_CASE("subnets registered at genesis count their stake in the supply and reject bad configurations") {
  GenesisConfig g;
  g.params = ai_params();
  auto v = crypto::KeyPair::from_label("v");
  g.validators.push_back({v.public_key(), 100});
  GenesisSubnet s;
  s.owner = v.public_key();
  s.name = "genesis-net";
  s.min_stake = 10;
  s.max_neurons = 3;
  s.tempo_blocks = 2;
  for (int i = 0; i < 3; ++i) {
    auto k = crypto::KeyPair::from_label("n" + std::to_string(i)).public_key();
    s.neurons.push_back({k, k, "", static_cast<Amount>(50 * i)});
  }
  g.subnets.push_back(s);
  auto st = make_genesis(g);
  REQUIRE(st.ok());
  CHECK(st.value()->genesis_supply() == 100 + 0 + 50 + 100);
  CHECK(check_supply(*st.value()).ok());
  CHECK(SubnetView(*st.value()).neurons(0).size() == 3);
  auto snap = State::decode_snapshot(st.value()->encode_snapshot());
  REQUIRE(snap.ok());
  CHECK(snap.value()->root() == st.value()->root());
  g.subnets[0].neurons.push_back(g.subnets[0].neurons[0]);
  CHECK_FALSE(make_genesis(g).ok());  // more neurons than max_neurons
}

TEST_CASE("over random blocks of AI and transfer transactions supply and emission accounting stay exact") {
  Params p = ai_params();
  p.subnet_emission_per_block = 1'000'003;  // odd: every step leaves rounding dust
  ChainFixture c(4, 8, p);
  make_subnet(c);
  std::uint64_t x = 0x2545F4914F6CDD1Dull;
  auto rnd = [&](std::uint64_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % n;
  };
  for (int block = 0; block < 30; ++block) {
    std::vector<TxPtr> txs;
    std::map<std::size_t, std::uint64_t> ahead;  // per user: txs already queued in this block
    auto next = [&](std::size_t u, TxPayload payload) { txs.push_back(c.next_tx(c.user(u), std::move(payload), ahead[u]++)); };
    for (int k = 0; k < 6; ++k) {
      const std::size_t u = 1 + rnd(7);
      switch (rnd(4)) {
        case 0: {
          std::vector<WeightEntry> w;
          for (std::uint16_t uid = 0; uid < 4; ++uid) {
            if (rnd(2) != 0) w.push_back({uid, static_cast<std::uint16_t>(rnd(65536))});
          }
          next(u, SetWeights{0, w});
          break;
        }
        case 1: next(u, RegisterNeuron{0, crypto::KeyPair::from_label("h" + std::to_string(rnd(20))).public_key(), "",
                                       static_cast<Amount>(rnd(3) * 500)});
          break;
        case 2: next(u, CommitWeights{0, salt(static_cast<std::uint8_t>(rnd(256)))}); break;
        default: next(u, Transfer{c.user_addr(rnd(8)), rnd(1000)}); break;
      }
    }
    auto built = c.advance(txs);
    REQUIRE(check_supply(*c.state).ok());
    const auto s = SubnetView(*c.state).subnet(0);
    REQUIRE(s.has_value());
    CHECK(s->emitted == s->to_neurons + s->to_owner + s->to_infrastructure + s->burned + s->to_treasury);
    CHECK(c.state->account(treasury_address()).balance == s->to_treasury);
    CHECK(s->emitted == p.subnet_emission_per_block * (s->last_epoch_height - 1));  // created at height 1
  }
  CHECK(SubnetView(*c.state).subnet(0)->epochs == 10);
}

// Writes a small seed corpus of valid encodings, one directory per fuzz target, so a short fuzz
// run starts from inputs that get past the first length checks:
//   mtsim-fuzz-seeds <dir>   ->   <dir>/<target>/seed-<i>
// Built with the fuzz targets (fuzz/CMakeLists.txt); scripts/fuzz-smoke runs it before fuzzing.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/chain/block.hpp"
#include "core/chain/params.hpp"
#include "core/chain/transaction.hpp"
#include "core/chain/validator_set.hpp"
#include "core/chain/vote.hpp"
#include "core/crypto/keys.hpp"
#include "core/node/message_codec.hpp"
#include "testnet/frame_codec.hpp"
#include "testnet/handshake.hpp"

using namespace mt;

namespace {

constexpr auto kBackend = crypto::Backend::fast;

template <class T>
Bytes encode(const T& v) {
  codec::Writer w;
  v.encode(w);
  return w.take();
}

std::vector<Transaction> sample_txs() {
  auto alice = crypto::KeyPair::from_label("seed-alice");
  auto bob = crypto::KeyPair::from_label("seed-bob").public_key();
  std::vector<TxPayload> payloads{Transfer{bob, 5},  RegisterValidator{100}, Bond{7},  Unbond{3},
                                  Delegate{bob, 9},  Undelegate{bob, 1},     Unjail{},
                                  CreateSubnet{"vision", 100, 64, 10},
                                  RegisterNeuron{1, bob, "10.0.0.1:8091", 50},
                                  SetWeights{1, {{0, 100}, {3, 65535}}},
                                  CommitWeights{1, Hash32{}},
                                  RevealWeights{1, {{2, 7}}, Hash32{}}};
  std::vector<Transaction> out;
  std::uint64_t nonce = 0;
  for (const auto& p : payloads) {
    Transaction tx;
    tx.chain_id = "moderntensor-testnet";
    tx.sender = alice.public_key();
    tx.nonce = nonce++;
    tx.fee = 10 + nonce;
    tx.payload = p;
    tx.sign(alice, kBackend);
    out.push_back(tx);
  }
  // Memo-carrying transactions (the flag on the kind byte, then the memo): short, padded, and on
  // a payload with a list, so mutations reach the memo's length and the bytes around it.
  for (const std::size_t memo_bytes : {std::size_t{1}, std::size_t{300}}) {
    for (std::size_t i : {std::size_t{0}, std::size_t{9}}) {
      Transaction tx = out[i];
      tx.nonce = nonce++;
      tx.memo = Bytes(memo_bytes, static_cast<std::uint8_t>(0x6d + i));
      tx.sign(alice, kBackend);
      out.push_back(tx);
    }
  }
  return out;
}

Vote sample_vote(VoteType type, std::uint8_t block, const std::string& who) {
  Vote v;
  v.type = type;
  v.height = 7;
  v.round = 1;
  v.block_hash.data.fill(block);
  auto key = crypto::KeyPair::from_label(who);
  v.validator = key.public_key();
  v.sign(key, "moderntensor-testnet", kBackend);
  return v;
}

Commit sample_commit() {
  Commit c;
  c.height = 7;
  c.round = 1;
  c.block_hash.data.fill(3);
  for (const char* who : {"v1", "v2", "v3"}) {
    Vote v = sample_vote(VoteType::precommit, 3, who);
    c.sigs.push_back(CommitSig{v.validator, v.signature});
  }
  std::sort(c.sigs.begin(), c.sigs.end(), [](const auto& a, const auto& b) { return a.validator < b.validator; });
  return c;
}

Block sample_block(std::size_t ntx, bool with_extras) {
  Block b;
  b.header.chain_id = "moderntensor-testnet";
  b.header.height = 8;
  b.header.timestamp_ms = 24'000;
  auto txs = sample_txs();
  for (std::size_t i = 0; i < ntx; ++i) b.txs.push_back(SignedTx::make(txs[i % txs.size()]));
  if (with_extras) {
    auto e = DuplicateVoteEvidence::from_votes(sample_vote(VoteType::prevote, 1, "v1"),
                                               sample_vote(VoteType::prevote, 2, "v1"));
    if (e) b.evidence.push_back(*e);
    b.last_commit = sample_commit();
  }
  b.header.tx_root = b.compute_tx_root();
  b.header.evidence_root = b.compute_evidence_root();
  b.header.last_commit_hash = b.last_commit.hash();
  return b;
}

void write(const std::filesystem::path& dir, const std::string& target, const std::vector<Bytes>& seeds) {
  std::filesystem::create_directories(dir / target);
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    std::ofstream out(dir / target / ("seed-" + std::to_string(i)), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(seeds[i].data()), static_cast<std::streamsize>(seeds[i].size()));
  }
}

// The testnet targets: frame streams (first byte: chunk size and hello switch), hellos, RPC calls
// (first byte: method index, then the params JSON), scenarios (the repository's own files).
void write_testnet_seeds(const std::filesystem::path& dir, const WirePtr& vote, const WirePtr& tx) {
  testnet::Hello h;
  h.chain_id = "moderntensor-testnet";
  h.node_index = 2;
  const Bytes hello = testnet::encode_hello(h);
  Bytes stream{0x47};
  for (const Bytes& f : {testnet::encode_frame(testnet::kHelloKind, hello),
                         testnet::encode_frame(static_cast<std::uint8_t>(vote->kind), vote->payload()),
                         testnet::encode_frame(static_cast<std::uint8_t>(tx->kind), tx->payload())}) {
    stream.insert(stream.end(), f.begin(), f.end());
  }
  write(dir, "frame", {stream});
  write(dir, "hello", {hello});
  auto call = [](std::uint8_t method, std::string_view params) {
    Bytes b{method};
    b.insert(b.end(), params.begin(), params.end());
    return b;
  };
  write(dir, "rpc", {call(2, "[1, true]"), call(12, "[0, 16, true]"), call(13, R"([{"blockedOut":[1]}])"),
                     call(17, "[0, 3]"), call(4, R"(["00"])"), call(200, R"({"jsonrpc":"2.0","id":1,"method":"mt_status"})")});
  std::vector<Bytes> scenarios;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("scenarios", ec)) {
    if (e.path().extension() != ".yaml") continue;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    scenarios.emplace_back(text.begin(), text.end());
  }
  write(dir, "scenario", scenarios);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: mtsim-fuzz-seeds <corpus-dir>\n");
    return 64;
  }
  crypto::init();
  std::filesystem::path dir = argv[1];
  std::vector<Bytes> txs;
  for (const auto& tx : sample_txs()) txs.push_back(encode(tx));
  write(dir, "tx", txs);
  write(dir, "block", {sample_block(0, false).encode(), sample_block(3, true).encode(), sample_block(7, false).encode()});
  write(dir, "vote", {encode(sample_vote(VoteType::prevote, 1, "v1")), encode(sample_vote(VoteType::precommit, 0, "v2"))});
  write(dir, "commit", {encode(sample_commit()), encode(Commit{})});
  auto ev = DuplicateVoteEvidence::from_votes(sample_vote(VoteType::precommit, 1, "v2"),
                                              sample_vote(VoteType::precommit, 2, "v2"));
  write(dir, "evidence", {ev ? encode(*ev) : Bytes{}});
  auto vs = ValidatorSet::genesis({{crypto::KeyPair::from_label("v1").public_key(), 10},
                                   {crypto::KeyPair::from_label("v2").public_key(), 20},
                                   {crypto::KeyPair::from_label("v3").public_key(), 30}});
  write(dir, "validator_set", {encode(vs), encode(vs.advanced().advanced())});
  write(dir, "params", {encode(Params{})});
  // Wire messages: kind byte, then payload.
  auto wire_seed = [](const WirePtr& w) {
    Bytes b{static_cast<std::uint8_t>(w->kind)};
    b.insert(b.end(), w->payload().begin(), w->payload().end());
    return b;
  };
  const WirePtr vote_msg = encode_message(Message(sample_vote(VoteType::prevote, 1, "v1")));
  const WirePtr tx_msg = encode_message(Message(SignedTx::make(sample_txs().front())));
  write(dir, "message", {wire_seed(vote_msg), wire_seed(tx_msg), wire_seed(encode_message(Message(StatusMsg{9, Hash32{}}))),
                         wire_seed(encode_message(Message(BlockRequestMsg{5, 3}))),
                         wire_seed(make_gossip_batch({vote_msg, tx_msg}, false)),
                         wire_seed(encode_message(Message(GossipControl{GossipControl::Type::ihave, 2, {Hash32{}}})))});
  write_testnet_seeds(dir, vote_msg, tx_msg);
  return 0;
}

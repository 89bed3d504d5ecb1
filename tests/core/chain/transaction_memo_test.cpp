// The transaction memo: a memo round-trips and is covered by the signature and the tx hash, a
// transaction without one encodes exactly as before memos existed, malformed memo encodings are
// rejected, and a memo that pushes a transaction above max_tx_bytes is refused with a clear error.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "core/chain/transaction.hpp"
#include "core/mempool/mempool.hpp"
#include "tests/core/state/chain_fixture.hpp"

using namespace mt;

namespace {

Transaction transfer_with_memo(const crypto::KeyPair& from, Bytes memo) {
  Transaction tx;
  tx.chain_id = "test";
  tx.sender = from.public_key();
  tx.nonce = 7;
  tx.fee = 3;
  tx.payload = Transfer{crypto::KeyPair::from_label("bob").public_key(), 5};
  tx.memo = std::move(memo);
  tx.sign(from, crypto::Backend::real);
  return tx;
}

// The pre-memo wire form, written field by field: what every memo-less tx must still produce.
Bytes legacy_encoding(const Transaction& tx) {
  codec::Writer w(192);
  w.str(tx.chain_id);
  w.fixed(tx.sender);
  w.u64(tx.nonce);
  w.amount(tx.fee);
  w.u8(static_cast<std::uint8_t>(TxKind::transfer));
  const auto& t = std::get<Transfer>(tx.payload);
  w.fixed(t.to);
  w.amount(t.amount);
  w.fixed(tx.signature);
  return w.take();
}

// Offset of the kind byte in an encoding of a tx whose chain_id is `chain_id`.
std::size_t kind_offset(const std::string& chain_id) { return 4 + chain_id.size() + 32 + 8 + 16; }

}  // namespace

TEST_CASE("a memo-less transaction encodes byte for byte as before memos existed") {
  const auto alice = crypto::KeyPair::from_label("alice");
  const Transaction tx = transfer_with_memo(alice, {});
  const auto stx = SignedTx::make(tx);
  CHECK(stx->encoded() == legacy_encoding(tx));
  CHECK((stx->encoded()[kind_offset(tx.chain_id)] & kTxMemoFlag) == 0);
}

TEST_CASE("a memo round-trips and is covered by the signature and the transaction hash") {
  const auto alice = crypto::KeyPair::from_label("alice");
  crypto::Verifier verifier;
  const Transaction plain = transfer_with_memo(alice, {});
  const Transaction memo_tx = transfer_with_memo(alice, Bytes(1000, 0x6d));
  const auto stx = SignedTx::make(memo_tx);
  CHECK(stx->size_bytes() == SignedTx::make(plain)->size_bytes() + memo_wire_bytes(1000));
  CHECK((stx->encoded()[kind_offset(memo_tx.chain_id)] & kTxMemoFlag) != 0);

  auto back = SignedTx::decode(stx->encoded());
  REQUIRE(back.ok());
  CHECK(back.value()->tx() == memo_tx);
  CHECK(back.value()->hash() == stx->hash());
  CHECK(stx->signature_valid(verifier));
  CHECK(stx->hash() != SignedTx::make(plain)->hash());

  // One memo byte changed after signing: a different hash, and the signature no longer holds.
  Transaction tampered = memo_tx;
  tampered.memo[500] = 0x00;
  const auto tampered_stx = SignedTx::make(tampered);
  CHECK(tampered_stx->hash() != stx->hash());
  CHECK_FALSE(tampered_stx->signature_valid(verifier));
  // Dropping the memo after signing breaks the signature too.
  Transaction stripped = memo_tx;
  stripped.memo.clear();
  CHECK_FALSE(SignedTx::make(stripped)->signature_valid(verifier));
}

TEST_CASE("malformed memo encodings are rejected with a reason, never decoded") {
  const auto alice = crypto::KeyPair::from_label("alice");
  const auto stx = SignedTx::make(transfer_with_memo(alice, {}));
  const std::size_t at = kind_offset("test");

  SUBCASE("the memo flag on a tx without memo bytes: the signature is read as a memo length") {
    Bytes bytes = stx->encoded();
    bytes[at] |= kTxMemoFlag;
    CHECK_FALSE(SignedTx::decode(bytes).ok());
  }
  SUBCASE("the memo flag with an empty memo is not canonical") {
    Bytes bytes(stx->encoded().begin(), stx->encoded().end() - 64);
    bytes[at] |= kTxMemoFlag;
    for (int i = 0; i < 4; ++i) bytes.push_back(0);  // memo length 0
    bytes.insert(bytes.end(), stx->encoded().end() - 64, stx->encoded().end());
    auto r = SignedTx::decode(bytes);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("empty memo") != std::string::npos);
  }
  SUBCASE("a memo length above kMaxMemoBytes") {
    Bytes bytes(stx->encoded().begin(), stx->encoded().end() - 64);
    bytes[at] |= kTxMemoFlag;
    codec::Writer w(4);
    w.u32(kMaxMemoBytes + 1);
    bytes.insert(bytes.end(), w.data().begin(), w.data().end());
    auto r = SignedTx::decode(bytes);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("above limit") != std::string::npos);
  }
  SUBCASE("an unknown kind stays unknown with the flag set") {
    Bytes bytes = stx->encoded();
    bytes[at] = static_cast<std::uint8_t>(kTxMemoFlag | (kTxKindMax + 1));
    auto r = SignedTx::decode(bytes);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("unknown transaction kind") != std::string::npos);
  }
}

TEST_CASE("a memo that takes a transaction above max_tx_bytes is refused by the mempool and the state") {
  Params params = state::testing::small_params();
  params.max_tx_bytes = 1024;
  state::testing::ChainFixture c(1, 1, params);
  Transaction tx;
  tx.chain_id = params.chain_id;
  tx.sender = c.user_addr(0);
  tx.nonce = 0;
  tx.fee = 10;
  tx.payload = Transfer{c.val_addr(0), 1};
  tx.memo = Bytes(2000, 1);
  tx.sign(c.user(0), crypto::Backend::real);
  const auto big = SignedTx::make(tx);
  REQUIRE(big->size_bytes() > params.max_tx_bytes);

  const Status st = state::check_tx(*c.state, *big, c.verifier);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().message == fmt::format("transaction too large: {} bytes, above max_tx_bytes 1024", big->size_bytes()));

  Mempool pool(params, MempoolLimits{}, c.verifier);
  CHECK(pool.add(big, AccountView{1'000'000, 0}) == Admission::oversize);
  tx.memo = Bytes(500, 1);  // the same tx, within the bound
  tx.sign(c.user(0), crypto::Backend::real);
  CHECK(pool.add(SignedTx::make(tx), AccountView{1'000'000, 0}) == Admission::accepted);
}

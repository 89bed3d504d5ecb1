#include "core/chain/validator_set.hpp"

#include <algorithm>
#include <map>

#include "core/crypto/hash.hpp"
#include "core/util/amount.hpp"
#include "core/util/assert.hpp"

namespace mt {

namespace {
// Total voting power is bounded so priority arithmetic (power added, total subtracted, 2x window)
// can never overflow int64.
constexpr std::uint64_t kMaxTotalPower = std::uint64_t{1} << 60;

}  // namespace

void ValidatorSet::recompute_total() {
  std::uint64_t total = 0;
  for (const auto& e : entries_) {
    MT_ASSERT(e.power <= kMaxTotalPower - total, "validator set total power above 2^60");
    total += e.power;
  }
  total_power_ = total;
}

ValidatorSet ValidatorSet::genesis(std::vector<std::pair<Address, std::uint64_t>> powers) {
  ValidatorSet vs;
  std::sort(powers.begin(), powers.end());
  for (const auto& [a, p] : powers) {
    if (p == 0) continue;
    MT_ASSERT(vs.entries_.empty() || vs.entries_.back().address != a, "duplicate validator address");
    vs.entries_.push_back({a, p, 0});
  }
  vs.index_keys();
  vs.recompute_total();
  if (!vs.entries_.empty()) vs.rotate_once();
  return vs;
}

const ValidatorEntry* ValidatorSet::find(const Address& a) const {
  auto i = index_of(a);
  return i < 0 ? nullptr : &entries_[static_cast<std::size_t>(i)];
}

namespace {
std::uint64_t key_of(const Address& a) {
  std::uint64_t k = 0;
  for (std::size_t i = 0; i < 8; ++i) k = (k << 8) | a.data[i];
  return k;
}

std::size_t table_home(std::uint64_t key, unsigned shift) {
  return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift);
}
}  // namespace

void ValidatorSet::index_keys() {
  keys_.clear();
  keys_.reserve(entries_.size());
  for (const auto& e : entries_) keys_.push_back(key_of(e.address));
  unsigned bits = 4;
  while ((std::size_t{1} << bits) < 2 * entries_.size()) ++bits;
  table_.assign(std::size_t{1} << bits, 0);
  table_shift_ = 64 - bits;
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    std::size_t h = table_home(keys_[i], table_shift_);
    while (table_[h] != 0) h = (h + 1) & mask;
    table_[h] = static_cast<std::uint32_t>(i + 1);
  }
}

std::ptrdiff_t ValidatorSet::index_of(const Address& a) const {
  MT_ASSERT(keys_.size() == entries_.size(), "validator set keys out of step");
  if (table_.empty()) return -1;  // a default-constructed (empty) set
  const std::uint64_t k = key_of(a);
  const std::size_t mask = table_.size() - 1;
  for (std::size_t h = table_home(k, table_shift_);; h = (h + 1) & mask) {
    const std::uint32_t slot = table_[h];
    if (slot == 0) return -1;
    const std::size_t i = slot - 1;
    if (keys_[i] == k && entries_[i].address == a) return static_cast<std::ptrdiff_t>(i);
  }
}

const Address& ValidatorSet::proposer() const {
  MT_ASSERT(!entries_.empty(), "proposer of an empty validator set");
  return entries_[proposer_index_].address;
}

void ValidatorSet::rescale_and_center() {
  if (entries_.empty()) return;
  const auto window = static_cast<std::int64_t>(2 * total_power_);
  auto [mn, mx] = std::minmax_element(entries_.begin(), entries_.end(),
                                      [](const auto& x, const auto& y) { return x.priority < y.priority; });
  std::int64_t diff = mx->priority - mn->priority;
  if (window > 0 && diff > window) {
    std::int64_t ratio = (diff + window - 1) / window;
    for (auto& e : entries_) e.priority = e.priority / ratio;
  }
  // Centre on zero (floor of the average) so priorities cannot drift without bound.
  Int128 sum = 0;
  for (const auto& e : entries_) sum += e.priority;
  const auto n = static_cast<Int128>(entries_.size());
  Int128 q = sum / n;
  if (sum % n != 0 && sum < 0) --q;
  const auto avg = static_cast<std::int64_t>(q);
  for (auto& e : entries_) e.priority -= avg;
}

void ValidatorSet::rotate_once() {
  rescale_and_center();
  std::size_t best = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    entries_[i].priority += static_cast<std::int64_t>(entries_[i].power);
    // Strictly greater keeps the lowest address on ties (entries are sorted by address).
    if (entries_[i].priority > entries_[best].priority) best = i;
  }
  entries_[best].priority -= static_cast<std::int64_t>(total_power_);
  proposer_index_ = best;
}

Address ValidatorSet::proposer_for_round(std::uint32_t round) const {
  if (round == 0) return proposer();
  ValidatorSet copy = *this;
  for (std::uint32_t i = 0; i < round; ++i) copy.rotate_once();
  return copy.proposer();
}

ValidatorSet ValidatorSet::advanced() const {
  ValidatorSet copy = *this;
  if (!copy.entries_.empty()) copy.rotate_once();
  return copy;
}

ValidatorSet ValidatorSet::with_powers(const std::vector<std::pair<Address, std::uint64_t>>& powers) const {
  std::map<Address, std::uint64_t> changes(powers.begin(), powers.end());
  ValidatorSet out;
  for (const auto& e : entries_) {
    auto it = changes.find(e.address);
    if (it == changes.end()) {
      out.entries_.push_back(e);
    } else if (it->second > 0) {
      out.entries_.push_back({e.address, it->second, e.priority});
    }
  }
  for (const auto& [a, p] : changes) {
    if (p == 0 || find(a) != nullptr) continue;
    out.entries_.push_back({a, p, 0});
  }
  out.recompute_total();
  // Newcomers start at -1.125 x the new total power (as in Tendermint), behind everyone else.
  const auto newcomer_priority = -static_cast<std::int64_t>(out.total_power_ + out.total_power_ / 8);
  for (auto& e : out.entries_) {
    if (find(e.address) == nullptr) e.priority = newcomer_priority;
  }
  std::sort(out.entries_.begin(), out.entries_.end(),
            [](const auto& x, const auto& y) { return x.address < y.address; });
  out.index_keys();
  if (!out.entries_.empty()) out.rotate_once();
  return out;
}

std::uint64_t ValidatorSet::quorum_power(std::uint32_t num, std::uint32_t den) const {
  MT_ASSERT(den > 0 && num < den, "quorum fraction must be in (0, 1)");
  UInt128 t = static_cast<UInt128>(total_power_) * num;
  return static_cast<std::uint64_t>(t / den) + 1;
}

Hash32 ValidatorSet::hash() const {
  codec::Writer w(16 + entries_.size() * 48);
  encode(w);
  return crypto::tagged_hash("mt/valset", w.data());
}

void ValidatorSet::encode(codec::Writer& w) const {
  w.list_len(entries_.size());
  for (const auto& e : entries_) {
    w.fixed(e.address);
    w.u64(e.power);
    w.i64(e.priority);
  }
  w.u32(static_cast<std::uint32_t>(proposer_index_));
}

ValidatorSet ValidatorSet::decode(codec::Reader& r) {
  ValidatorSet vs;
  auto n = r.list_len(codec::kMaxListLen, 48);
  vs.entries_.reserve(n);
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    ValidatorEntry e;
    e.address = r.fixed<32>();
    e.power = r.u64();
    e.priority = r.i64();
    if (!vs.entries_.empty() && !(vs.entries_.back().address < e.address)) r.fail("validator set not sorted");
    if (e.power == 0 || e.power > kMaxTotalPower - total) r.fail("validator power out of range");
    total += e.power;
    vs.entries_.push_back(e);
  }
  vs.index_keys();
  auto idx = r.u32();
  if (r.ok() && (n == 0 ? idx != 0 : idx >= n)) r.fail("proposer index out of range");
  if (r.ok()) {
    vs.total_power_ = total;
    vs.proposer_index_ = idx;
  }
  return vs;
}

}  // namespace mt

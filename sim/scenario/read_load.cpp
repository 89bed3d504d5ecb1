// `load:`, `accounts:` and `genesis:`. Load segments run in sequence: a segment without `until`
// ends where the next one starts (the last one at the end of the run), and a segment that omits
// `rate`, `tx` or `accounts` inherits them from the segment before (a ramp starts from the rate
// the previous segment ended at). `size` is inherited the same way. Give `until` explicitly to
// overlap segments.
#include "sim/scenario/read_sections.hpp"

#include <fmt/format.h>

namespace mt::sim::detail {
namespace {

const std::vector<std::string> kLoadKinds{"constant", "poisson", "ramp", "burst"};
const std::vector<std::string> kTxKinds{"transfer", "stake", "delegate", "set_weights", "mix", "register_neuron"};
constexpr std::uint64_t kMaxAccounts = 10'000'000;

template <class E>
E enum_index(const std::vector<std::string>& names, const std::string& word) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == word) return static_cast<E>(i);
  }
  MT_ASSERT(false, "word not in list");
  return E{};
}

struct Explicit {
  bool until = false;
};

void read_segment(const YamlNode& node, std::size_t i, const LoadSpec* prev, Scenario& s, Explicit& ex,
                  Diagnostics& diag) {
  const std::string section = fmt::format("load[{}]", i);
  MapReader r(node, section, {"kind", "rate", "to_rate", "over", "count", "every", "tx", "accounts", "from", "until", "size"},
              diag);
  if (!r.valid()) return;
  LoadSpec seg;
  seg.loc = node.loc;
  if (prev != nullptr) {
    seg.tx = prev->tx;
    seg.accounts = prev->accounts;
    seg.size = prev->size;
    seg.rate = prev->kind == LoadKind::ramp ? prev->to_rate : prev->rate;
  }
  if (auto k = r.word("kind", kLoadKinds)) seg.kind = enum_index<LoadKind>(kLoadKinds, *k);
  if (auto t = r.word("tx", kTxKinds)) seg.tx = enum_index<LoadTx>(kTxKinds, *t);
  if (auto a = r.count("accounts")) {
    if (*a == 0 || *a > kMaxAccounts) diag.error(r.loc_of("accounts"), section + ".accounts: must be 1 to 10000000");
    seg.accounts = static_cast<std::uint32_t>(std::min(*a, kMaxAccounts));
  }
  if (const YamlNode* size = r.get("size")) seg.size = read_size_mix(*size, section + ".size", diag).value_or(seg.size);
  seg.rate = r.rate("rate").value_or(seg.rate);
  seg.from_us = r.duration("from").value_or(prev != nullptr ? prev->from_us : 0);
  if (auto u = r.duration("until")) {
    seg.until_us = *u;
    ex.until = true;
    if (*u <= seg.from_us) diag.error(r.loc_of("until"), section + ": until must be after from");
  }
  const bool ramp = seg.kind == LoadKind::ramp, burst = seg.kind == LoadKind::burst;
  auto only = [&](const char* key, bool allowed, const char* kinds) {
    if (r.has(key) && !allowed) diag.error(r.loc_of(key), section + ": '" + key + "' applies only to " + kinds);
  };
  only("to_rate", ramp, "ramp");
  only("over", ramp, "ramp");
  only("count", burst, "burst");
  only("every", burst, "burst");
  if (ramp) {
    seg.to_rate = r.rate("to_rate").value_or(Rate{});
    seg.over_us = r.duration("over").value_or(0);
    if (!r.has("to_rate") || !r.has("over")) diag.error(node.loc, section + ": a ramp needs 'to_rate' and 'over'");
    if (r.has("over") && seg.over_us == 0) diag.error(r.loc_of("over"), section + ".over: must be above 0");
  }
  if (burst) {
    seg.burst_count = r.count("count").value_or(0);
    seg.every_us = r.duration("every").value_or(0);
    if (seg.burst_count == 0) diag.error(node.loc, section + ": a burst needs 'count' above 0");
    seg.rate = Rate{};
    if (r.has("rate")) diag.error(r.loc_of("rate"), section + ": a burst has 'count' and 'every', not 'rate'");
  } else if (seg.rate.milli_count == 0 && !(ramp && seg.to_rate.milli_count > 0)) {
    diag.error(r.has("rate") ? r.loc_of("rate") : node.loc, section + ": needs a 'rate' above 0 (e.g. 80/s)");
  }
  s.load.push_back(seg);
}

}  // namespace

void read_load(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  if (!node.is_seq()) {
    diag.error(node.loc, "load: expected a list of segments like '- { kind: poisson, rate: 80/s }'");
    return;
  }
  std::vector<Explicit> ex(node.children.size());
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    read_segment(node.children[i], i, s.load.empty() ? nullptr : &s.load.back(), s, ex[i], diag);
  }
  if (s.load.size() != node.children.size()) return;
  for (std::size_t i = 0; i < s.load.size(); ++i) {
    if (i > 0 && s.load[i].from_us < s.load[i - 1].from_us) {
      diag.error(s.load[i].loc, fmt::format("load[{}]: segments must be in order of 'from'", i));
    }
    if (!ex[i].until) {
      s.load[i].until_us = i + 1 < s.load.size() ? s.load[i + 1].from_us : -1;  // -1: the run's end (validate)
      if (s.load[i].until_us >= 0 && s.load[i].until_us <= s.load[i].from_us) {
        diag.error(s.load[i].loc, fmt::format("load[{}]: starts with the next segment; give 'until'", i));
      }
    }
  }
}

void read_accounts(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  if (node.is_scalar()) {  // `accounts: 10000`
    if (auto c = parse_node<std::uint64_t>(node, "accounts", parse_count, diag)) {
      s.accounts.count = static_cast<std::uint32_t>(std::min(*c, kMaxAccounts));
      if (*c > kMaxAccounts) diag.error(node.loc, "accounts: at most 10000000");
    }
    return;
  }
  MapReader r(node, "accounts", {"count", "balance"}, diag);
  if (auto c = r.count("count")) {
    if (*c > kMaxAccounts) diag.error(r.loc_of("count"), "accounts.count: at most 10000000");
    s.accounts.count = static_cast<std::uint32_t>(std::min(*c, kMaxAccounts));
  }
  if (auto b = r.amount("balance")) {
    if (*b == 0) diag.error(r.loc_of("balance"), "accounts.balance: must be above 0");
    s.accounts.balance = *b;
  }
}

void read_genesis(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  MapReader r(node, "genesis", {"time_ms", "accounts"}, diag);
  if (auto t = r.count("time_ms")) s.genesis.time_ms = *t;
  const YamlNode* accounts = r.get("accounts");
  if (accounts == nullptr) return;
  if (!accounts->is_seq()) {
    diag.error(accounts->loc, "genesis.accounts: expected a list like '- { name: treasury, balance: 1000000 }'");
    return;
  }
  for (std::size_t i = 0; i < accounts->children.size(); ++i) {
    const std::string section = fmt::format("genesis.accounts[{}]", i);
    MapReader a(accounts->children[i], section, {"name", "balance"}, diag);
    GenesisAccountConfig acc;
    acc.name = a.text("name").value_or("");
    acc.balance = a.amount("balance").value_or(0);
    if (a.valid() && (acc.name.empty() || !a.has("balance"))) {
      diag.error(accounts->children[i].loc, section + ": needs 'name' and 'balance'");
    }
    for (const auto& other : s.genesis.accounts) {
      if (other.name == acc.name) diag.error(a.loc_of("name"), section + ": account '" + acc.name + "' listed twice");
    }
    s.genesis.accounts.push_back(acc);
  }
}

}  // namespace mt::sim::detail

// Selectors: every form parses, resolves to sorted node indices against the validator list,
// respects stake, and is an error when it matches nobody.
#include <doctest/doctest.h>

#include "sim/scenario/selector.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
// core[0..3] with stake 10 each, tail[0..5] with stake 1 each: total 46.
std::vector<SelectorTarget> validators() {
  std::vector<SelectorTarget> v;
  for (std::size_t i = 0; i < 4; ++i) v.push_back({"core", i, 10});
  for (std::size_t i = 0; i < 6; ++i) v.push_back({"tail", i, 1});
  return v;
}
std::vector<std::size_t> resolve(const std::string& text, std::uint64_t seed = 1) {
  auto sel = parse_selector_text(text);
  REQUIRE(sel.ok());
  auto r = resolve_selector(sel.value(), validators(), seed);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  return r.value();
}
Selector from_yaml(const std::string& text) {
  auto doc = parse_yaml(text, "sel.yaml");
  REQUIRE(doc.ok());
  auto sel = parse_selector(doc.value());
  REQUIRE_MESSAGE(sel.ok(), sel.error().message);
  return sel.value();
}
using V = std::vector<std::size_t>;
}  // namespace

TEST_CASE("group, node and slice selectors pick validators by position in their group") {
  CHECK(resolve("all").size() == 10);
  CHECK(resolve("core") == V{0, 1, 2, 3});
  CHECK(resolve("tail[3]") == V{7});
  CHECK(resolve("tail[0:2]") == V{4, 5});
  CHECK(resolve("tail[4:]") == V{8, 9});
  CHECK(resolve("tail[:1]") == V{4});
}

TEST_CASE("a stake fraction selects the fewest validators holding at least that share") {
  const auto sel = from_yaml("{stake_fraction: 0.34}");
  auto r = resolve_selector(sel, validators(), 1);
  REQUIRE(r.ok());
  CHECK(r.value() == V{0, 1});  // 20 of 46 >= 34%; one core (10/46) is not
  CHECK(resolve_selector(from_yaml("{stake_fraction: 100%}"), validators(), 1).value().size() == 10);
}

TEST_CASE("minority stays strictly below a third of stake and majority is its complement") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto minority = resolve("minority", seed);
    const auto majority = resolve("majority", seed);
    Amount stake = 0;
    for (auto i : minority) stake += validators()[i].stake;
    CHECK(3 * stake < 46);
    CHECK(minority.size() + majority.size() == 10);
  }
  CHECK(resolve("one", 5) == resolve("one", 5));
}

TEST_CASE("count-from draws that many distinct validators of the group, deterministically") {
  const auto sel = from_yaml("{count: 3, from: tail}");
  const auto a = resolve_selector(sel, validators(), 9).value();
  CHECK(a.size() == 3);
  for (auto i : a) CHECK(i >= 4);
  CHECK(a == resolve_selector(sel, validators(), 9).value());
}

TEST_CASE("a list of selectors is their union") {
  const auto sel = from_yaml("[\"core[0]\", \"tail[0:2]\", \"core[0]\"]");
  CHECK(resolve_selector(sel, validators(), 1).value() == V{0, 4, 5});
}

TEST_CASE("selectors that match nobody or name unknown groups are errors") {
  auto unknown = resolve_selector(parse_selector_text("tial").value(), validators(), 1);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("did you mean 'tail'") != std::string::npos);
  CHECK_FALSE(resolve_selector(parse_selector_text("tail[6]").value(), validators(), 1).ok());
  CHECK_FALSE(resolve_selector(parse_selector_text("tail[2:9]").value(), validators(), 1).ok());
  CHECK_FALSE(resolve_selector(from_yaml("{count: 7, from: tail}"), validators(), 1).ok());
  CHECK_FALSE(resolve_selector(parse_selector_text("proposer").value(), validators(), 1).ok());
  CHECK(resolve_selector(parse_selector_text("proposer").value(), validators(), 1, 3).value() == V{3});
  // One validator with all the stake: no minority exists.
  std::vector<SelectorTarget> whale{{"w", 0, 100}, {"w", 1, 100}, {"w", 2, 100}};
  CHECK_FALSE(resolve_selector(parse_selector_text("minority").value(), whale, 1).ok());
  CHECK_FALSE(parse_selector_text("tail[3:1]").ok());
  CHECK_FALSE(parse_selector_text("bad name").ok());
}

TEST_CASE("selector text round-trips through to_string") {
  for (const char* t : {"all", "one", "minority", "majority", "proposer", "core", "tail[3]", "tail[0:5]", "tail[2:]"}) {
    CHECK(parse_selector_text(t).value().to_string() == t);
  }
  const auto sel = from_yaml("{stake_fraction: 34%}");
  CHECK(from_yaml(sel.to_string()) == sel);
}

// The YAML tree: positions are kept, duplicate keys are caught (yaml-cpp would accept them),
// `extends` merges deeply and detects cycles, and `--set` overrides one key.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "sim/scenario/yaml_tree.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
// A fresh directory per call, so test runs side by side never share files.
std::string temp_dir() {
  std::string dir = (std::filesystem::temp_directory_path() / "mtsim-yaml-tree-XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  return dir;
}
void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }
}  // namespace

TEST_CASE("every node remembers its file, line and column") {
  auto doc = parse_yaml("a: 1\nb:\n  c: [x, y]\n", "f.yaml");
  REQUIRE(doc.ok());
  const YamlNode* c = doc.value().find("b")->find("c");
  REQUIRE(c != nullptr);
  CHECK(c->loc.line == 3);
  CHECK(c->loc.column == 6);
  CHECK(c->children[1].scalar == "y");
  CHECK(c->children[1].loc.prefix() == "f.yaml:3:10: ");
}

TEST_CASE("a duplicate key is an error at the second occurrence, naming the first") {
  auto doc = parse_yaml("chain:\n  block_time: 3s\n  block_time: 2s\n", "d.yaml");
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.error().message.find("d.yaml:3:3: duplicate key 'block_time' (first written at line 2") == 0);
  auto flow = parse_yaml("x: {a: 1, a: 2}\n", "f.yaml");
  CHECK_FALSE(flow.ok());
}

TEST_CASE("syntax errors and extra documents carry a position") {
  auto bad = parse_yaml("a: [1, 2\n", "s.yaml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind("s.yaml:", 0) == 0);
  CHECK_FALSE(parse_yaml("a: 1\n---\nb: 2\n", "m.yaml").ok());
  CHECK_FALSE(parse_yaml("? [a, b]\n: 1\n", "k.yaml").ok());
}

TEST_CASE("extends merges maps deeply, replaces lists, and this file wins") {
  const auto dir = temp_dir();
  write(dir + "/base.yaml", "chain: { block_time: 3s, epoch_blocks: 100 }\nlist: [a, b]\nname: base\n");
  write(dir + "/child.yaml", "extends: base.yaml\nchain: { block_time: 1s }\nlist: [c]\n");
  auto doc = load_yaml_with_extends(dir + "/child.yaml");
  REQUIRE(doc.ok());
  const YamlNode& root = doc.value();
  CHECK(root.find("extends") == nullptr);
  CHECK(root.find("chain")->find("block_time")->scalar == "1s");
  CHECK(root.find("chain")->find("epoch_blocks")->scalar == "100");
  CHECK(root.find("list")->children.size() == 1);
  CHECK(root.find("name")->scalar == "base");
  CHECK(root.find("chain")->find("epoch_blocks")->loc.file == dir + "/base.yaml");
  std::filesystem::remove_all(dir);
}

TEST_CASE("an extends cycle is an error") {
  const auto dir = temp_dir();
  write(dir + "/a.yaml", "extends: b.yaml\nname: a\n");
  write(dir + "/b.yaml", "extends: a.yaml\nname: b\n");
  auto doc = load_yaml_with_extends(dir + "/a.yaml");
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.error().message.find("extends cycle") != std::string::npos);
  write(dir + "/c.yaml", "extends: missing.yaml\n");
  auto missing = load_yaml_with_extends(dir + "/c.yaml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("c.yaml:1:10: extends: no such file") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("--set replaces a nested key, indexes lists and creates missing keys") {
  auto doc = parse_yaml("chain: { block_time: 3s }\nvalidators:\n  - { group: a, count: 4 }\n", "s.yaml");
  REQUIRE(doc.ok());
  YamlNode root = doc.value();
  REQUIRE(apply_set(root, "chain.block_time=2s").ok());
  REQUIRE(apply_set(root, "validators[0].count=10").ok());
  REQUIRE(apply_set(root, "network.zones=[x, y]").ok());
  CHECK(root.find("chain")->find("block_time")->scalar == "2s");
  CHECK(root.find("validators")->children[0].find("count")->scalar == "10");
  CHECK(root.find("network")->find("zones")->children.size() == 2);
  CHECK(root.find("chain")->find("block_time")->loc.file == "--set chain.block_time=2s");
  CHECK_FALSE(apply_set(root, "validators[3].count=1").ok());
  CHECK_FALSE(apply_set(root, "chain.block_time").ok());
  CHECK_FALSE(apply_set(root, "chain.block_time.x=1").ok());
}

TEST_CASE("did you mean suggests the closest key and nothing when none is close") {
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(closest_match("blok_time", {"block_time", "epoch_blocks"}) == "block_time");
  CHECK(closest_match("zzzzzz", {"block_time", "epoch_blocks"}).empty());
  CHECK(did_you_mean("valdators", {"validators", "load"}) == " (did you mean 'validators'?)");
}

TEST_CASE("alias expansion is bounded so a hostile file cannot exhaust memory") {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", " : "") + "*" + prev;
    text += "]\n";
    prev = c;
  }
  auto doc = parse_yaml(text, "laughs.yaml");
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.error().message.find("too many nodes") != std::string::npos);
}

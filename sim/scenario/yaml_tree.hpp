// A YAML document as a plain ordered tree that remembers where every node came from (file, line,
// column), built from yaml-cpp's event parser rather than YAML::Node because yaml-cpp silently
// keeps the first of two duplicate keys and forgets which file a merged node came from. Here a
// duplicate key is an error at its position, `extends:` merges keep each node's origin, and
// `--set` overrides are marked as coming from the command line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.hpp"

namespace mt::sim {

// Where a value was written. Not part of a scenario's meaning: two locations always compare equal,
// so a scenario written out by to_yaml and loaded back equals the original.
struct SourceLoc {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  bool operator==(const SourceLoc&) const { return true; }
  // "file:line:column: " (or "file: " when the position is unknown).
  [[nodiscard]] std::string prefix() const;
};

struct YamlNode {
  enum class Type : std::uint8_t { null, scalar, map, seq };
  Type type = Type::null;
  std::string scalar;              // scalar text (plain or quoted)
  bool quoted = false;             // written in quotes: never a number or a null
  std::vector<std::string> keys;   // map keys, in file order (keys[i] names children[i])
  std::vector<SourceLoc> key_locs; // where each key was written
  std::vector<YamlNode> children;  // map values or sequence items
  SourceLoc loc;

  [[nodiscard]] bool is_map() const { return type == Type::map; }
  [[nodiscard]] bool is_seq() const { return type == Type::seq; }
  [[nodiscard]] bool is_scalar() const { return type == Type::scalar; }
  [[nodiscard]] bool is_null() const { return type == Type::null; }
  // The child under `key`, or nullptr.
  [[nodiscard]] const YamlNode* find(std::string_view key) const;
  [[nodiscard]] YamlNode* find(std::string_view key);
  [[nodiscard]] std::string type_name() const;  // "a mapping", "a list", "a scalar", "null"
};

constexpr std::size_t kMaxYamlDepth = 64;         // nesting beyond this is rejected
constexpr std::size_t kMaxYamlBytes = 16u << 20;  // a scenario file above 16 MiB is a mistake
constexpr std::size_t kMaxExtendsDepth = 16;
constexpr std::size_t kMaxYamlNodes = 1'000'000;  // after alias expansion

// Parses one YAML document. Errors (syntax, duplicate keys, complex keys, depth, several
// documents) come back as "file:line:column: message".
Result<YamlNode> parse_yaml(std::string_view text, const std::string& file);
Result<YamlNode> parse_yaml_file(const std::string& path);

// Reads `path`, then follows `extends:` (relative to the extending file) recursively: the base is
// loaded first, and this file's keys override it (maps merge deeply, lists and scalars replace).
// A cycle, or a chain longer than kMaxExtendsDepth, is an error. `extends` is removed.
Result<YamlNode> load_yaml_with_extends(const std::string& path);

// Deep merge: maps merge key by key (override wins), everything else is replaced by override.
void merge_yaml(YamlNode& base, const YamlNode& override_node);

// Applies `path=value` (path like `chain.block_time` or `validators[0].count`; the value is parsed
// as YAML so `--set network.zones=[a,b]` works). Missing map keys are created; a list index must
// exist. The new nodes are marked as coming from "--set".
Status apply_set(YamlNode& root, std::string_view assignment);

// Levenshtein distance (bounded inputs) and the closest candidate within a small distance, for
// "did you mean" hints. Empty when nothing is close.
std::size_t edit_distance(std::string_view a, std::string_view b);
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace mt::sim

// Building the YamlNode tree from yaml-cpp parser events, merging for `extends`, and `--set`.
#include "sim/scenario/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <fmt/format.h>

namespace mt::sim {
namespace {

struct TreeError {
  SourceLoc loc;
  std::string message;
};

SourceLoc loc_of(const std::string& file, const YAML::Mark& m) {
  return SourceLoc{file, m.line + 1, m.column + 1};
}

// Receives parser events and builds one YamlNode tree; throws TreeError on what YAML allows but a
// scenario does not (duplicate keys, non-scalar keys, unknown aliases, excessive depth).
class TreeBuilder final : public YAML::EventHandler {
 public:
  explicit TreeBuilder(std::string file) : file_(std::move(file)) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode n;
    n.loc = loc_of(file_, mark);
    add(std::move(n), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw TreeError{loc_of(file_, mark), "unknown alias"};
    count(mark, size_of(it->second));  // aliases copy: bound the expansion ("billion laughs")
    add(it->second, 0);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode n;
    n.type = YamlNode::Type::scalar;
    n.scalar = value;
    n.quoted = tag == "!";
    n.loc = loc_of(file_, mark);
    add(std::move(n), anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(YamlNode::Type::seq, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(YamlNode::Type::map, mark, anchor);
  }
  void OnMapEnd() override {
    if (stack_.back().has_key) throw TreeError{stack_.back().key_loc, "key without a value"};
    close();
  }

  YamlNode take_root() { return std::move(root_); }
  [[nodiscard]] bool has_root() const { return has_root_; }

 private:
  struct Frame {
    YamlNode node;
    YAML::anchor_t anchor = 0;
    bool has_key = false;
    std::string key;
    SourceLoc key_loc;
  };

  void open(YamlNode::Type type, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (stack_.size() >= kMaxYamlDepth) throw TreeError{loc_of(file_, mark), "nesting too deep"};
    Frame f;
    f.node.type = type;
    f.node.loc = loc_of(file_, mark);
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    add(std::move(f.node), f.anchor);
  }

  void add(YamlNode n, YAML::anchor_t anchor) {
    count(YAML::Mark(), 1);
    if (anchor != 0) anchors_[anchor] = n;
    if (stack_.empty()) {
      root_ = std::move(n);
      has_root_ = true;
      return;
    }
    Frame& top = stack_.back();
    if (top.node.is_seq()) {
      top.node.children.push_back(std::move(n));
    } else if (!top.has_key) {
      add_key(top, n);
    } else {
      top.node.keys.push_back(std::move(top.key));
      top.node.key_locs.push_back(top.key_loc);
      top.node.children.push_back(std::move(n));
      top.has_key = false;
    }
  }

  static void add_key(Frame& top, const YamlNode& k) {
    if (!k.is_scalar()) throw TreeError{k.loc, "a key must be a plain word, not " + k.type_name()};
    const auto& keys = top.node.keys;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == k.scalar) {
        const auto& first = top.node.key_locs[i];
        throw TreeError{k.loc, fmt::format("duplicate key '{}' (first written at line {}, column {})", k.scalar,
                                           first.line, first.column)};
      }
    }
    top.key = k.scalar;
    top.key_loc = k.loc;
    top.has_key = true;
  }

  static std::size_t size_of(const YamlNode& n) {
    std::size_t total = 1;
    for (const auto& c : n.children) total += size_of(c);
    return total;
  }
  void count(const YAML::Mark& mark, std::size_t nodes) {
    nodes_ += nodes;
    if (nodes_ > kMaxYamlNodes) throw TreeError{loc_of(file_, mark), "document expands to too many nodes"};
  }

  std::string file_;
  std::size_t nodes_ = 0;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, YamlNode> anchors_;
  YamlNode root_;
  bool has_root_ = false;
};

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > kMaxYamlBytes) return make_error(path + ": file larger than 16 MiB");
  return text;
}

Result<YamlNode> load_chain(const std::string& path, std::vector<std::string>& visiting) {
  const std::string canonical = std::filesystem::weakly_canonical(path).string();
  if (std::find(visiting.begin(), visiting.end(), canonical) != visiting.end()) {
    std::string chain;
    for (const auto& v : visiting) chain += v + " -> ";
    return make_error(path + ": extends cycle: " + chain + canonical);
  }
  if (visiting.size() >= kMaxExtendsDepth) return make_error(path + ": extends chain deeper than 16 files");
  auto doc = parse_yaml_file(path);
  if (!doc) return doc;
  YamlNode node = std::move(doc).value();
  YamlNode* ext = node.is_map() ? node.find("extends") : nullptr;
  if (ext == nullptr) return node;
  if (!ext->is_scalar() || ext->scalar.empty()) {
    return make_error(ext->loc.prefix() + "extends must be a file path");
  }
  const auto base_path = (std::filesystem::path(path).parent_path() / ext->scalar).string();
  if (!std::filesystem::exists(base_path)) {
    return make_error(ext->loc.prefix() + "extends: no such file '" + base_path + "'");
  }
  visiting.push_back(canonical);
  auto base = load_chain(base_path, visiting);
  visiting.pop_back();
  if (!base) return base;
  // Drop our own `extends` before merging so the result has none.
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    if (node.keys[i] == "extends") {
      node.keys.erase(node.keys.begin() + static_cast<std::ptrdiff_t>(i));
      node.key_locs.erase(node.key_locs.begin() + static_cast<std::ptrdiff_t>(i));
      node.children.erase(node.children.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  YamlNode merged = std::move(base).value();
  if (!merged.is_map()) return make_error(base_path + ": a base scenario must be a mapping");
  merge_yaml(merged, node);
  return merged;
}

}  // namespace

std::string SourceLoc::prefix() const {
  if (line <= 0) return file.empty() ? std::string() : file + ": ";
  return fmt::format("{}:{}:{}: ", file, line, column);
}

const YamlNode* YamlNode::find(std::string_view key) const {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &children[i];
  }
  return nullptr;
}

YamlNode* YamlNode::find(std::string_view key) {
  return const_cast<YamlNode*>(static_cast<const YamlNode*>(this)->find(key));
}

std::string YamlNode::type_name() const {
  switch (type) {
    case Type::null: return "nothing (null)";
    case Type::scalar: return "a value '" + scalar + "'";
    case Type::map: return "a mapping";
    case Type::seq: return "a list";
  }
  return "?";
}

Result<YamlNode> parse_yaml(std::string_view text, const std::string& file) {
  std::istringstream in{std::string(text)};
  TreeBuilder builder(file);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
    TreeBuilder extra(file);
    if (parser.HandleNextDocument(extra)) {
      return make_error(file + ": more than one YAML document (a scenario is one document)");
    }
  } catch (const TreeError& e) {
    return make_error(e.loc.prefix() + e.message);
  } catch (const YAML::Exception& e) {
    return make_error(loc_of(file, e.mark).prefix() + "YAML syntax error: " + e.msg);
  }
  if (!builder.has_root()) {
    YamlNode empty;
    empty.loc = SourceLoc{file, 1, 1};
    return empty;
  }
  return builder.take_root();
}

Result<YamlNode> parse_yaml_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  return parse_yaml(text.value(), path);
}

Result<YamlNode> load_yaml_with_extends(const std::string& path) {
  std::vector<std::string> visiting;
  return load_chain(path, visiting);
}

void merge_yaml(YamlNode& base, const YamlNode& override_node) {
  if (!base.is_map() || !override_node.is_map()) {
    base = override_node;
    return;
  }
  for (std::size_t i = 0; i < override_node.keys.size(); ++i) {
    YamlNode* existing = base.find(override_node.keys[i]);
    if (existing != nullptr) {
      merge_yaml(*existing, override_node.children[i]);
    } else {
      base.keys.push_back(override_node.keys[i]);
      base.key_locs.push_back(override_node.key_locs[i]);
      base.children.push_back(override_node.children[i]);
    }
  }
}

namespace {

struct PathStep {
  std::string key;        // empty for an index step
  std::size_t index = 0;
};

Result<std::vector<PathStep>> parse_path(std::string_view path) {
  std::vector<PathStep> steps;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      const auto close = path.find(']', i);
      if (close == std::string_view::npos) return make_error("--set: missing ']' in '" + std::string(path) + "'");
      const std::string num(path.substr(i + 1, close - i - 1));
      if (num.empty() || num.find_first_not_of("0123456789") != std::string::npos || num.size() > 6) {
        return make_error("--set: bad list index '" + num + "'");
      }
      steps.push_back({"", static_cast<std::size_t>(std::stoul(num))});
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
      continue;
    }
    const auto end = path.find_first_of(".[", i);
    const auto stop = end == std::string_view::npos ? path.size() : end;
    if (stop == i) return make_error("--set: empty key in '" + std::string(path) + "'");
    steps.push_back({std::string(path.substr(i, stop - i)), 0});
    i = stop;
    if (i < path.size() && path[i] == '.') ++i;
  }
  if (steps.empty()) return make_error("--set: empty path");
  return steps;
}

void mark_all(YamlNode& n, const SourceLoc& loc) {
  n.loc = loc;
  for (auto& k : n.key_locs) k = loc;
  for (auto& c : n.children) mark_all(c, loc);
}

}  // namespace

Status apply_set(YamlNode& root, std::string_view assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos) return make_error("--set expects path=value, got '" + std::string(assignment) + "'");
  auto steps = parse_path(assignment.substr(0, eq));
  if (!steps) return steps.error();
  auto value = parse_yaml(assignment.substr(eq + 1), "--set " + std::string(assignment));
  if (!value) return value.error();
  YamlNode v = std::move(value).value();
  const SourceLoc origin{"--set " + std::string(assignment), 0, 0};
  mark_all(v, origin);
  YamlNode* at = &root;
  for (const auto& step : steps.value()) {
    if (step.key.empty()) {
      if (!at->is_seq() || step.index >= at->children.size()) {
        return make_error(
            fmt::format("--set {}: index [{}] is not in a list of that length", std::string(assignment), step.index));
      }
      at = &at->children[step.index];
      continue;
    }
    if (at->is_null()) at->type = YamlNode::Type::map;
    if (!at->is_map()) return make_error("--set " + std::string(assignment) + ": '" + step.key + "' is not under a mapping");
    YamlNode* next = at->find(step.key);
    if (next == nullptr) {
      at->keys.push_back(step.key);
      at->key_locs.push_back(origin);
      at->children.emplace_back();
      at->children.back().loc = origin;
      next = &at->children.back();
    }
    at = next;
  }
  *at = std::move(v);
  return {};
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() > 64 || b.size() > 64) return 64;  // bounded: long words are never "close"
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;  // allowed: up to a third of the word
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string m = closest_match(word, candidates);
  return m.empty() ? std::string() : " (did you mean '" + m + "'?)";
}

}  // namespace mt::sim

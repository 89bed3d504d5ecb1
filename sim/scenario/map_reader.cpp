// Strict mapping reader and bounded diagnostics.
#include "sim/scenario/map_reader.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace mt::sim {

void Diagnostics::error(const SourceLoc& loc, const std::string& message) {
  if (errors_.size() >= kMaxErrors) {
    ++dropped_;
    return;
  }
  const std::string line = loc.prefix() + message;
  if (std::find(errors_.begin(), errors_.end(), line) == errors_.end()) errors_.push_back(line);
}

void Diagnostics::warn(const SourceLoc& loc, const std::string& message) {
  if (warnings_.size() < kMaxErrors) warnings_.push_back(loc.prefix() + message);
}

std::string Diagnostics::joined() const {
  std::string s;
  for (const auto& e : errors_) s += (s.empty() ? "" : "\n") + e;
  if (dropped_ > 0) s += fmt::format("\n({} more errors not shown)", dropped_);
  return s;
}

std::optional<std::string> scalar_text(const YamlNode& node, std::string_view what, Diagnostics& diag) {
  if (!node.is_scalar()) {
    diag.error(node.loc, std::string(what) + ": expected a single value, got " + node.type_name());
    return std::nullopt;
  }
  return node.scalar;
}

MapReader::MapReader(const YamlNode& node, std::string section, std::vector<std::string> allowed,
                     Diagnostics& diag)
    : node_(node), section_(std::move(section)), allowed_(std::move(allowed)), diag_(diag) {
  if (!node_.is_map()) {
    diag_.error(node_.loc, (section_.empty() ? std::string("the scenario") : section_) +
                               ": expected a mapping (key: value), got " + node_.type_name());
  }
}

MapReader::~MapReader() {
  if (!node_.is_map()) return;
  for (std::size_t i = 0; i < node_.keys.size(); ++i) {
    const auto& k = node_.keys[i];
    if (std::find(allowed_.begin(), allowed_.end(), k) == allowed_.end()) {
      diag_.error(node_.key_locs[i], "unknown key '" + k + "'" + (section_.empty() ? "" : " in " + section_) +
                                         did_you_mean(k, allowed_));
    }
  }
}

const YamlNode* MapReader::get(std::string_view key) const {
  MT_ASSERT(std::find(allowed_.begin(), allowed_.end(), key) != allowed_.end(), "reading an undeclared key");
  if (!node_.is_map()) return nullptr;
  return node_.find(key);
}

SourceLoc MapReader::loc_of(std::string_view key) const {
  for (std::size_t i = 0; i < node_.keys.size(); ++i) {
    if (node_.keys[i] == key) return node_.key_locs[i];
  }
  return node_.loc;
}

std::string MapReader::path(std::string_view key) const {
  return section_.empty() ? std::string(key) : section_ + "." + std::string(key);
}

std::optional<std::string> MapReader::text(std::string_view key) {
  const YamlNode* n = get(key);
  if (n == nullptr) return std::nullopt;
  return scalar_text(*n, path(key), diag_);
}

std::optional<bool> MapReader::boolean(std::string_view key) {
  const YamlNode* n = get(key);
  if (n == nullptr) return std::nullopt;
  auto t = scalar_text(*n, path(key), diag_);
  if (!t) return std::nullopt;
  if (*t == "true") return true;
  if (*t == "false") return false;
  diag_.error(n->loc, path(key) + ": expected true or false, got '" + *t + "'");
  return std::nullopt;
}

std::optional<std::string> read_word(const YamlNode& node, std::string_view what,
                                     const std::vector<std::string>& choices, Diagnostics& diag) {
  auto t = scalar_text(node, what, diag);
  if (!t) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *t) != choices.end()) return t;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  diag.error(node.loc, std::string(what) + ": unknown value '" + *t + "'" + did_you_mean(*t, choices) +
                           "; expected one of " + list);
  return std::nullopt;
}

std::optional<std::string> MapReader::word(std::string_view key, const std::vector<std::string>& choices) {
  const YamlNode* n = get(key);
  if (n == nullptr) return std::nullopt;
  return read_word(*n, path(key), choices, diag_);
}

}  // namespace mt::sim

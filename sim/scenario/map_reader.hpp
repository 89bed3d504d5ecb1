// Strict reading of one YAML mapping: every key must be one the section knows (else an error with a
// "did you mean" hint), every value must have the right type and unit. Errors are collected in
// Diagnostics (bounded) so one `mtsim check` lists many problems at once, each as
// "file:line:column: message".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/amount.hpp"
#include "core/util/result.hpp"
#include "sim/scenario/units.hpp"
#include "sim/scenario/yaml_tree.hpp"

namespace mt::sim {

class Diagnostics {
 public:
  static constexpr std::size_t kMaxErrors = 40;
  void error(const SourceLoc& loc, const std::string& message);
  void warn(const SourceLoc& loc, const std::string& message);
  [[nodiscard]] bool ok() const { return errors_.empty(); }
  [[nodiscard]] std::size_t error_count() const { return errors_.size(); }
  [[nodiscard]] std::string joined() const;  // one error per line
  [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
  std::size_t dropped_ = 0;
};

template <class T>
using Parser = Result<T> (*)(std::string_view);

// A scalar's text, or an error (and nullopt) when the node is a mapping, list or null.
std::optional<std::string> scalar_text(const YamlNode& node, std::string_view what, Diagnostics& diag);

template <class T>
std::optional<T> parse_node(const YamlNode& node, std::string_view what, Parser<T> parse, Diagnostics& diag) {
  auto text = scalar_text(node, what, diag);
  if (!text) return std::nullopt;
  auto v = parse(*text);
  if (!v) {
    diag.error(node.loc, std::string(what) + ": " + v.error().message);
    return std::nullopt;
  }
  return v.value();
}

class MapReader {
 public:
  // `section` names the mapping in messages ("chain", "validators[2]"); `allowed` lists its keys.
  MapReader(const YamlNode& node, std::string section, std::vector<std::string> allowed, Diagnostics& diag);
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;
  // Reports unknown keys.
  ~MapReader();

  [[nodiscard]] bool valid() const { return node_.is_map(); }
  [[nodiscard]] const YamlNode& node() const { return node_; }
  [[nodiscard]] const std::string& section() const { return section_; }
  Diagnostics& diag() { return diag_; }
  // The child under key (which must be in `allowed`), or nullptr.
  [[nodiscard]] const YamlNode* get(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return get(key) != nullptr; }
  [[nodiscard]] SourceLoc loc_of(std::string_view key) const;  // the key's position, else the map's

  template <class T>
  std::optional<T> read(std::string_view key, Parser<T> parse) {
    const YamlNode* n = get(key);
    if (n == nullptr) return std::nullopt;
    return parse_node<T>(*n, path(key), parse, diag_);
  }
  std::optional<TimeUs> duration(std::string_view key) { return read<TimeUs>(key, parse_duration); }
  std::optional<std::uint64_t> count(std::string_view key) { return read<std::uint64_t>(key, parse_count); }
  std::optional<Amount> amount(std::string_view key) { return read<Amount>(key, parse_amount); }
  std::optional<Ppm> fraction(std::string_view key) { return read<Ppm>(key, parse_fraction); }
  std::optional<Rate> rate(std::string_view key) { return read<Rate>(key, parse_rate); }
  std::optional<double> real(std::string_view key) { return read<double>(key, parse_real); }
  std::optional<std::string> text(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  // A word from a closed list (with a hint when misspelled).
  std::optional<std::string> word(std::string_view key, const std::vector<std::string>& choices);
  // "chain.block_time"
  [[nodiscard]] std::string path(std::string_view key) const;

 private:
  const YamlNode& node_;
  std::string section_;
  std::vector<std::string> allowed_;
  Diagnostics& diag_;
};

// A word from a closed list, read from a scalar node.
std::optional<std::string> read_word(const YamlNode& node, std::string_view what,
                                     const std::vector<std::string>& choices, Diagnostics& diag);

}  // namespace mt::sim

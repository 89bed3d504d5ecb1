// Writes a resolved Scenario as YAML: every default applied, every stake drawn (frozen under
// `values:`), every load segment's end and every fault id explicit. Loading the text back yields a
// Scenario equal to the one written (tested), which is what `--dump-resolved` and repro files rely on.
#pragma once

#include <string>

#include "sim/scenario/scenario.hpp"

namespace mt::sim {

std::string to_yaml(const Scenario& s);

// A YAML scalar: plain when safe, otherwise double-quoted with escapes.
std::string yaml_scalar(const std::string& text);

// key: value pairs of one flow mapping, in order ("{a: 1, b: 2}"); shared by the writer's files.
class YamlFlow {
 public:
  YamlFlow& add(const std::string& key, const std::string& value) {
    text_ += (text_.empty() ? "" : ", ") + key + ": " + value;
    return *this;
  }
  [[nodiscard]] std::string str() const { return "{" + text_ + "}"; }

 private:
  std::string text_;
};

}  // namespace mt::sim

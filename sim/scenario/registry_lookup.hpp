// Lookups shared by the vocabulary registries (check_, metric_ and behavior_registry.hpp): by
// name, and the list of names in declaration order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mt::sim {

// nullptr when no entry has that name.
template <class Spec>
const Spec* find_named(const std::vector<Spec>& registry, std::string_view Spec::*name_of, std::string_view name) {
  for (const auto& s : registry) {
    if (s.*name_of == name) return &s;
  }
  return nullptr;
}

template <class Spec>
std::vector<std::string> names_of(const std::vector<Spec>& registry, std::string_view Spec::*name_of) {
  std::vector<std::string> names;
  for (const auto& s : registry) names.emplace_back(s.*name_of);
  return names;
}

}  // namespace mt::sim

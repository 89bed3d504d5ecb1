// A tiny strict XML reader for tests: checks well-formedness (nesting, quoted attributes, only
// the five predefined entities and numeric references, no raw '<' or '&' in text or attribute
// values) and returns the element tree with entities decoded. Not a general XML parser: no
// DTDs, no CDATA, no namespaces, which our writers never emit.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mt::reports::testing {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;  // decoded values
  std::string text;                               // decoded character data, concatenated
  std::vector<std::unique_ptr<XmlElement>> children;

  [[nodiscard]] std::vector<const XmlElement*> all(const std::string& element_name) const;  // depth-first
};

struct XmlParse {
  std::unique_ptr<XmlElement> root;
  std::string error;  // empty when well-formed
};

XmlParse parse_xml(const std::string& text);

}  // namespace mt::reports::testing

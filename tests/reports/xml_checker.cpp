#include "tests/reports/xml_checker.hpp"

#include <cctype>

namespace mt::reports::testing {
namespace {

class Reader {
 public:
  explicit Reader(const std::string& text) : s_(text) {}

  XmlParse run() {
    XmlParse out;
    skip_prolog();
    out.root = element();
    skip_space();
    if (error_.empty() && pos_ != s_.size()) fail("content after the root element");
    out.error = error_;
    return out;
  }

 private:
  void fail(const std::string& why) {
    if (error_.empty()) error_ = why + " at offset " + std::to_string(pos_);
  }
  bool at(const char* lit) const { return s_.compare(pos_, std::char_traits<char>::length(lit), lit) == 0; }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void skip_prolog() {
    skip_space();
    if (at("<?xml")) {
      auto end = s_.find("?>", pos_);
      if (end == std::string::npos) return fail("unterminated declaration");
      pos_ = end + 2;
    }
    skip_space();
  }
  std::string name() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' ||
                                s_[pos_] == '-' || s_[pos_] == ':' || s_[pos_] == '.')) {
      ++pos_;
    }
    if (start == pos_) fail("expected a name");
    return s_.substr(start, pos_ - start);
  }
  // Decodes entities up to `stop`; a raw '<' (or '&' not starting a valid reference) is an error.
  std::string decoded(char stop) {
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != stop) {
      char c = s_[pos_];
      if (c == '<') {
        fail("raw '<' in text or attribute");
        return out;
      }
      if (c != '&') {
        out += c;
        ++pos_;
        continue;
      }
      auto semi = s_.find(';', pos_);
      if (semi == std::string::npos || semi - pos_ > 10) {
        fail("bare '&'");
        return out;
      }
      std::string ref = s_.substr(pos_ + 1, semi - pos_ - 1);
      if (ref == "amp") out += '&';
      else if (ref == "lt") out += '<';
      else if (ref == "gt") out += '>';
      else if (ref == "quot") out += '"';
      else if (ref == "apos") out += '\'';
      else if (ref.size() > 1 && ref[0] == '#' && std::isdigit(static_cast<unsigned char>(ref[1]))) {
        out += static_cast<char>(std::stoi(ref.substr(1)));  // tests only use ASCII references
      } else {
        fail("unknown entity &" + ref + ";");
        return out;
      }
      pos_ = semi + 1;
    }
    return out;
  }
  void attributes(XmlElement& e) {
    while (error_.empty()) {
      skip_space();
      if (at("/>") || at(">")) return;
      std::string key = name();
      if (!error_.empty()) return;
      if (!at("=\"")) return fail("attribute " + key + " not quoted with \"");
      pos_ += 2;
      std::string value = decoded('"');
      if (pos_ >= s_.size()) return fail("unterminated attribute");
      ++pos_;
      if (!e.attributes.emplace(key, value).second) return fail("duplicate attribute " + key);
    }
  }
  std::unique_ptr<XmlElement> element() {
    auto e = std::make_unique<XmlElement>();
    if (!at("<")) {
      fail("expected '<'");
      return e;
    }
    ++pos_;
    e->name = name();
    attributes(*e);
    if (!error_.empty()) return e;
    if (at("/>")) {
      pos_ += 2;
      return e;
    }
    ++pos_;  // '>'
    while (error_.empty()) {
      e->text += decoded('<');
      if (pos_ >= s_.size()) {
        fail("unclosed <" + e->name + ">");
        break;
      }
      if (at("</")) {
        pos_ += 2;
        if (name() != e->name) fail("mismatched close of <" + e->name + ">");
        skip_space();
        if (!at(">")) fail("expected '>'");
        ++pos_;
        break;
      }
      e->children.push_back(element());
    }
    return e;
  }

  const std::string& s_;
  std::size_t pos_ = 0;
  std::string error_;
};

void collect(const XmlElement& e, const std::string& name, std::vector<const XmlElement*>& out) {
  if (e.name == name) out.push_back(&e);
  for (const auto& c : e.children) collect(*c, name, out);
}

}  // namespace

std::vector<const XmlElement*> XmlElement::all(const std::string& element_name) const {
  std::vector<const XmlElement*> out;
  collect(*this, element_name, out);
  return out;
}

XmlParse parse_xml(const std::string& text) { return Reader(text).run(); }

}  // namespace mt::reports::testing

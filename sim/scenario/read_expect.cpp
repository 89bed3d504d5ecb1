// `expect:` (named checks and metric thresholds, each with a window) and `report:`.
#include "sim/scenario/read_sections.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "sim/scenario/check_registry.hpp"
#include "sim/scenario/metric_registry.hpp"

namespace mt::sim::detail {
namespace {

std::optional<Window> read_window(const YamlNode& node, Diagnostics& diag) {
  Window w;
  if (node.is_seq()) {
    if (node.children.size() != 2) {
      diag.error(node.loc, "window: a range is [from, until]");
      return std::nullopt;
    }
    auto a = parse_node<TimeUs>(node.children[0], "window", parse_duration, diag);
    auto b = parse_node<TimeUs>(node.children[1], "window", parse_duration, diag);
    if (!a || !b) return std::nullopt;
    if (*b <= *a) diag.error(node.loc, "window: until must be after from");
    w.kind = Window::Kind::range;
    w.from_us = *a;
    w.until_us = *b;
    return w;
  }
  std::string text;
  if (node.is_map() && node.keys.size() == 1 && (node.keys[0] == "during" || node.keys[0] == "after") &&
      node.children[0].is_scalar()) {
    text = node.keys[0] + ":" + node.children[0].scalar;
  } else if (auto t = scalar_text(node, "window", diag)) {
    text = *t;
  } else {
    return std::nullopt;
  }
  const auto colon = text.find(':');
  const std::string head = text.substr(0, colon);
  std::string id = colon == std::string::npos ? "" : text.substr(colon + 1);
  while (!id.empty() && id.front() == ' ') id.erase(id.begin());
  if (head == "always" && colon == std::string::npos) return w;
  if (head == "steady" && colon == std::string::npos) {
    w.kind = Window::Kind::steady;
    return w;
  }
  if ((head == "during" || head == "after") && !id.empty()) {
    w.kind = head == "during" ? Window::Kind::during : Window::Kind::after;
    w.fault_id = id;
    return w;
  }
  diag.error(node.loc, "window: '" + text + "' is not always, steady, during:<fault id>, after:<fault id> or [from, until]" +
                           did_you_mean(head, {"always", "steady", "during", "after"}));
  return std::nullopt;
}

Result<Bound> parse_bound(std::string_view text) {
  Bound b;
  if (auto d = parse_duration(text)) {
    b.unit = Bound::Unit::duration;
    b.time_us = d.value();
    return b;
  }
  if (text.find('/') != std::string_view::npos) {
    auto r = parse_rate(text);
    if (!r) return r.error();
    b.unit = Bound::Unit::rate;
    b.rate = r.value();
    return b;
  }
  auto v = parse_real(text);
  if (!v) return make_error("expected a number, a duration (6s) or a rate (50/s), got '" + std::string(text) + "'");
  b.number = v.value();
  return b;
}

void read_within(MapReader& r, Expectation& e) {
  const YamlNode* n = r.get("within");
  if (n == nullptr) return;
  auto t = scalar_text(*n, r.path("within"), r.diag());
  if (!t) return;
  for (const char* suffix : {" blocks", " block"}) {
    if (t->ends_with(suffix)) {
      auto c = parse_count(t->substr(0, t->size() - std::string_view(suffix).size()));
      if (c && c.value() > 0) {
        e.within_blocks = c.value();
      } else {
        r.diag().error(n->loc, r.path("within") + ": expected e.g. '10 blocks'");
      }
      return;
    }
  }
  e.within_us = parse_node<TimeUs>(*n, r.path("within") + " (a duration or 'N blocks')", parse_duration, r.diag());
}

void read_check(MapReader& r, const std::string& section, Expectation& e) {
  Diagnostics& diag = r.diag();
  const CheckSpec* spec = find_check(e.name);
  const std::vector<std::string_view> params = spec != nullptr ? spec->params : std::vector<std::string_view>{};
  for (const char* key : {"who", "within", "after", "max_stall", "min", "max", "max_share"}) {
    if (r.has(key) && std::find(params.begin(), params.end(), std::string_view(key)) == params.end()) {
      diag.error(r.loc_of(key), section + ": check " + e.name + " takes no '" + key + "'");
    }
  }
  for (const auto& p : params) {
    if (!r.has(p) && p != "who") diag.error(r.node().loc, section + ": check " + e.name + " needs '" + std::string(p) + "'");
  }
  for (const auto& p : params) {  // each parameter read the one way it is written
    if (p == "who") {
      if (const YamlNode* w = r.get("who")) e.who = read_selector(*w, diag);
    } else if (p == "within") {
      read_within(r, e);
    } else if (p == "max_share") {
      e.max_share = r.fraction("max_share");
    } else if (p == "after") {
      e.after = r.text("after").value_or("");
    } else if (p == "max_stall") {
      e.max_stall_us = r.duration("max_stall");
    } else if (p == "min") {
      e.min_height = r.count("min");
    }
  }
}

void read_one(const YamlNode& node, std::size_t i, Scenario& s, Diagnostics& diag) {
  const std::string section = fmt::format("expect[{}]", i);
  MapReader r(node, section, {"check", "metric", "window", "who", "within", "after", "max_stall", "min", "max", "max_share"},
              diag);
  if (!r.valid()) return;
  Expectation e;
  e.loc = node.loc;
  if (r.has("check") == r.has("metric")) {
    diag.error(node.loc, section + ": give exactly one of 'check' (a named check) or 'metric' (a threshold)");
    return;
  }
  if (r.has("check")) {
    e.kind = Expectation::Kind::check;
    auto name = r.word("check", check_names());
    if (!name) return;
    e.name = *name;
    read_check(r, section, e);
  } else {
    e.kind = Expectation::Kind::metric;
    e.window.kind = Window::Kind::steady;
    auto name = r.word("metric", metric_paths());
    if (!name) return;
    e.name = *name;
    for (const char* key : {"who", "within", "after", "max_stall", "max_share"}) {
      if (r.has(key)) diag.error(r.loc_of(key), section + ": a metric threshold takes no '" + key + "'");
    }
    e.min = r.read<Bound>("min", parse_bound);
    e.max = r.read<Bound>("max", parse_bound);
    if (!r.has("min") && !r.has("max")) diag.error(node.loc, section + ": a metric needs 'min' and/or 'max'");
  }
  if (const YamlNode* w = r.get("window")) {
    if (auto win = read_window(*w, diag)) e.window = *win;
  }
  s.expect.push_back(std::move(e));
}

}  // namespace

void read_expect(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  if (!node.is_seq()) {
    diag.error(node.loc, "expect: expected a list like '- { check: no_conflicting_finality }'");
    return;
  }
  for (std::size_t i = 0; i < node.children.size(); ++i) read_one(node.children[i], i, s, diag);
}

namespace {
// report.events and report.timeline: {heights: A..B, nodes: SEL}.
void read_report_filter(const YamlNode& node, const std::string& section, std::optional<HeightRange>& heights,
                        std::optional<Selector>& nodes, Diagnostics& diag) {
  MapReader r(node, section, {"heights", "nodes"}, diag);
  if (const YamlNode* h = r.get("heights")) {
    auto range = h->is_scalar() ? parse_height_range(h->scalar) : Result<HeightRange>(make_error("expected A..B"));
    if (range.ok()) {
      heights = range.value();
    } else {
      diag.error(h->loc, section + ".heights: " + range.error().message);
    }
  }
  if (const YamlNode* n = r.get("nodes")) {
    auto sel = parse_selector(*n);
    if (sel.ok()) {
      nodes = std::move(sel).value();
    } else {
      diag.error(n->loc, section + ".nodes: " + sel.error().message);
    }
  }
}
}  // namespace

void read_report(const YamlNode& node, Scenario& s, Diagnostics& diag) {
  MapReader r(node, "report", {"outputs", "resolution", "events", "timeline"}, diag);
  if (const YamlNode* o = r.get("outputs")) {
    s.report.outputs.clear();
    for (const auto& c : o->is_seq() ? o->children : std::vector<YamlNode>{*o}) {
      if (auto w = read_word(c, "report.outputs", kReportOutputs, diag)) s.report.outputs.push_back(*w);
    }
  }
  if (auto res = r.duration("resolution")) {
    if (*res < kUsPerMs) diag.error(r.loc_of("resolution"), "report.resolution: at least 1ms");
    s.report.resolution_us = *res;
  }
  if (const YamlNode* e = r.get("events")) {
    read_report_filter(*e, "report.events", s.report.event_heights, s.report.event_nodes, diag);
  }
  if (const YamlNode* t = r.get("timeline")) {
    read_report_filter(*t, "report.timeline", s.report.timeline_heights, s.report.timeline_nodes, diag);
  }
}

}  // namespace mt::sim::detail

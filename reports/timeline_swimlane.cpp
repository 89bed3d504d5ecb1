#include "reports/timeline_swimlane.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <fmt/format.h>

#include "reports/text_format.hpp"
#include "reports/timeline_json.hpp"

namespace mt::reports {

namespace {

using sim::TrackSlice;

constexpr double kWidth = 720, kLeft = 70, kRight = 10, kTop = 24, kRowMin = 6, kRowMax = 22;
constexpr std::size_t kColumns = 240;  // time resolution of the lanes
constexpr TimeUs kPadUs = 2 * kUsPerSec;

struct Window {
  std::uint64_t height = 0;
  TimeUs from = 0, to = 0;
};

// From the first node entering the slowest height to the last one leaving it, padded.
Window stall_window(const sim::ConsensusTracks& tracks) {
  Window w{slowest_height(tracks), INT64_MAX, 0};
  for (const auto& n : tracks.nodes) {
    for (const auto& s : n.slices) {
      if (s.level != TrackSlice::Level::height || s.height != w.height) continue;
      w.from = std::min(w.from, s.start_us);
      w.to = std::max(w.to, s.end_us);
    }
  }
  if (w.from > w.to) return Window{0, 0, tracks.end_us};
  w.from = std::max<TimeUs>(0, w.from - kPadUs);
  w.to = std::min(tracks.end_us, w.to + kPadUs);
  if (w.to <= w.from) w.to = w.from + 1;
  return w;
}

// The step a node was in at t (0: no step slice covers t).
int step_at(const sim::NodeTrack& n, TimeUs t) {
  auto it = std::upper_bound(n.slices.begin(), n.slices.end(), t,
                             [](TimeUs v, const TrackSlice& s) { return v < s.start_us; });
  while (it != n.slices.begin()) {
    --it;
    if (it->level == TrackSlice::Level::step && it->start_us <= t && t < it->end_us) return static_cast<int>(it->step);
    if (t - it->start_us > 600 * kUsPerSec) break;  // slices this old cannot cover t
  }
  return 0;
}

const char* step_class(int step) {
  switch (step) {
    case 1: return "lane-propose";
    case 2: return "lane-prevote";
    case 3: return "lane-precommit";
    case 4: return "lane-commit";
    default: return "lane-none";
  }
}

struct Layout {
  Window w;
  std::size_t rows = 0, per_row = 1;
  double row_h = kRowMax;
  [[nodiscard]] double x(TimeUs t) const {
    return kLeft + (kWidth - kLeft - kRight) * static_cast<double>(t - w.from) / static_cast<double>(w.to - w.from);
  }
  [[nodiscard]] double y(std::size_t row) const { return kTop + row_h * static_cast<double>(row); }
};

// The step most nodes of row `row` were in at t (ties: the lower step).
int row_step(const sim::ConsensusTracks& tracks, const Layout& l, std::size_t row, TimeUs t) {
  std::array<int, 5> count{};
  for (std::size_t i = row * l.per_row; i < std::min(tracks.nodes.size(), (row + 1) * l.per_row); ++i) {
    ++count[static_cast<std::size_t>(step_at(tracks.nodes[i], t))];
  }
  return static_cast<int>(std::max_element(count.begin(), count.end()) - count.begin());
}

// One row: runs of equal step over the columns, one rect each.
std::string lane(const sim::ConsensusTracks& tracks, const Layout& l, std::size_t row) {
  std::string out;
  const TimeUs span = l.w.to - l.w.from;
  int run_step = -1;
  std::size_t run_start = 0;
  for (std::size_t c = 0; c <= kColumns; ++c) {
    const int step = c < kColumns ? row_step(tracks, l, row, l.w.from + span * static_cast<TimeUs>(2 * c + 1) /
                                                                        static_cast<TimeUs>(2 * kColumns))
                                  : -2;
    if (step == run_step) continue;
    if (run_step > 0) {
      const double x0 = l.x(l.w.from + span * static_cast<TimeUs>(run_start) / static_cast<TimeUs>(kColumns));
      const double x1 = l.x(l.w.from + span * static_cast<TimeUs>(c) / static_cast<TimeUs>(kColumns));
      out += fmt::format(R"(<rect class="mark {}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>)",
                         step_class(run_step), x0, l.y(row) + 1, x1 - x0, l.row_h - 2);
    }
    run_step = step;
    run_start = c;
  }
  return out;
}

std::string row_label(const sim::ConsensusTracks& tracks, const Layout& l, std::size_t row) {
  const std::size_t first = row * l.per_row;
  const std::size_t last = std::min(tracks.nodes.size(), first + l.per_row) - 1;
  const std::string text =
      first == last ? tracks.nodes[first].name : fmt::format("{}…{}", tracks.nodes[first].name, last - first + 1);
  return fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", kLeft - 4,
                     l.y(row) + l.row_h * 0.7, xml_escape(text));
}

std::string decisions(const sim::ConsensusTracks& tracks, const Layout& l, std::size_t row) {
  std::string out;
  std::map<long, bool> marked;  // one mark per pixel column
  for (std::size_t i = row * l.per_row; i < std::min(tracks.nodes.size(), (row + 1) * l.per_row); ++i) {
    for (const auto& m : tracks.nodes[i].instants) {
      if (m.kind != sim::TrackInstant::Kind::decision || m.t < l.w.from || m.t > l.w.to) continue;
      const double x = l.x(m.t);
      if (!marked.emplace(static_cast<long>(x), true).second) continue;
      out += fmt::format(R"(<rect class="mark lane-decision" x="{:.1f}" y="{:.1f}" width="2" height="{:.1f}"><title>decided {}</title></rect>)",
                         x - 1, l.y(row), l.row_h, m.height);
    }
  }
  return out;
}

std::string faults_and_axis(const sim::ConsensusTracks& tracks, const Layout& l) {
  std::string out;
  const double bottom = l.y(l.rows);
  for (const auto& f : tracks.faults) {
    const TimeUs end = f.end_us < 0 ? tracks.end_us : f.end_us;
    if (end < l.w.from || f.start_us > l.w.to) continue;
    const double x0 = l.x(std::max(f.start_us, l.w.from)), x1 = l.x(std::min(end, l.w.to));
    out += fmt::format(R"(<rect class="fault-window" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}</title></rect>)",
                       x0, kTop, std::max(1.0, x1 - x0), bottom - kTop, xml_escape(f.kind + " " + f.id + ": " + f.targets));
  }
  for (int k = 0; k <= 4; ++k) {
    const TimeUs t = l.w.from + (l.w.to - l.w.from) * k / 4;
    out += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="middle">{} s</text>)", l.x(t),
                       bottom + 14, format_fixed(static_cast<double>(t) / 1e6, 1));
  }
  return out;
}

std::string legend(const Layout& l) {
  std::string out;
  double x = kLeft;
  for (int s = 1; s <= 4; ++s) {
    out += fmt::format(R"(<rect class="{}" x="{:.1f}" y="6" width="10" height="10"/><text class="legend" x="{:.1f}" y="15">{}</text>)",
                       step_class(s), x, x + 13, consensus_step_name(static_cast<ConsensusStep>(s)));
    x += 90;
  }
  out += fmt::format(R"(<text class="legend" x="{:.1f}" y="15">height {} (slowest); | decision; shaded: faults</text>)", x,
                     l.w.height);
  return out;
}

}  // namespace

std::string swimlane_svg(const sim::ConsensusTracks& tracks) {
  Layout l;
  l.w = stall_window(tracks);
  l.per_row = std::max<std::size_t>(1, (tracks.nodes.size() + kMaxSwimlaneRows - 1) / kMaxSwimlaneRows);
  l.rows = (tracks.nodes.size() + l.per_row - 1) / l.per_row;
  l.row_h = std::clamp(400.0 / static_cast<double>(std::max<std::size_t>(1, l.rows)), kRowMin, kRowMax);
  const double height = l.y(l.rows) + 22;
  std::string body;
  for (std::size_t r = 0; r < l.rows; ++r) body += row_label(tracks, l, r) + lane(tracks, l, r) + decisions(tracks, l, r);
  return fmt::format(R"(<svg id="{}" class="chart" viewBox="0 0 {:.0f} {:.0f}" role="img"><title>Consensus steps per node around the slowest height</title>{}{}{}</svg>)",
                     kSwimlaneId, kWidth, height, legend(l), body, faults_and_axis(tracks, l));
}

std::string stall_round_summary(const sim::ConsensusTracks& tracks) {
  const std::uint64_t h = slowest_height(tracks);
  struct Round {
    std::string proposer;
    std::size_t prevote_block = 0, prevote_nil = 0, precommit_block = 0, precommit_nil = 0, entered = 0;
    std::map<std::string, std::size_t> timeouts;
  };
  std::map<std::uint32_t, Round> rounds;
  for (const auto& n : tracks.nodes) {
    std::set<std::uint32_t> entered;  // a crash splits a round's slice: count each node once
    for (const auto& s : n.slices) {
      if (s.height == h && s.level == TrackSlice::Level::round && entered.insert(s.round).second) ++rounds[s.round].entered;
    }
    for (const auto& m : n.instants) {
      if (m.height != h) continue;
      if (m.kind == sim::TrackInstant::Kind::proposal) rounds[m.round].proposer = n.name;
      if (m.kind >= sim::TrackInstant::Kind::timeout_propose) ++rounds[m.round].timeouts[std::string(sim::track_instant_name(m.kind))];
    }
    for (const auto& v : n.votes) {
      if (v.height != h) continue;
      auto& r = rounds[v.round];
      ++(v.type == VoteType::prevote ? (v.nil ? r.prevote_nil : r.prevote_block) : (v.nil ? r.precommit_nil : r.precommit_block));
    }
  }
  std::string out = fmt::format("<p>Height {}, of {} nodes:</p><ul class=\"rounds\">", h, tracks.nodes.size());
  for (const auto& [round, r] : rounds) {
    std::string timeouts;
    for (const auto& [name, count] : r.timeouts) timeouts += fmt::format("{}{} ×{}", timeouts.empty() ? "" : ", ", name, count);
    out += fmt::format("<li>round {}: {}; entered by {}; prevotes {} block, {} nil; precommits {} block, {} nil{}</li>",
                       round, r.proposer.empty() ? "no proposal seen" : "proposal by " + xml_escape(r.proposer),
                       r.entered, r.prevote_block, r.prevote_nil, r.precommit_block, r.precommit_nil,
                       timeouts.empty() ? "" : "; timeouts: " + timeouts);
  }
  return out + "</ul>";
}

}  // namespace mt::reports

#include "reports/timeline_json.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace mt::reports {

namespace {

using sim::TrackSlice;

std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

bool height_selected(const TimelineSelection& sel, std::uint64_t h) {
  return (sel.height_from == 0 && sel.height_to == 0) || (h >= sel.height_from && h <= sel.height_to);
}

std::string slice_name(const TrackSlice& s) {
  switch (s.level) {
    case TrackSlice::Level::height: return fmt::format("height {}", s.height);
    case TrackSlice::Level::round: return fmt::format("round {}", s.round);
    case TrackSlice::Level::step: break;
  }
  return std::string(consensus_step_name(s.step));
}

struct Writer {
  std::string out = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n";
  bool first = true;
  void line(const std::string& event) {
    if (!first) out += ",\n";
    first = false;
    out += event;
  }
};

void write_metadata(Writer& w, const sim::ConsensusTracks& tracks, const TimelineSelection& sel) {
  w.line(R"({"ph":"M","name":"process_name","pid":1,"args":{"name":"nodes"}})");
  w.line(R"({"ph":"M","name":"process_name","pid":2,"args":{"name":"faults"}})");
  for (std::size_t i = 0; i < tracks.nodes.size(); ++i) {
    if (!sel.nodes.empty() && (i >= sel.nodes.size() || !sel.nodes[i])) continue;
    w.line(fmt::format(R"({{"ph":"M","name":"thread_name","pid":1,"tid":{},"args":{{"name":{}}}}})", i,
                       quoted(tracks.nodes[i].name)));
    w.line(fmt::format(R"({{"ph":"M","name":"thread_sort_index","pid":1,"tid":{},"args":{{"sort_index":{}}}}})", i, i));
  }
}

void write_node(Writer& w, std::size_t i, const sim::NodeTrack& track, const TimelineSelection& sel) {
  for (const auto& s : track.slices) {
    if (!height_selected(sel, s.height)) continue;
    w.line(fmt::format(R"({{"ph":"X","pid":1,"tid":{},"ts":{},"dur":{},"name":{},"args":{{"height":{},"round":{}}}}})", i,
                       s.start_us, s.end_us - s.start_us, quoted(slice_name(s)), s.height, s.round));
  }
  for (const auto& m : track.instants) {
    if (!height_selected(sel, m.height)) continue;
    w.line(fmt::format(R"({{"ph":"i","s":"t","pid":1,"tid":{},"ts":{},"name":"{} {}","args":{{"height":{},"round":{}}}}})",
                       i, m.t, sim::track_instant_name(m.kind), m.height, m.height, m.round));
  }
}

// Proposal -> prevote flows of the heights in [from, to]. A flow id is unique per (proposal, voter).
void write_flows(Writer& w, const sim::ConsensusTracks& tracks, const TimelineSelection& sel, std::uint64_t from,
                 std::uint64_t to) {
  std::map<std::pair<std::uint64_t, std::uint32_t>, std::pair<std::size_t, TimeUs>> proposals;  // (h, r) -> (node, t)
  for (std::size_t i = 0; i < tracks.nodes.size(); ++i) {
    for (const auto& m : tracks.nodes[i].instants) {
      if (m.kind == sim::TrackInstant::Kind::proposal && m.height >= from && m.height <= to) {
        proposals.emplace(std::make_pair(m.height, m.round), std::make_pair(i, m.t));
      }
    }
  }
  std::uint64_t id = 1;
  for (std::size_t i = 0; i < tracks.nodes.size(); ++i) {
    if (!sel.nodes.empty() && (i >= sel.nodes.size() || !sel.nodes[i])) continue;
    for (const auto& v : tracks.nodes[i].votes) {
      if (v.type != VoteType::prevote || v.nil) continue;
      auto it = proposals.find({v.height, v.round});
      if (it == proposals.end() || it->second.first == i) continue;
      const auto name = fmt::format("proposal {}/{}", v.height, v.round);
      w.line(fmt::format(R"({{"ph":"s","pid":1,"tid":{},"ts":{},"id":{},"cat":"proposal","name":"{}"}})", it->second.first,
                         it->second.second, id, name));
      w.line(fmt::format(R"({{"ph":"f","bp":"e","pid":1,"tid":{},"ts":{},"id":{},"cat":"proposal","name":"{}"}})", i, v.t,
                         id, name));
      ++id;
    }
  }
}

void write_faults(Writer& w, const sim::ConsensusTracks& tracks) {
  for (std::size_t k = 0; k < tracks.faults.size(); ++k) {
    const auto& f = tracks.faults[k];
    const TimeUs end = f.end_us < 0 ? tracks.end_us : f.end_us;
    w.line(fmt::format(R"({{"ph":"M","name":"thread_name","pid":2,"tid":{},"args":{{"name":{}}}}})", k,
                       quoted(f.kind + " " + f.id)));
    w.line(fmt::format(R"({{"ph":"X","pid":2,"tid":{},"ts":{},"dur":{},"name":{},"args":{{"targets":{}}}}})", k,
                       f.start_us, std::max<TimeUs>(0, end - f.start_us), quoted(f.kind + " " + f.id), quoted(f.targets)));
  }
}

}  // namespace

std::uint64_t slowest_height(const sim::ConsensusTracks& tracks) {
  std::uint64_t best = 0;
  TimeUs longest = -1;
  for (const auto& n : tracks.nodes) {
    for (const auto& s : n.slices) {
      if (s.level == TrackSlice::Level::height && s.end_us - s.start_us > longest) {
        longest = s.end_us - s.start_us;
        best = s.height;
      }
    }
  }
  return best;
}

std::string timeline_json(const sim::ConsensusTracks& tracks, const TimelineSelection& sel) {
  Writer w;
  write_metadata(w, tracks, sel);
  for (std::size_t i = 0; i < tracks.nodes.size(); ++i) {
    if (sel.nodes.empty() || (i < sel.nodes.size() && sel.nodes[i])) write_node(w, i, tracks.nodes[i], sel);
  }
  std::uint64_t from = sel.flow_from, to = sel.flow_to;
  if (from == 0 && to == 0) {
    const std::uint64_t h = slowest_height(tracks);
    from = h > 1 ? h - 1 : h;
    to = h + 1;
  }
  write_flows(w, tracks, sel, from, to);
  write_faults(w, tracks);
  w.out += "\n]}\n";
  return w.out;
}

}  // namespace mt::reports

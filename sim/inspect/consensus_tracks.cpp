#include "sim/inspect/consensus_tracks.hpp"

#include <algorithm>

namespace mt::sim {

std::string_view track_instant_name(TrackInstant::Kind kind) {
  switch (kind) {
    case TrackInstant::Kind::proposal: return "proposal";
    case TrackInstant::Kind::decision: return "decision";
    case TrackInstant::Kind::synced: return "synced";
    case TrackInstant::Kind::sync_started: return "sync started";
    case TrackInstant::Kind::evidence: return "evidence";
    case TrackInstant::Kind::crash: return "crash";
    case TrackInstant::Kind::timeout_propose: return "timeout propose";
    case TrackInstant::Kind::timeout_prevote: return "timeout prevote";
    case TrackInstant::Kind::timeout_precommit: return "timeout precommit";
  }
  return "?";
}

TrackRecorder::TrackRecorder(std::vector<std::string> node_names) : open_(node_names.size()) {
  nodes_.resize(node_names.size());
  for (std::size_t i = 0; i < node_names.size(); ++i) nodes_[i].name = std::move(node_names[i]);
}

// Ends the open slices from the step level up to `down_to` (height: all three) at t.
void TrackRecorder::close(std::size_t node, TimeUs t, TrackSlice::Level down_to) {
  Open& o = open_[node];
  auto& out = nodes_[node].slices;
  // Empty slices are left out (two events at one instant): they would not nest where they belong.
  auto add = [&](TimeUs start, TrackSlice::Level level) {
    if (t > start) out.push_back(TrackSlice{start, t, o.height, o.round, o.step, level});
  };
  add(o.step_start, TrackSlice::Level::step);
  if (down_to == TrackSlice::Level::step) return;
  add(o.round_start, TrackSlice::Level::round);
  if (down_to == TrackSlice::Level::round) return;
  add(o.height_start, TrackSlice::Level::height);
}

void TrackRecorder::move_to(std::size_t node, TimeUs t, std::uint64_t height, std::uint32_t round, ConsensusStep step) {
  Open& o = open_[node];
  if (o.open) {
    if (height < o.height || (height == o.height && round < o.round)) return;  // late news of the past
    if (height == o.height && round == o.round && step == o.step) return;
    if (height != o.height) {
      close(node, t, TrackSlice::Level::height);
      o.height_start = o.round_start = t;
    } else if (round != o.round) {
      close(node, t, TrackSlice::Level::round);
      o.round_start = t;
    } else {
      close(node, t, TrackSlice::Level::step);
    }
  } else {
    o.height_start = o.round_start = t;
  }
  o.open = true;
  o.step_start = t;
  o.height = height;
  o.round = round;
  o.step = step;
}

void TrackRecorder::on_event(std::size_t node, TimeUs t, const Event& e) {
  if (node >= nodes_.size()) return;
  auto& track = nodes_[node];
  if (const auto* p = std::get_if<ProposalMade>(&e)) {
    move_to(node, t, p->height, p->round, ConsensusStep::propose);
    track.instants.push_back(TrackInstant{t, TrackInstant::Kind::proposal, p->height, p->round});
  } else if (const auto* v = std::get_if<VoteCast>(&e)) {
    move_to(node, t, v->height, v->round, v->type == VoteType::prevote ? ConsensusStep::prevote : ConsensusStep::precommit);
    track.votes.push_back(TrackVote{t, v->type, v->height, v->round, v->block_hash.is_zero()});
  } else if (const auto* b = std::get_if<BlockCommitted>(&e)) {
    const auto kind = b->via_sync ? TrackInstant::Kind::synced : TrackInstant::Kind::decision;
    track.instants.push_back(TrackInstant{t, kind, b->height, b->round});
    move_to(node, t, b->height + 1, 0, ConsensusStep::propose);
  } else if (const auto* c = std::get_if<ConsensusEvent>(&e)) {
    on_consensus_event(node, t, *c);
  } else if (const auto* s = std::get_if<SyncStarted>(&e)) {
    track.instants.push_back(TrackInstant{t, TrackInstant::Kind::sync_started, s->target_height, 0});
  } else if (const auto* ev = std::get_if<EvidenceFound>(&e)) {
    track.instants.push_back(TrackInstant{t, TrackInstant::Kind::evidence, ev->height, ev->round});
  }
}

// With the consensus steps on (WorldConfig::emit_events): a height opens in its commit wait, a
// round in propose, and timeouts that fired are instants.
void TrackRecorder::on_consensus_event(std::size_t node, TimeUs t, const ConsensusEvent& e) {
  if (const auto* h = std::get_if<HeightStarted>(&e)) {
    move_to(node, t, h->height, 0, ConsensusStep::commit);
  } else if (const auto* r = std::get_if<RoundStarted>(&e)) {
    move_to(node, t, r->height, r->round, ConsensusStep::propose);
  } else if (const auto* f = std::get_if<TimeoutFired>(&e)) {
    const auto kind = f->step == ConsensusStep::propose     ? TrackInstant::Kind::timeout_propose
                      : f->step == ConsensusStep::prevote   ? TrackInstant::Kind::timeout_prevote
                                                            : TrackInstant::Kind::timeout_precommit;
    nodes_[node].instants.push_back(TrackInstant{t, kind, f->height, f->round});
  }
}

void TrackRecorder::on_crash(std::size_t node, TimeUs t) {
  if (node >= nodes_.size()) return;
  Open& o = open_[node];
  nodes_[node].instants.push_back(TrackInstant{t, TrackInstant::Kind::crash, o.height, o.round});
  if (o.open) close(node, t, TrackSlice::Level::height);
  o.open = false;
}

ConsensusTracks TrackRecorder::finish(TimeUs end_us, std::vector<FaultWindow> faults) {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (open_[i].open) close(i, std::max(end_us, open_[i].step_start), TrackSlice::Level::height);
    open_[i].open = false;
    // Parents first at equal start, then by start: the order a trace viewer nests them in.
    std::stable_sort(nodes_[i].slices.begin(), nodes_[i].slices.end(), [](const TrackSlice& a, const TrackSlice& b) {
      if (a.start_us != b.start_us) return a.start_us < b.start_us;
      return a.level < b.level;
    });
  }
  for (auto& f : faults) {
    if (f.end_us < 0) f.end_us = end_us;
  }
  ConsensusTracks out;
  out.end_us = end_us;
  out.nodes = std::move(nodes_);
  out.faults = std::move(faults);
  nodes_.clear();
  return out;
}

}  // namespace mt::sim

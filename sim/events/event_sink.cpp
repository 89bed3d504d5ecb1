#include "sim/events/event_sink.hpp"

#include <fmt/format.h>

namespace mt::sim {

namespace {
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;  // one write per MiB of lines
}

Result<std::unique_ptr<EventSink>> EventSink::open(const std::string& path, EventFilter filter,
                                                   const std::vector<EventNode>& nodes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return make_error("cannot write " + path);
  std::unique_ptr<EventSink> sink(new EventSink(f, path, std::move(filter)));
  for (std::size_t i = 0; i < nodes.size(); ++i) sink->index_[nodes[i].address] = static_cast<std::int64_t>(i);
  sink->write_nodes(nodes);
  return sink;
}

EventSink::EventSink(std::FILE* file, std::string path, EventFilter filter)
    : file_(file), path_(std::move(path)), filter_(std::move(filter)) {
  buffer_.reserve(kFlushBytes + 4096);
}

EventSink::~EventSink() { (void)close(); }

void EventSink::write_nodes(const std::vector<EventNode>& nodes) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const EventNode& n = nodes[i];
    fmt::format_to(std::back_inserter(buffer_),
                   "{{\"t\":0,\"seq\":{},\"node\":{},\"kind\":\"node_info\",\"name\":{},\"group\":{},\"stake\":{},"
                   "\"honest\":{},\"byzantine\":{},\"at_genesis\":{}}}\n",
                   seq_++, i, json_quoted(n.name), json_quoted(n.group), n.stake, n.honest,
                   n.byzantine.empty() ? std::string("null") : json_quoted(n.byzantine), n.at_genesis);
  }
}

void EventSink::on_event(std::size_t node, TimeUs t, const Event& e) {
  if (file_ == nullptr || !filter_.node_passes(node)) return;
  if (auto h = event_height(e); h.has_value() && !filter_.heights.contains(*h)) return;
  append_event_json(buffer_, t, seq_++, node, e, index_);
  flush_if_full();
}

void EventSink::on_world(TimeUs t, const WorldEvent& e) {
  if (file_ == nullptr) return;
  append_world_json(buffer_, t, seq_++, e);
  flush_if_full();
}

void EventSink::flush_if_full() {
  if (buffer_.size() < kFlushBytes) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) failed_ = true;
  buffer_.clear();
}

Status EventSink::close() {
  if (file_ == nullptr) return failed_ ? Status{make_error("cannot write " + path_)} : Status{};
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) failed_ = true;
  buffer_.clear();
  if (std::fclose(file_) != 0) failed_ = true;
  file_ = nullptr;
  return failed_ ? Status{make_error("cannot write " + path_)} : Status{};
}

}  // namespace mt::sim

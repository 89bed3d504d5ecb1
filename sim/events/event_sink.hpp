// Writes events.jsonl: a listener on the world's node events and the fault injector's world
// events that turns each one passing the filter into a JSON line (event_json.hpp), in the order
// they happen, which is (simulated time, seq). It opens with one `node_info` line per node (name,
// group, stake, honest, byzantine behaviour; every node, whatever the filter) so the file
// explains itself.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/util/result.hpp"
#include "sim/events/event_filter.hpp"
#include "sim/events/event_json.hpp"

namespace mt::sim {

struct EventNode {
  std::string name;       // "core[3]"
  std::string group;
  std::string stake;      // decimal
  Address address;
  bool honest = true;
  std::string byzantine;  // behaviour name, empty when honest
  bool at_genesis = true; // in the genesis validator set (else it joins later, or never)
};

class EventSink {
 public:
  static Result<std::unique_ptr<EventSink>> open(const std::string& path, EventFilter filter,
                                                 const std::vector<EventNode>& nodes);
  ~EventSink();
  EventSink(const EventSink&) = delete;
  EventSink& operator=(const EventSink&) = delete;

  void on_event(std::size_t node, TimeUs t, const Event& e);
  void on_world(TimeUs t, const WorldEvent& e);
  // Flushes and closes; an error names the file.
  Status close();
  [[nodiscard]] std::uint64_t lines() const { return seq_; }

 private:
  EventSink(std::FILE* file, std::string path, EventFilter filter);
  void write_nodes(const std::vector<EventNode>& nodes);
  void flush_if_full();

  std::FILE* file_;
  std::string path_;
  EventFilter filter_;
  AddressIndex index_;
  std::string buffer_;
  std::uint64_t seq_ = 0;
  bool failed_ = false;
};

}  // namespace mt::sim

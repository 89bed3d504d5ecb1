// Checks: invariants and liveness properties evaluated as the run goes (STYLE.md 9: one per file,
// named as the statement that must hold, each describing its violation). A check observes node
// events and the passage of time; it never influences the run except by asking it to stop.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/events.hpp"
#include "core/util/time.hpp"

namespace mt::sim {

// What checks know about the nodes: names for messages, and who is honest.
struct NodeMeta {
  std::string name;    // "core[3]"
  std::string group;   // "core"
  Address address;
  bool honest = true;  // not configured byzantine
};

// A fault's window as the world applied it; end_us < 0 while open.
struct FaultSpan {
  std::string id;
  std::string kind;
  TimeUs start_us = 0;
  TimeUs end_us = -1;
};

// Shared, read-only view of the run that checks consult (filled by the world as it goes).
struct RunView {
  std::vector<NodeMeta> nodes;
  std::vector<FaultSpan> faults;
  [[nodiscard]] const FaultSpan* fault(std::string_view id) const {
    for (const auto& f : faults) {
      if (f.id == id) return &f;
    }
    return nullptr;
  }
  [[nodiscard]] std::ptrdiff_t node_by_address(const Address& a) const {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].address == a) return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
  }
};

enum class CheckClass { safety = 1, liveness = 2 };

struct Violation {
  TimeUs at_us = 0;
  std::string detail;  // names the nodes, heights, blocks and time involved
};

std::string format_time(TimeUs t);  // "45.250s"

class Check {
 public:
  explicit Check(const RunView& view) : view_(view) {}
  virtual ~Check() = default;
  Check(const Check&) = delete;
  Check& operator=(const Check&) = delete;

  [[nodiscard]] virtual std::string name() const = 0;
  [[nodiscard]] virtual CheckClass check_class() const = 0;
  virtual void on_event(std::size_t /*node*/, TimeUs /*t*/, const Event& /*e*/) {}
  // Called at the end of the run (time-based checks settle here).
  virtual void finish(TimeUs /*end_us*/) {}
  // Human-readable measured value for the summary ("0 conflicts", "recovered in 12.3s").
  [[nodiscard]] virtual std::string measured() const = 0;

  [[nodiscard]] const std::optional<Violation>& violation() const { return violation_; }
  [[nodiscard]] bool failed() const { return violation_.has_value(); }

 protected:
  // Records the first violation only: it is the one that matters for reproduction.
  void fail(TimeUs t, std::string detail) {
    if (!violation_) violation_ = Violation{t, std::move(detail)};
  }
  [[nodiscard]] const RunView& view() const { return view_; }
  [[nodiscard]] std::string node_name(std::size_t i) const {
    return i < view_.nodes.size() ? view_.nodes[i].name : "node" + std::to_string(i);
  }
  [[nodiscard]] bool honest(std::size_t i) const { return i < view_.nodes.size() && view_.nodes[i].honest; }

 private:
  const RunView& view_;
  std::optional<Violation> violation_;
};

}  // namespace mt::sim

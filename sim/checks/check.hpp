// Checks: invariants and liveness properties evaluated as the run goes (STYLE.md 9: one per file,
// named as the statement that must hold, each describing its violation). A check observes node
// events and the passage of time; it never influences the run except by asking it to stop.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/events.hpp"
#include "core/util/time.hpp"
#include "sim/run/run_view.hpp"

namespace mt::sim {

enum class CheckClass { safety = 1, liveness = 2 };

struct Violation {
  TimeUs at_us = 0;
  std::string detail;  // names the nodes, heights, blocks and time involved
};

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
    return i < view_.nodes.size() ? view_.nodes[i].name : fmt::format("node{}", i);
  }
  [[nodiscard]] bool honest(std::size_t i) const { return i < view_.nodes.size() && view_.nodes[i].honest; }
  // A node whose key a twin also runs (the key may sign twice and be slashed for it).
  [[nodiscard]] bool twinned(std::size_t i) const { return i < view_.nodes.size() && view_.nodes[i].twinned; }

 private:
  const RunView& view_;
  std::optional<Violation> violation_;
};

}  // namespace mt::sim

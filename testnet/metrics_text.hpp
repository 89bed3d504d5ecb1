// Prometheus text exposition format (version 0.0.4), just what mtnode's GET /metrics needs:
// gauges, counters and cumulative histograms, each family with one HELP and one TYPE line before
// its samples, label values escaped. Names are the caller's (mtnode_ prefix by convention).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mt::testnet {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class MetricsText {
 public:
  // Starts a family: `type` is "gauge", "counter" or "histogram".
  void family(const std::string& name, const std::string& type, const std::string& help);
  void sample(const std::string& name, double value, const MetricLabels& labels = {});
  // A whole histogram family: upper bounds ascending (+Inf is added), observations in any order.
  void histogram(const std::string& name, const std::string& help, const std::vector<double>& bounds,
                 const std::vector<double>& observations);
  [[nodiscard]] const std::string& str() const { return out_; }

 private:
  std::string out_;
};

}  // namespace mt::testnet

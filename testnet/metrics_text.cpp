#include "testnet/metrics_text.hpp"

#include <fmt/format.h>

namespace mt::testnet {

namespace {

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void MetricsText::family(const std::string& name, const std::string& type, const std::string& help) {
  out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void MetricsText::sample(const std::string& name, double value, const MetricLabels& labels) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      out_ += fmt::format("{}{}=\"{}\"", i == 0 ? "" : ",", labels[i].first, escape_label(labels[i].second));
    }
    out_ += '}';
  }
  out_ += fmt::format(" {}\n", value);
}

void MetricsText::histogram(const std::string& name, const std::string& help, const std::vector<double>& bounds,
                            const std::vector<double>& observations) {
  family(name, "histogram", help);
  double sum = 0;
  for (double o : observations) sum += o;
  for (double b : bounds) {
    std::size_t n = 0;
    for (double o : observations) n += o <= b ? 1u : 0u;
    sample(name + "_bucket", static_cast<double>(n), {{"le", fmt::format("{}", b)}});
  }
  sample(name + "_bucket", static_cast<double>(observations.size()), {{"le", "+Inf"}});
  sample(name + "_sum", sum);
  sample(name + "_count", static_cast<double>(observations.size()));
}

}  // namespace mt::testnet

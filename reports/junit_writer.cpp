#include "reports/junit_writer.hpp"

#include <fmt/format.h>

#include <map>

#include "reports/run_facts.hpp"
#include "reports/text_format.hpp"

namespace mt::reports {
namespace {

struct Case {
  std::string name;
  std::string classname;
  std::string file;
  int line = 0;
  double time_s = 0;
  bool failed = false;
  std::string failure_message;
  std::string failure_type;
  std::string failure_text;
};

bool exit_code_unexplained(const sim::RunResult& run) {
  return run.exit_code != kExitOk && run.exit_code != kExitSafety && run.exit_code != kExitLiveness;
}

std::vector<Case> cases_for(const sim::RunResult& run) {
  std::vector<Case> cases;
  const std::string seed_tag = fmt::format(" [seed={}]", run.seed);
  double share_s = run.expectations.empty() ? 0 : run.speed.wall_seconds / static_cast<double>(run.expectations.size());
  for (const auto& e : run.expectations) {
    Case c{e.name + seed_tag, run.scenario_name, e.source_file, e.source_line, share_s, !e.passed, "", "", ""};
    if (!e.passed) {
      c.failure_message = e.name + ": measured " + e.measured + (e.threshold.empty() ? "" : ", expected " + e.threshold);
      c.failure_type = exit_class_word(e.exit_class);
      c.failure_text = (e.detail.empty() ? "" : e.detail + "\n") + "window: " + e.window + "\nreproduce: " +
                       run.reproduce_command;
    }
    cases.push_back(c);
  }
  if (exit_code_unexplained(run)) {
    cases.push_back(Case{"run completed" + seed_tag, run.scenario_name, run.scenario_file, 0, 0, true,
                         fmt::format("run ended with exit code {}", run.exit_code), "exit-code",
                         "reproduce: " + run.reproduce_command});
  }
  return cases;
}

void write_case(std::string& xml, const Case& c) {
  xml += fmt::format(R"(    <testcase name="{}" classname="{}" file="{}" line="{}" time="{}")", xml_escape(c.name),
                     xml_escape(c.classname), xml_escape(c.file), c.line, format_fixed(c.time_s, 3));
  if (!c.failed) {
    xml += "/>\n";
    return;
  }
  xml += fmt::format(">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                     xml_escape(c.failure_message), xml_escape(c.failure_type), xml_escape(c.failure_text));
}

}  // namespace

std::string junit_xml(const std::vector<sim::RunResult>& runs) {
  std::map<std::string, std::vector<const sim::RunResult*>> by_scenario;  // ordered: stable output
  for (const auto& run : runs) by_scenario[run.scenario_name].push_back(&run);
  std::size_t total = 0, total_failed = 0;
  std::string suites;
  for (const auto& [scenario, scenario_runs] : by_scenario) {
    std::vector<Case> cases;
    double time_s = 0;
    for (const auto* run : scenario_runs) {
      auto more = cases_for(*run);
      cases.insert(cases.end(), more.begin(), more.end());
      time_s += run->speed.wall_seconds;
    }
    std::size_t failed = 0;
    for (const auto& c : cases) failed += c.failed ? 1 : 0;
    total += cases.size();
    total_failed += failed;
    suites += fmt::format(R"(  <testsuite name="{}" tests="{}" failures="{}" errors="0" skipped="0" time="{}" file="{}">)",
                          xml_escape(scenario), cases.size(), failed, format_fixed(time_s, 3),
                          xml_escape(scenario_runs.front()->scenario_file)) + "\n";
    for (const auto& c : cases) write_case(suites, c);
    suites += "  </testsuite>\n";
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mtsim\" tests=\"{}\" failures=\"{}\" "
                     "errors=\"0\">\n{}</testsuites>\n", total, total_failed, suites);
}

}  // namespace mt::reports

#include "reports/output_set.hpp"

#include <sstream>
#include <system_error>

#include "reports/csv_writer.hpp"
#include "reports/file_output.hpp"
#include "reports/html_report.hpp"
#include "reports/junit_writer.hpp"
#include "reports/timeline_json.hpp"
#include "reports/markdown_summary.hpp"
#include "reports/report_json.hpp"
#include "reports/results_database.hpp"

namespace mt::reports {

OutputSet OutputSet::all() {
  OutputSet s;
  s.add(Output::json).add(Output::csv).add(Output::markdown).add(Output::sqlite).add(Output::html).add(Output::junit);
  return s;
}

Result<OutputSet> OutputSet::parse(const std::string& list) {
  OutputSet set;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name == "all") set = all();
    else if (name == "json") set.add(Output::json);
    else if (name == "csv") set.add(Output::csv);
    else if (name == "md" || name == "markdown") set.add(Output::markdown);
    else if (name == "sqlite") set.add(Output::sqlite);
    else if (name == "html") set.add(Output::html);
    else if (name == "junit") set.add(Output::junit);
    else if (name == "timeline") set.add(Output::timeline);
    else return make_error("unknown output '" + name + "' (known: json, csv, md, sqlite, html, junit, timeline, all)");
  }
  return set;
}

OutputSet OutputSet::for_scenario(const std::vector<std::string>& outputs) {
  OutputSet set;
  set.add(Output::json);  // report.json is always written
  for (const auto& name : outputs) {
    if (auto one = parse(name); one.ok()) set.bits_ |= one.value().bits_;
  }
  return set;
}

Result<std::vector<std::filesystem::path>> write_all(const std::filesystem::path& out_dir, const sim::RunResult& run,
                                                     OutputSet which) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return make_error("cannot create output directory " + out_dir.string() + ": " + ec.message());
  std::vector<std::filesystem::path> written;
  auto put = [&](const char* name, const std::string& content) -> Status {
    auto path = out_dir / name;
    auto status = write_file_atomically(path, content);
    if (status.ok()) written.push_back(path);
    return status;
  };
  std::vector<Status> results;
  if (which.has(Output::json)) results.push_back(put("report.json", report_json_text(run)));
  if (which.has(Output::csv)) {
    results.push_back(put("blocks.csv", blocks_csv(run)));
    results.push_back(put("series.csv", series_csv(run)));
  }
  if (which.has(Output::markdown)) results.push_back(put("summary.md", markdown_summary(run)));
  if (which.has(Output::html)) results.push_back(put("report.html", html_report(run)));
  if (which.has(Output::junit)) results.push_back(put("junit.xml", junit_xml({run})));
  if (which.has(Output::timeline) && run.consensus != nullptr) {
    const auto& c = *run.consensus;
    TimelineSelection shown{c.show_from, c.show_to, c.show_nodes};
    if (c.show_from != 0 && c.show_to - c.show_from < 5) shown.flow_from = c.show_from, shown.flow_to = c.show_to;
    results.push_back(put("timeline.json", timeline_json(c, shown)));
  }
  if (which.has(Output::sqlite)) {
    auto appended = append_run(out_dir / "results.sqlite", run);
    if (appended.ok()) written.push_back(out_dir / "results.sqlite");
    else results.push_back(appended.error());
  }
  for (const auto& status : results) {
    if (!status.ok()) return status.error();  // the first failure; later files were still attempted
  }
  return written;
}

}  // namespace mt::reports

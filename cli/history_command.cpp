// `scorebench history`: every benchmark row's series over commits from the
// results store, with the steps found in it (reports/README.md, "History and
// change points").
//
//   scorebench history [--db FILE] [--filter REGEX] [--machine NAME] [--metric M]
//                      [--json FILE] [--fail-on-regression [--threshold PCT] [--recent N]]
//
// Exit status: 0; 1 with --fail-on-regression when a step that makes a row
// worse by more than the threshold starts within its newest N commits; 2
// usage, or a store that cannot be used.

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "command.hpp"
#include "scorebench/reports/format.hpp"
#include "scorebench/reports/history/results_store.hpp"
#include "scorebench/reports/history/series.hpp"
#include "scorebench/reports/statistics.hpp"

namespace scorebench::cli {

namespace {

namespace history = reports::history;

struct HistoryArgs {
  std::string db = "scorebench.db", json;
  history::SeriesQuery query;
  double alpha = 0.05, threshold = 5;
  std::size_t recent = 5, min_segment = 2;
  bool fail_on_regression = false;
};

int fail(const std::string& message) {
  std::cerr << "scorebench history: " << message << "\n";
  return 2;
}

std::string value_text(double v, const std::string& metric) {
  return metric == "real_time" || metric == "cpu_time" ? reports::format_duration_ns(v)
                                                       : reports::format_general(v, 4);
}

int run_history(const HistoryArgs& a) {
  try {
    std::regex check(a.query.filter.empty() ? std::string(".") : a.query.filter);
  } catch (const std::regex_error& e) {
    return fail("--filter '" + a.query.filter + "' is not a regular expression: " + e.what());
  }
  std::vector<history::AnalysedSeries> analysed;
  try {
    const history::ResultsStore store(a.db);
    history::StepOptions options;
    options.alpha = a.alpha;
    options.min_segment = a.min_segment;
    analysed = history::analyse(store.series(a.query), options);
  } catch (const history::StoreError& e) {
    return fail(e.what());
  }
  if (analysed.empty()) {
    std::cout << "no " << a.query.metric << " measurements in " << a.db
              << (a.query.filter.empty() ? "" : " for rows matching '" + a.query.filter + "'")
              << (a.query.machine.empty() ? "" : " on machine " + a.query.machine) << "\n";
    return 0;
  }
  int regressions = 0;
  nlohmann::json rows = nlohmann::json::array();
  for (const history::AnalysedSeries& s : analysed) {
    const history::RowSeries& r = s.series;
    std::cout << r.row << "  [" << r.metric << ", machine " << r.machine << ", " << r.points.size()
              << " commits]\n";
    nlohmann::json points = nlohmann::json::array();
    std::size_t next_step = 0;
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      const history::CommitPoint& p = r.points[i];
      if (next_step < s.steps.size() && s.steps[next_step].point == i)
        std::cout << "    ^ step " << history::describe(s.steps[next_step++]) << "\n";
      const double m = reports::median(p.values);
      std::cout << "  " << p.commit.substr(0, 10) << "  " << p.commit_date << "  " << value_text(m, r.metric)
                << "  (" << p.values.size() << (p.values.size() == 1 ? " run" : " runs") << ")\n";
      points.push_back({{"commit", p.commit}, {"commit_date", p.commit_date}, {"values", p.values}});
    }
    nlohmann::json steps = nlohmann::json::array();
    for (const history::Step& st : s.steps) {
      const bool recent = st.point + a.recent >= r.points.size();
      const bool regression = history::is_regression(st, r.metric, a.threshold / 100);
      if (a.fail_on_regression && recent && regression) {
        ++regressions;
        std::cerr << "REGRESSION " << r.row << " on " << r.machine << ": " << history::describe(st) << "\n";
      }
      steps.push_back({{"last_before", st.last_before},
                       {"first_after", st.first_after},
                       {"ratio", st.ratio},
                       {"low", std::isfinite(st.low) ? nlohmann::json(st.low) : nlohmann::json()},
                       {"high", std::isfinite(st.high) ? nlohmann::json(st.high) : nlohmann::json()},
                       {"p_value", st.p_value},
                       {"regression", regression}});
    }
    rows.push_back(
        {{"row", r.row}, {"machine", r.machine}, {"metric", r.metric}, {"points", points}, {"steps", steps}});
  }
  if (!a.json.empty()) {
    std::ofstream out(a.json);
    const nlohmann::json doc = {{"schema", "scorebench.history/1"},
                                {"store", a.db},
                                {"alpha", a.alpha},
                                {"series", analysed.size()},
                                {"rows", rows}};
    if (!(out << doc.dump(1) << "\n")) return fail("cannot write '" + a.json + "'");
  }
  if (regressions > 0) {
    std::cerr << regressions << " regression(s) larger than " << a.threshold << " % in the newest "
              << a.recent << " commits\n";
    return 1;
  }
  return 0;
}

}  // namespace

Command add_history_command(CLI::App& app) {
  auto args = std::make_shared<HistoryArgs>();
  CLI::App* cmd =
      app.add_subcommand("history", "Print each benchmark row's series over commits, with its change points");
  cmd->add_option("--db", args->db, "The results store (SQLite)")->capture_default_str();
  cmd->add_option("--filter", args->query.filter, "Only rows matching this regular expression (ECMAScript)");
  cmd->add_option("--machine", args->query.machine, "Only this machine");
  cmd->add_option("--metric", args->query.metric,
                  "real_time, cpu_time, instructions, worst_ratio or a counter")
      ->capture_default_str();
  cmd->add_option("--json", args->json, "Write the series and steps as JSON to FILE");
  cmd->add_option("--alpha", args->alpha, "False-alarm rate over all series shown")
      ->check(CLI::Range(1e-6, 0.5))
      ->capture_default_str();
  cmd->add_option("--min-segment", args->min_segment, "Fewest commits on either side of a step")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_flag("--fail-on-regression", args->fail_on_regression,
                "Exit 1 when a step worse than --threshold starts within the newest --recent commits");
  cmd->add_option("--threshold", args->threshold, "Percent a step must worsen a row by to fail")
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  cmd->add_option("--recent", args->recent,
                  "How many of a row's newest commits --fail-on-regression looks at")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  return {cmd, [args] { return run_history(*args); }};
}

}  // namespace scorebench::cli

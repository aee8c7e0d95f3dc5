#include "scorebench/reports/history/history_section.hpp"

#include <cmath>
#include <map>
#include <set>

#include "scorebench/reports/history/results_store.hpp"
#include "scorebench/reports/history/series.hpp"
#include "scorebench/reports/statistics.hpp"

namespace scorebench::reports::history {

std::string row_family(const std::string& row) {
  std::size_t cut = 0;
  for (int parts = 0; parts < 3 && cut != std::string::npos; ++parts) cut = row.find('/', cut ? cut + 1 : 0);
  return row.substr(0, cut);
}

void add_history_section(ReportContext& ctx, const std::string& store_path) {
  Document& doc = ctx.doc();
  doc.heading(2, "History");
  const ResultsStore store(store_path);
  const std::vector<StoredRun> runs = store.runs();
  // Commits in the order the store's runs date them.
  std::vector<std::pair<std::string, std::string>> commits;  // (date, sha)
  {
    std::set<std::pair<std::string, std::string>> seen;
    for (const StoredRun& r : runs) seen.insert({r.commit_date, r.commit});
    commits.assign(seen.begin(), seen.end());
  }
  std::map<std::string, double> commit_x;
  for (std::size_t i = 0; i < commits.size(); ++i) commit_x[commits[i].second] = static_cast<double>(i + 1);
  doc.paragraph("Results store `" + store_path + "`: " + std::to_string(runs.size()) + " runs over " +
                std::to_string(commits.size()) + " commits (x axis: the commits in date order, 1 = " +
                (commits.empty() ? std::string("none") : commits.front().second.substr(0, 10)) + ").");
  if (commits.size() < 2)
    ctx.note(
        "the store holds runs of one commit only: trends and change points appear from the second "
        "recorded commit.");

  const std::string metric = ctx.options().time_field;
  SeriesQuery query;
  query.metric = metric;
  const std::vector<AnalysedSeries> analysed = analyse(store.series(query), StepOptions{});

  // family → machine → x → (Σ log relative value, count)
  std::map<std::string, std::map<std::string, std::map<double, std::pair<double, int>>>> families;
  std::map<std::string, std::map<std::string, std::set<double>>> marks;  // family → machine → x of steps
  Table steps;
  steps.header = {"row", "machine", "step"};
  for (const AnalysedSeries& a : analysed) {
    const RowSeries& s = a.series;
    const std::string family = row_family(s.row);
    const double first = median(s.points.front().values);
    for (const CommitPoint& p : s.points) {
      auto& cell = families[family][s.machine][commit_x[p.commit]];
      cell.first += std::log(median(p.values) / first);
      cell.second += 1;
    }
    for (const Step& st : a.steps) {
      marks[family][s.machine].insert(commit_x[st.first_after]);
      steps.rows.push_back({s.row, s.machine, describe(st)});
    }
  }
  std::vector<Chart> charts;
  for (const auto& [family, machines] : families) {
    Chart chart;
    chart.stem = "history_" + family;
    for (char& c : chart.stem)
      if (c == '/' || c == ':') c = '_';
    chart.title = family;
    chart.x_label = "commit";
    chart.y_label = metric + " / first commit (geometric mean over rows)";
    chart.reference_y = 1;
    for (const auto& [machine, points] : machines) {
      Series line;
      line.title = machine;
      Series change;
      change.title = machine + ": change point";
      change.point_type = 9;
      for (const auto& [x, sum] : points) {
        const double y = std::exp(sum.first / sum.second);
        line.x.push_back(x);
        line.y.push_back(y);
        if (marks[family][machine].count(x)) {
          change.x.push_back(x);
          change.y.push_back(y);
        }
      }
      chart.series.push_back(std::move(line));
      if (!change.x.empty()) chart.series.push_back(std::move(change));
    }
    charts.push_back(std::move(chart));
  }
  if (charts.empty()) {
    ctx.note("the store holds no `" + metric + "` measurements: no history charts.");
    return;
  }
  doc.figures(ctx.charts(charts));
  if (steps.rows.empty()) {
    doc.paragraph(
        "No change point detected (E-divisive means with a permutation test, false-alarm rate at most "
        "5 % over all " +
        std::to_string(analysed.size()) + " series).");
  } else {
    doc.paragraph(
        "Change points (E-divisive means, permutation test, false-alarm rate at most 5 % over all " +
        std::to_string(analysed.size()) +
        " series; step = after / before, Hodges–Lehmann with 95 % "
        "interval):");
    doc.table(std::move(steps));
  }
}

}  // namespace scorebench::reports::history

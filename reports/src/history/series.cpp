#include "scorebench/reports/history/series.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "scorebench/reports/history/change_points.hpp"
#include "scorebench/reports/history/fnv1a.hpp"
#include "scorebench/reports/statistics.hpp"

namespace scorebench::reports::history {
namespace {

// Each series draws its own permutations, the same on every run.
std::uint64_t series_seed(const RowSeries& s) {
  return fnv1a64(s.machine + '\x1f' + s.row + '\x1f' + s.metric + '\x1f');
}

}  // namespace

std::vector<Step> find_steps(const RowSeries& series, const StepOptions& options) {
  std::vector<double> x;
  for (const CommitPoint& p : series.points) {
    if (p.values.empty()) return {};
    for (const double v : p.values)
      if (!(v > 0) || !std::isfinite(v)) return {};
    x.push_back(std::log(median(p.values)));
  }
  ChangePointOptions cp;
  cp.alpha = options.alpha;
  cp.family_size = options.family_size;
  cp.min_segment = options.min_segment;
  cp.seed = series_seed(series);
  const std::vector<ChangePoint> found = detect_change_points(x, cp);

  std::vector<Step> steps;
  for (std::size_t i = 0; i < found.size(); ++i) {
    const std::size_t begin = i == 0 ? 0 : found[i - 1].index;
    const std::size_t cut = found[i].index;
    const std::size_t end = i + 1 < found.size() ? found[i + 1].index : series.points.size();
    std::vector<double> before, after;
    for (std::size_t k = begin; k < cut; ++k)
      before.insert(before.end(), series.points[k].values.begin(), series.points[k].values.end());
    for (std::size_t k = cut; k < end; ++k)
      after.insert(after.end(), series.points[k].values.begin(), series.points[k].values.end());
    const RatioEstimate r = hodges_lehmann_ratio(before, after, 1 - options.confidence);
    steps.push_back({cut, series.points[cut - 1].commit, series.points[cut].commit, r.ratio, r.low, r.high,
                     found[i].p_value});
  }
  return steps;
}

std::vector<AnalysedSeries> analyse(std::vector<RowSeries> series, StepOptions options) {
  options.family_size = 0;
  for (const RowSeries& s : series) options.family_size += s.points.size() >= 2 * options.min_segment ? 1 : 0;
  options.family_size = std::max<std::size_t>(options.family_size, 1);
  std::vector<AnalysedSeries> out;
  for (RowSeries& s : series) {
    std::vector<Step> steps = find_steps(s, options);
    out.push_back({std::move(s), std::move(steps)});
  }
  return out;
}

std::string describe(const Step& step) {
  const auto percent = [](double ratio) {
    if (!std::isfinite(ratio) || ratio <= 0) return std::string("?");
    char text[32];
    std::snprintf(text, sizeof text, "%+.1f %%", 100 * (ratio - 1));
    return std::string(text);
  };
  char p[32];
  std::snprintf(p, sizeof p, "%.2g", step.p_value);
  return percent(step.ratio) + " [" + percent(step.low) + ", " + percent(step.high) + "], p = " + p +
         ", after " + step.last_before.substr(0, 10) + ", by " + step.first_after.substr(0, 10);
}

bool higher_is_better(const std::string& metric) {
  const auto ends_with = [&](const std::string& suffix) {
    return metric.size() >= suffix.size() &&
           metric.compare(metric.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("per_second") || ends_with("fraction");
}

bool is_regression(const Step& step, const std::string& metric, double threshold) {
  return higher_is_better(metric) ? step.ratio < 1 / (1 + threshold) : step.ratio > 1 + threshold;
}

}  // namespace scorebench::reports::history

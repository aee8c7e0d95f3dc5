#pragma once
// A benchmark row's history on one machine: its values commit by commit, and
// the steps found in it (change points with their size and significance).

#include <cstddef>
#include <string>
#include <vector>

namespace scorebench::reports::history {

// The runs recorded at one commit: one value per run (the median of the
// run's repetitions).
struct CommitPoint {
  std::string commit, commit_date;
  std::vector<double> values;
};

struct RowSeries {
  std::string machine, row, metric;
  std::vector<CommitPoint> points;  // by commit date, then by recording order
};

struct StepOptions {
  double alpha = 0.05;          // family-wise false-alarm rate (change_points.hpp)
  std::size_t family_size = 1;  // series tested together
  std::size_t min_segment = 2;  // fewest commits on either side of a step
  double confidence = 0.95;     // of the step's size
};

// A change point: the series moved between two recorded commits.
struct Step {
  std::size_t point = 0;  // index of the first commit after the change
  std::string last_before, first_after;
  // after / before: Hodges–Lehmann estimate over the runs of the two
  // neighbouring segments, with its distribution-free interval.
  double ratio = 1, low = 0, high = 0;
  double p_value = 1;
};

// Steps of a series of positive values, found on log(median per commit) so
// that a step is relative. A series with a value ≤ 0 gets no steps.
std::vector<Step> find_steps(const RowSeries& series, const StepOptions& options);

// Every series with its steps, tested as one family (family_size = the
// number of series long enough to hold a step), so that the chance of a
// false alarm anywhere among them is at most α.
struct AnalysedSeries {
  RowSeries series;
  std::vector<Step> steps;
};
std::vector<AnalysedSeries> analyse(std::vector<RowSeries> series, StepOptions options);

// "+5.1 % [+4.2 %, +6.0 %], p = 0.0004, after a1b2c3d, by 9f8e7d6".
std::string describe(const Step& step);

// Whether a larger value of `metric` is better (throughputs, roof fractions)
// or worse (times, instructions).
bool higher_is_better(const std::string& metric);

// A step is a regression when it moves the metric the bad way by more than
// `threshold` (relative, e.g. 0.05) at its point estimate.
bool is_regression(const Step& step, const std::string& metric, double threshold);

}  // namespace scorebench::reports::history

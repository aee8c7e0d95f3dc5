#pragma once
// Regression comparison of two benchmark runs (DESIGN §5): benchmarks are
// matched by name; for each, the ratio of medians NEW/BASE, a two-sided
// Mann–Whitney U test over the repetitions, a Hodges–Lehmann confidence
// interval for the ratio, and Holm's correction across the whole grid. A
// benchmark regresses only when the change is significant after correction
// AND the median ratio exceeds 1 + threshold.
//
// With metric "instructions" the values are instruction counts measured under
// callgrind: deterministic, so no test is needed and a regression is a ratio
// beyond 1 + threshold.

#include <string>
#include <vector>

#include "scorebench/reports/benchmark_run.hpp"

namespace scorebench::reports {

struct CompareOptions {
  double threshold = 0.05;              // relative change that matters (0.05 = 5 %)
  double alpha = 0.05;                  // family-wise error rate across the grid (Holm)
  std::string metric = "time";          // "time" or "instructions"
  std::string time_field = "cpu_time";  // for metric time: "cpu_time" or "real_time"
};

enum class Verdict {
  regression,    // significant and slower than 1 + threshold
  improvement,   // significant and faster than 1 / (1 + threshold)
  unchanged,     // neither
  not_testable,  // fewer than 2 repetitions on a side, or no value of the metric
  only_in_base,  // missing from NEW
  only_in_new,   // missing from BASE
  error,         // the benchmark reported an error in either run
};

const char* name(Verdict v);

struct BenchmarkComparison {
  std::string name;
  std::size_t n_base = 0, n_new = 0;  // repetitions
  double base_median = 0, new_median = 0;
  double ratio = 1;                // new_median / base_median
  double hl_ratio = 1;             // Hodges–Lehmann ratio estimate
  double ci_low = 0, ci_high = 0;  // its (1 − α) confidence interval
  double p_value = 0;              // Mann–Whitney, two-sided (NaN when not tested)
  double p_holm = 0;               // Holm-adjusted
  Verdict verdict = Verdict::unchanged;
  std::string note;
};

struct Comparison {
  CompareOptions options;
  std::string metric_field;  // the JSON field compared: cpu_time, real_time or instructions
  bool metric_is_time = true;
  std::size_t tests = 0;                  // m, the number of tests Holm corrects for
  std::vector<BenchmarkComparison> rows;  // BASE order, then benchmarks only in NEW
  std::vector<std::string> warnings;

  std::size_t count(Verdict v) const;
};

// Differences between two run contexts that make a comparison meaningless:
// CPU (num_cpus, mhz_per_cpu beyond 5 %, caches, scaling), build type, and
// every custom key (library versions, compiler, flags). Volatile keys (date,
// host_name, executable, load_avg) are ignored; with metric "instructions"
// the clock and core counts are ignored too. One line per difference:
// "key: BASE value vs NEW value".
std::vector<std::string> context_differences(const nlohmann::json& base, const nlohmann::json& fresh,
                                             const std::string& metric);

// Throws std::invalid_argument for options out of range.
Comparison compare_runs(const BenchmarkRun& base, const BenchmarkRun& fresh, const CompareOptions& options);

// A Markdown summary and table, regressions first (for a pull-request comment).
std::string render_markdown(const Comparison& comparison, const std::string& base_name,
                            const std::string& new_name);
// JUnit XML: one testcase per benchmark, a <failure> per regression, <skipped>
// for benchmarks that could not be compared.
std::string render_junit(const Comparison& comparison);

}  // namespace scorebench::reports

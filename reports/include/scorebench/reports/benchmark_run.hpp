#pragma once
// A Google Benchmark JSON run (--benchmark_format=json or --benchmark_out),
// grouped by benchmark: every repetition's time and the user counters.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace scorebench::reports {

// The most repetitions of one benchmark a run may hold: compare's
// Hodges–Lehmann interval sorts n_BASE × n_NEW pairwise differences, at most
// 4096² ≈ 1.7e7 doubles (134 MB).
inline constexpr std::size_t kMaxRepetitions = 4096;

struct BenchmarkEntry {
  std::string name;                                     // run_name: the name without the aggregate suffix
  std::vector<double> real_ns;                          // real time per iteration of each repetition, in ns
  std::vector<double> cpu_ns;                           // CPU time per iteration of each repetition, in ns
  std::map<std::string, std::vector<double>> counters;  // user counters, one value per repetition
  bool from_aggregate = false;  // only aggregates were reported: one sample, the median
  std::string error;            // error_message of a benchmark that skipped with an error
  std::string label;            // the label the benchmark set (scorebench's: key=value pairs)
};

struct BenchmarkRun {
  std::string source;  // file name, for messages
  nlohmann::json context;
  std::vector<BenchmarkEntry> benchmarks;  // in file order

  const BenchmarkEntry* find(const std::string& name) const;
};

// Throws std::invalid_argument naming the source, the offending entry and key
// when the JSON is not a Google Benchmark run (a missing or mistyped field, an
// unknown time_unit, a negative or non-finite time, more than
// kMaxRepetitions repetitions); read_benchmark_run also throws
// json_input::Unusable (an std::invalid_argument) for a file it cannot use.
BenchmarkRun parse_benchmark_run(const nlohmann::json& json, const std::string& source);
BenchmarkRun read_benchmark_run(const std::string& path);

// What is measured: "real_time", "cpu_time" (ns per iteration) or a user counter.
std::vector<double> samples(const BenchmarkEntry& entry, const std::string& metric);
// Median of samples(entry, metric); NaN when there are none.
double median_of(const BenchmarkEntry& entry, const std::string& metric);

}  // namespace scorebench::reports

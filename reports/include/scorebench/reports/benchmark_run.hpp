#pragma once
// A Google Benchmark JSON run (--benchmark_format=json or --benchmark_out),
// grouped by benchmark: every repetition's time and the user counters.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace scorebench::reports {

struct BenchmarkEntry {
  std::string name;                                     // run_name: the name without the aggregate suffix
  std::vector<double> real_ns;                          // real time per iteration of each repetition, in ns
  std::vector<double> cpu_ns;                           // CPU time per iteration of each repetition, in ns
  std::map<std::string, std::vector<double>> counters;  // user counters, one value per repetition
  bool from_aggregate = false;  // only aggregates were reported: one sample, the median
  std::string error;            // error_message of a benchmark that skipped with an error
};

struct BenchmarkRun {
  std::string source;  // file name, for messages
  nlohmann::json context;
  std::vector<BenchmarkEntry> benchmarks;  // in file order

  const BenchmarkEntry* find(const std::string& name) const;
};

// Throws std::invalid_argument naming the source and the offending entry when
// the JSON is not a Google Benchmark run.
BenchmarkRun parse_benchmark_run(const nlohmann::json& json, const std::string& source);
BenchmarkRun read_benchmark_run(const std::string& path);

// What is measured: "real_time", "cpu_time" (ns per iteration) or a user counter.
std::vector<double> samples(const BenchmarkEntry& entry, const std::string& metric);
// Median of samples(entry, metric); NaN when there are none.
double median_of(const BenchmarkEntry& entry, const std::string& metric);

}  // namespace scorebench::reports

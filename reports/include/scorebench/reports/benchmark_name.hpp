#pragma once
// The fields of scorebench benchmark names (DESIGN §5):
//   score/<method>/<parameterization>/<per_sample|shared>/<grads|sum>/<f64|f32>/d:<d>/batch:<B>[/threads:<n>]
//   mc/<estimator>/<cost>/d:<d>/batch:<B>
//   roof/gemm/n:<n>, roof/triad/bytes:<n>
// Segments Google Benchmark appends (real_time, threads:1, repeats:N, …) are
// tolerated and ignored.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace scorebench::reports {

struct BenchmarkName {
  std::vector<std::string> path;              // segments without ':'
  std::map<std::string, std::string> params;  // key:value segments
};

BenchmarkName split_benchmark_name(const std::string& name);

struct ScoreCase {
  std::string method, parameterization, sharing, output, dtype;
  long d = 0, batch = 0;
  long threads = 1;  // threads:<n>, when the kernel ran on n threads
};
struct McCase {
  std::string estimator, cost;
  long d = 0, batch = 0;
};
struct RoofCase {
  std::string kind;  // gemm or triad
  long size = 0;     // n for gemm, bytes for triad
};

std::optional<ScoreCase> parse_score_name(const std::string& name);
std::optional<McCase> parse_mc_name(const std::string& name);
std::optional<RoofCase> parse_roof_name(const std::string& name);

}  // namespace scorebench::reports

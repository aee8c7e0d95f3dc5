#pragma once
// scorebench's benchmark names (DESIGN §5), built and read here only:
//   score/<method>/<parameterization>/<per_sample|shared>/<grads|sum>/<f64|f32>/d:<d>/batch:<B>[/threads:<n>]
//   mc/<estimator>/<cost>/d:<d>/batch:<B>
//   roof/gemm/n:<n>, roof/triad/bytes:<n>
// Segments Google Benchmark appends (real_time, threads:1, repeats:N, …) are
// tolerated and ignored.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scorebench/batch.hpp"
#include "scorebench/parameterization.hpp"

namespace scorebench {

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

// The row of `method` for a parameterization, sharing, op and dtype.
ScoreCase score_case(std::string method, Parameterization p, bool shared, Output output, bool f32, long d,
                     long batch, long threads = 1);

// score/<method>/…/batch:<B>, with /threads:<n> when n > 1; parse_score_name
// reads it back.
std::string score_benchmark_name(const ScoreCase& c);
struct McCase {
  std::string estimator, cost;
  long d = 0, batch = 0;
};
struct RoofCase {
  std::string kind;  // gemm or triad
  long size = 0;     // n for gemm, bytes for triad
  long threads = 1;  // threads:<n>, a roof measured on n threads
};

std::optional<ScoreCase> parse_score_name(const std::string& name);
std::optional<McCase> parse_mc_name(const std::string& name);
std::optional<RoofCase> parse_roof_name(const std::string& name);

}  // namespace scorebench

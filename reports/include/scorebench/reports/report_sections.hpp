#pragma once
// The sections of `scorebench report`, each reading one input.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scorebench/benchmark_name.hpp"
#include "scorebench/reports/benchmark_run.hpp"
#include "scorebench/reports/report_context.hpp"

namespace scorebench::reports {

// One score benchmark: its fields and median time per iteration.
struct ScorePoint {
  ScoreCase c;
  double time_ns = 0;  // median over repetitions, per iteration (one batch)
  double per_sample_ns() const { return time_ns / double(c.batch); }
  std::map<std::string, double> counters;  // medians
  std::vector<double> repetitions_ns;      // every repetition's time per iteration
};

struct RoofPoint {
  RoofCase c;
  double time_ns = 0;
  double rate = 0;  // FLOP/s for gemm, bytes/s for triad
};

struct BenchData {
  nlohmann::json context;
  std::string time_field;
  std::vector<ScorePoint> score;     // single-threaded
  std::vector<ScorePoint> threaded;  // threads:n > 1 (CSV only)
  std::vector<RoofPoint> roofs;
  std::vector<std::string> other;  // names of benchmarks not in the score/roof grid
  // Implementations scorebench did not write (external.<name>) → the command
  // that ran them, from the context of `scorebench time --external` runs.
  std::map<std::string, std::string> origins;
  std::vector<std::string> duplicates;  // rows given by more than one run (the first is kept)
};

// One or more runs (scorebench_benchmarks, scorebench time --external) joined:
// the context is the first run's; a row in two runs is taken from the first.
BenchData load_bench_data(const std::vector<BenchmarkRun>& runs, const std::string& time_field);

// Whether a method keeps its accuracy contract for a parameterization, from
// the verification run.
struct ContractStatus {
  bool holds = true;
  double worst_ratio = 0;  // worst error / bound over the gated cases
  int cases = 0, failed = 0;
};
using ContractTable =
    std::map<std::pair<std::string, std::string>, ContractStatus>;  // (method, parameterization)

void add_verdict_section(ReportContext& ctx, const BenchData& bench, const ContractTable* contracts);
void add_bench_sections(ReportContext& ctx, const BenchData& bench);

// Verification (scorebench verify --json): the contract table for the verdict
// and the accuracy envelope section. Throws std::invalid_argument on a schema mismatch.
ContractTable add_verify_section(ReportContext& ctx, const nlohmann::json& verify);
// Monte Carlo (scorebench mc --json). Throws std::invalid_argument on a schema mismatch.
void add_mc_section(ReportContext& ctx, const nlohmann::json& mc);

}  // namespace scorebench::reports

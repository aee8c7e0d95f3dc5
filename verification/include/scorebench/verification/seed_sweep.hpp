#pragma once
// The gate over a range of seeds: the same sweep with seeds A … B, one
// verdict per seed, and the false-alarm statistics of the whole range
// (verification/README.md, "Seed sweeps"). On correct code every seed must
// pass: a verdict that changes with the seed is not a verdict.

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "scorebench/verification/gate.hpp"

namespace scorebench::verification {

struct SeedSummary {
  std::uint64_t seed = 0;
  size_t cases = 0, evaluations = 0, gated_blocks = 0;
  double worst_ratio = 0;
  std::vector<std::string> violations;  // each followed by the command that reproduces its case
};

// Ratios of the gated blocks (promised evaluations) of one method and dtype.
struct RatioStatistics {
  size_t blocks = 0, violations = 0;
  double worst = 0;
  double p999 = 0;  // 99.9th percentile
};

struct SeedSweepReport {
  Sweep sweep = Sweep::small;
  std::uint64_t first = 0, last = 0;
  std::vector<SeedSummary> seeds;
  std::map<std::pair<std::string, std::string>, RatioStatistics> by_method_dtype;  // (method, "f64"|"f32")
  double seconds = 0;
  size_t violations() const;
  size_t gated_blocks() const;
};

// The command that reruns one case of a violation alone.
std::string reproduce_command(const std::string& method, const std::string& case_id);

// run_verification for every seed in [first, last]; `on_seed` is called
// after each (progress, printing).
SeedSweepReport run_seed_sweep(const VerifyOptions& options, const std::vector<const Method*>& methods,
                               std::uint64_t first, std::uint64_t last,
                               const std::function<void(const SeedSummary&)>& on_seed = {});

// The mutant catalogue over a range of seeds: each must be rejected on every
// seed; its margin is the smallest, over the seeds, of the worst error/bound
// of the evaluation that killed it.
struct MutantMargin {
  std::string name;
  size_t seeds = 0, killed = 0;
  double smallest_margin = INFINITY;
  std::uint64_t seed_of_smallest = 0;
  std::string case_of_smallest, blocks_of_smallest;
  std::vector<std::uint64_t> survived_seeds;
};

std::vector<MutantMargin> run_mutant_seed_sweep(const VerifyOptions& options,
                                                const std::vector<const Method*>& mutants,
                                                std::uint64_t first, std::uint64_t last);

}  // namespace scorebench::verification

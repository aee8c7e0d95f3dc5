#pragma once
// Monte Carlo estimators of ∇ E_{a∼N(μ,Σ)}[f(a)] with respect to μ and the
// scale parameter (L for scale_tril, σ for scale_diag), DESIGN §3:
//
//   score_function                   f(a) ∇ log p(a)            (REINFORCE)
//   score_function_baseline          (f(a) − b) ∇ log p(a), b the mean of f
//                                    over the other samples of the batch
//                                    (leave-one-out, so b ⟂ a: unbiased)
//   score_function_optimal_baseline  (f(a) − bⱼ) ∂ⱼ log p(a) per coordinate j,
//                                    bⱼ = Σ_{i≠b} fᵢ sᵢⱼ² / Σ_{i≠b} sᵢⱼ², the
//                                    leave-one-out estimate of the variance-
//                                    minimising constant E[f sⱼ²]/E[sⱼ²]
//   pathwise                         a = μ + Lε: ∇μ = ∇f(a), ∇L = tril(∇f(a) εᵀ),
//                                    ∇σ = ∇f(a) ⊙ ε
//   mutant_pathwise_swapped          WRONG on purpose: ε and a swapped in the
//                                    scale term, ∇L = tril(∇f(a) aᵀ), ∇σ = ∇f(a) ⊙ a
//
// The score ∇ log p comes from any method of the registry (or a mutant
// method, find_method.hpp) through the batch API; the REINFORCE batch sum
// Σ_b c_b ∇ log p_b is the method's Output::sum with weights c_b.
//
// Samples are processed in batches of `batch_size` (the unit of work for the
// threads and the leave-one-out pool of the baselines); the noise of sample b
// depends on (seed, b) only (random.hpp), and per-batch statistics are merged
// in batch order, so a result is bit-identical for a seed at any thread count.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scorebench/mc/cost.hpp"
#include "scorebench/method.hpp"

namespace scorebench::mc {

enum class Estimator {
  score_function,
  score_function_baseline,
  score_function_optimal_baseline,
  pathwise,
  mutant_pathwise_swapped,
};

std::string_view name(Estimator e);
std::optional<Estimator> parse_estimator(std::string_view s);
// The four correct estimators, in the order above.
const std::vector<Estimator>& correct_estimators();
inline bool is_score_function(Estimator e) {
  return e == Estimator::score_function || e == Estimator::score_function_baseline ||
         e == Estimator::score_function_optimal_baseline;
}

// E_{a∼N(loc, Σ)}[cost(a)], Σ = L Lᵀ (scale_tril: scale is L, d × d lower)
// or Σ = diag(σ²) (scale_diag: scale is σ, d × 1).
struct Problem {
  Cost cost;
  Vec<double> loc;
  Parameterization parameterization = Parameterization::scale_diag;
  Mat<double> scale;

  Index dim() const { return loc.size(); }
};

// Throws std::invalid_argument (shapes, parameterization, cost) or
// std::domain_error (non-finite loc, a non-positive scale, an entry above the
// diagonal of L, an infinite expectation), naming the argument.
void check_problem(const Problem& problem);

struct EstimateOptions {
  Estimator estimator = Estimator::score_function;
  std::string method = "analytic";  // the score's method (registry or mutant)
  std::uint64_t samples = 10000;
  std::uint64_t seed = 0;
  Index batch_size = 1024;
  int threads = 1;
  // false: the mean only, score-function sums through the method's
  // Output::sum (variance, stderr and z are then NaN).
  bool statistics = true;
};

// The gradient coordinates: loc[i], then scale_tril(i,j) for i ≥ j (column
// by column) or scale_diag[i].
std::vector<std::string> coordinate_names(Parameterization p, Index d);

struct Estimate {
  std::vector<std::string> names;
  double exact_value = 0;       // E[f]
  Vec<double> exact;            // the exact gradient, per coordinate
  Vec<double> mean;             // the estimator's average over the samples
  Vec<double> variance;         // single-sample variance s²
  Vec<double> variance_stderr;  // delta-method standard error of s²
  Vec<double> standard_error;   // of the mean, sqrt(s²/N)
  Vec<double> z;                // (mean − exact)/stderr
  Vec<double> p_value;          // two-sided, normal approximation
  std::uint64_t samples = 0;
  double seconds = 0;  // wall time of the sampling
  int threads = 1;

  // Core-seconds per sample and s² × that (the variance of an estimate that
  // costs one core-second: smaller means more accuracy per unit of compute).
  double seconds_per_sample() const { return seconds * threads / static_cast<double>(samples); }
  Vec<double> work_normalised_variance() const { return variance * seconds_per_sample(); }
};

Estimate estimate(const Problem& problem, const EstimateOptions& options);

// Flattens a gradient (loc part d, scale part d × d or d × 1) into coordinates.
Vec<double> flatten(Parameterization p, const Vec<double>& grad_loc, const Mat<double>& grad_scale);
// The inverse: the scale block of a coordinate vector (zeros above L's diagonal).
Mat<double> scale_block(Parameterization p, Index d, const Vec<double>& coordinates);

// Two-sided normal p-value of z: erfc(|z|/√2).
double two_sided_p(double z);

}  // namespace scorebench::mc

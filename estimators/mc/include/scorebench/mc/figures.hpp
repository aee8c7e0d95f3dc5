#pragma once
// The setting of Mohamed, Rosca, Figurnov & Mnih (2020), "Monte Carlo
// Gradient Estimation in Machine Learning", JMLR 21(132), Figures 2–3: 1-D,
// x ∼ N(μ, σ²) with μ = σ = 1, the single-sample variance of each estimator
// of ∂E[f]/∂μ and ∂E[f]/∂σ as a function of the cost's parameter k, for
// f = (x − k)², exp(−k x²) and cos(k x).

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "scorebench/mc/estimator.hpp"

namespace scorebench::mc {

struct FigureOptions {
  std::uint64_t samples = 100000;  // per (cost, k, estimator)
  std::uint64_t seed = 2020;
  std::string method = "analytic";
  int threads = 1;
  double confidence = 0.95;           // of the variance interval
  std::vector<std::string> families;  // subset of square, exp_neg_square, cos; empty = all
};

// k grids: square −3…3 (step ½), exp_neg_square 0…3 (step ¼), cos ¼…5 (step ¼).
struct FigureGrid {
  std::string family;  // square, exp_neg_square, cos
  std::vector<double> ks;
};
std::vector<FigureGrid> figure_grids();

struct FigurePoint {
  std::string family;
  double k = 0;
  std::string estimator;
  std::string parameter;  // "mean" (∂/∂μ) or "std" (∂/∂σ)
  double exact_gradient = 0;
  double mean = 0;
  double variance = 0;             // single-sample variance
  double ci_low = 0, ci_high = 0;  // delta-method interval of the variance
  double seconds_per_sample = 0;
  double work_normalised_variance = 0;  // variance × seconds per sample
};

// Every grid point × {score_function, score_function_baseline,
// score_function_optimal_baseline, pathwise} × {mean, std}.
std::vector<FigurePoint> reproduce_figures(const FigureOptions& options);

// CSV with a header: family,k,estimator,parameter,exact_gradient,mean,variance,
// ci_low,ci_high,seconds_per_sample,work_normalised_variance.
void write_figures_csv(std::ostream& out, const std::vector<FigurePoint>& points);

}  // namespace scorebench::mc

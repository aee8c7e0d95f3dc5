#pragma once
// Rank statistics for comparing two samples of a positive quantity (the
// repetitions of one benchmark in two runs): the Mann–Whitney U test, the
// Hodges–Lehmann estimate of the ratio with its distribution-free confidence
// interval, and Holm's step-down correction across many tests.

#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace scorebench::reports {

// Median of a non-empty sample (mean of the two middle values for even n).
double median(std::vector<double> values);

struct MannWhitneyResult {
  double u = 0;        // U of `y`: #{(i, j): y_j > x_i} + ½ #{(i, j): y_j = x_i}
  double p_value = 1;  // two-sided
  bool exact = false;  // exact null distribution (no ties, small samples) or normal approximation
};

// Two-sided Mann–Whitney U test of H0: x and y come from one distribution.
// Exact when there are no ties and n_x·n_y ≤ exact_limit; otherwise the normal
// approximation with tie correction,
//   Var U = n_x n_y / 12 · ((n + 1) − Σ_t (t³ − t) / (n (n − 1))),
// and a continuity correction of ½. Throws std::invalid_argument for an empty sample.
MannWhitneyResult mann_whitney(const std::vector<double>& x, const std::vector<double>& y,
                               std::size_t exact_limit = 2500);

// Smallest two-sided p-value the exact test can reach with these sizes:
// 2 / C(n_x + n_y, n_x). With m tests under Holm, no change is detectable
// unless this is below α / m.
double smallest_p_value(std::size_t n_x, std::size_t n_y);

struct RatioEstimate {
  double ratio = 1;  // exp(median_{i,j}(log y_j − log x_i))
  double low = 0;    // confidence bounds for the ratio; 0 / +inf when the
  double high = 0;   // sample sizes cannot reach the requested coverage
};

// Hodges–Lehmann estimate of the ratio y/x on log values, with the
// distribution-free interval [D_(k), D_(mn−k+1)] of the sorted pairwise
// differences, k the largest integer with P(U ≤ k − 1) ≤ α/2 under H0.
// Requires positive values (std::domain_error otherwise).
RatioEstimate hodges_lehmann_ratio(const std::vector<double>& x, const std::vector<double>& y, double alpha);

// Holm's step-down adjusted p-values, in the input order:
//   p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j)) for p sorted ascending.
// Rejecting p̃ < α controls the family-wise error rate at α.
std::vector<double> holm_adjust(const std::vector<double>& p_values);

// How much faster one implementation is than another over several
// configurations k = 1..K, each with both implementations' repetitions:
//   r_k = median(t_slow,k) / median(t_fast,k),  ratio = exp(L̄),  L̄ = mean_k log r_k,
// with the 95 % interval exp(L̄ ± 1.96 √(Σ_k v_k) / K) of the repetition noise,
//   v_k = (π/2) [s²(log t_slow,k) / n_slow,k + s²(log t_fast,k) / n_fast,k]
// (the variance of a median of n normal values is π/2 times that of their
// mean). The spread of r_k between configurations is a real variation of the
// ratio, not uncertainty, so it does not widen the interval. With fewer than
// two repetitions on either side of some configuration the interval is
// unknown (NaN) and a ratio under kTieWithoutInterval is called a tie.
inline constexpr double kTieWithoutInterval = 1.05;
struct Margin {
  double ratio = std::numeric_limits<double>::quiet_NaN();
  double low = std::numeric_limits<double>::quiet_NaN(), high = std::numeric_limits<double>::quiet_NaN();
  bool has_interval() const { return low == low && high == high; }
  // Not shown to be faster: the interval reaches 1, or, without one, the ratio is under 1.05.
  bool tie() const { return has_interval() ? low <= 1 : ratio < kTieWithoutInterval; }
};
// pairs: (repetitions of the slower, repetitions of the faster) per configuration,
// every time positive (std::domain_error otherwise). No pair: an unknown margin (NaN).
Margin time_ratio_margin(
    const std::vector<std::pair<const std::vector<double>*, const std::vector<double>*>>& pairs);

}  // namespace scorebench::reports

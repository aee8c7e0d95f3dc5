#pragma once
// Change points of one performance series: E-divisive means (Matteson &
// James, "A nonparametric approach for multiple change point analysis of
// multivariate data", JASA 2014), the method MongoDB's CI uses on its
// performance history (Daly et al., ICPE 2020), with its permutation test.
//
// For a segment x_0 … x_{n−1} split before τ into L = x_0 … x_{τ−1} (m
// points) and R = x_τ … x_{n−1} (k points), the divergence of the two sides is
//   Ê(τ) = 2/(mk) Σ_{i∈L, j∈R} |x_i − x_j| − 1/C(m,2) Σ_{i<j∈L} |x_i − x_j|
//                                          − 1/C(k,2) Σ_{i<j∈R} |x_i − x_j|,
// and the statistic is Q(τ) = mk/n · Ê(τ), maximised over τ. The first change
// point is the best split of the whole series; each next one the best split
// of any current segment. A split is kept when the permutation p-value
//   p = (1 + #{permutations with max Q ≥ observed}) / (1 + P),
// the observations permuted within the current segments, is at most the
// test level; the search stops at the first split that is not.
//
// False alarms over many series: each series is tested at α / family_size
// (Bonferroni), so that on noise-only data the probability that any series
// of the family shows a change point is at most α. The permutation count is
// enough to resolve that level: P = ⌈4 · family_size / α⌉, stopped early
// as soon as the split cannot reach the level any more.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace scorebench::reports::history {

struct ChangePointOptions {
  double alpha = 0.05;          // family-wise false-alarm rate
  std::size_t family_size = 1;  // number of series tested together
  std::size_t min_segment = 2;  // fewest points on either side of a change point
  std::uint64_t seed = 1;       // of the permutations (results are reproducible)
};

struct ChangePoint {
  std::size_t index = 0;  // first point after the change
  double statistic = 0;   // Q at the split
  double p_value = 1;     // permutation p-value
};

// The change points of `x` in increasing index order. Throws
// std::invalid_argument for a non-finite value, α outside (0, 1), a zero
// family size or a minimum segment below 1.
std::vector<ChangePoint> detect_change_points(const std::vector<double>& x,
                                              const ChangePointOptions& options);

// The permutation count used for a level: ⌈4 / level⌉ (level = α / family_size).
std::size_t permutation_count(double level);

}  // namespace scorebench::reports::history

#pragma once
// Whether one `scale_tril` sample certainly passes the argument checks, for
// d fixed at compile time: one branch-free pass over L, μ and a instead of
// the general per-entry checks (check_sample), which then run only for a
// sample this doubts and word its error. The one-sample path (B = 1, the
// samples after the lane groups) spends most of its checking time there.
//
//   Σ (Lᵢⱼ − Lᵢⱼ) + Σᵢ₍ⱼ |Lᵢⱼ| = 0  exactly when every entry of L is finite
//                                  (inf − inf and NaN give NaN) and L is
//                                  zero above the diagonal (the second sum
//                                  adds terms ≥ 0, or +inf);
//   Σ (x − x) over μ, a, ε = 0      exactly when every entry is finite;
//   min Lᵢᵢ > 0.
//
// The upper-triangle terms are |L|'s entries times a 0/1 mask, so both sums
// are fixed-length reductions that vectorize, each ending in one horizontal
// add.

#include <Eigen/Core>
#include <array>

#include "scorebench/eigen_types.hpp"

namespace scorebench::kernels {

// 1 above the diagonal of a D×D column-major matrix, 0 elsewhere.
template <typename T, int D>
inline constexpr std::array<T, static_cast<size_t>(D* D)> kStrictlyUpper = [] {
  std::array<T, static_cast<size_t>(D * D)> m{};
  for (int j = 0; j < D; ++j)
    for (int i = 0; i < j; ++i) m[static_cast<size_t>(j * D + i)] = T(1);
  return m;
}();

// noise: the sample's ε when the batch has one (checked finite too), else null.
template <typename T, int D>
bool scale_tril_sample_plainly_valid(const T* l, const T* mu, const T* a, const T* noise) {
  static_assert(D != Eigen::Dynamic, "the one-pass check is for a fixed dimension");
  using Entries = Eigen::Array<T, D * D, 1>;
  using Vector = Eigen::Array<T, D, 1>;
  const Eigen::Map<const Entries> entries(l);
  const Eigen::Map<const Entries> upper_mask(kStrictlyUpper<T, D>.data());
  const Eigen::Map<const Vector> loc(mu), action(a);
  const T matrix = ((entries - entries) + entries.abs() * upper_mask).sum();
  T vectors = ((loc - loc) + (action - action)).sum();
  if (noise) {
    const Eigen::Map<const Vector> eps(noise);
    vectors += (eps - eps).sum();
  }
  const T diag_min = Eigen::Map<const Eigen::Matrix<T, D, D>>(l).diagonal().minCoeff();
  return matrix == T(0) && vectors == T(0) && diag_min > T(0);
}

}  // namespace scorebench::kernels

#pragma once
// Whether one `scale_tril` sample certainly passes the argument checks, for
// d fixed at compile time: one branch-free pass over L, μ and a instead of
// the general per-entry checks (check_sample), which then run only for a
// sample this doubts and word its error. The one-sample path (B = 1, the
// samples after the lane groups) spends most of its checking time there.
//
//   Σ (x − x) over L, μ, a, ε = 0  exactly when every entry is finite
//                                  (inf − inf and NaN give NaN);
//   Σᵢ₍ⱼ |Lᵢⱼ| = 0                 only when L is zero above the diagonal;
//   min Lᵢᵢ > 0.
//
// The upper-triangle sum is L's entries times a 0/1 mask (a non-finite entry
// below the diagonal gives NaN there, which fails the test as it should), so
// every sum is a fixed-length reduction that vectorizes.

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
  T not_finite = (entries - entries).sum() + (loc - loc).sum() + (action - action).sum();
  if (noise) {
    const Eigen::Map<const Vector> eps(noise);
    not_finite += (eps - eps).sum();
  }
  const T upper = (entries.abs() * upper_mask).sum();
  const T diag_min = Eigen::Map<const Eigen::Matrix<T, D, D>>(l).diagonal().minCoeff();
  return not_finite == T(0) && upper == T(0) && diag_min > T(0);
}

}  // namespace scorebench::kernels

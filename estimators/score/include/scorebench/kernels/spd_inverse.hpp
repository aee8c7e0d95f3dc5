#pragma once
// A⁻¹ from A's lower Cholesky factor C (A = C Cᵀ) in place, with the
// arithmetic of LAPACK's potri: d³/3 for X = C⁻¹ (trtri) and d³/3 for the
// lower triangle of A⁻¹ = Xᵀ X (lauum), both recursive on halves so that the
// bulk of the work is in matrix products.
//
//   C = [P 0; Q R]:  C⁻¹ = [P⁻¹ 0; −R⁻¹ Q P⁻¹  R⁻¹]
//   X = [P 0; Q R]:  Xᵀ X = [PᵀP + QᵀQ  ·; Rᵀ Q  RᵀR]   (lower triangle)
//
// Only the lower triangle is read and written.

#include "scorebench/eigen_types.hpp"

namespace scorebench::kernels {

// X = C⁻¹ for lower triangular C, in place. (Ref, not a template on the
// expression type: the recursion must not nest Block types.)
template <typename T>
void invert_lower_in_place(Eigen::Ref<Mat<T>> c) {
  const Index n = c.rows();
  if (n <= 16) {
    // Column j of X from the already inverted trailing block:
    // X(j,j) = 1/C(j,j), X(j+1:, j) = −X(j+1:, j+1:) C(j+1:, j) X(j,j).
    for (Index j = n - 1; j >= 0; --j) {
      const T xjj = T(1) / c(j, j);
      c(j, j) = xjj;
      for (Index i = n - 1; i > j; --i) {  // bottom-up: row i reads rows k ≥ i of column j
        T s(0);
        for (Index k = j + 1; k <= i; ++k) s += c(i, k) * c(k, j);
        c(i, j) = -s * xjj;
      }
    }
    return;
  }
  const Index n1 = n / 2, n2 = n - n1;
  auto p = c.topLeftCorner(n1, n1);
  auto q = c.bottomLeftCorner(n2, n1);
  auto r = c.bottomRightCorner(n2, n2);
  r.template triangularView<Eigen::Lower>().solveInPlace(q);  // Q ← R⁻¹ Q
  invert_lower_in_place<T>(p);
  Mat<T> rq = -(q * p.template triangularView<Eigen::Lower>());  // −R⁻¹ Q P⁻¹
  q = rq;
  invert_lower_in_place<T>(r);
}

// The lower triangle of Xᵀ X for lower triangular X, in place.
template <typename T>
void lower_gram_in_place(Eigen::Ref<Mat<T>> x) {
  const Index n = x.rows();
  if (n <= 16) {
    // (XᵀX)(i,j) = Σ_{k ≥ i} X(k,i) X(k,j), i ≥ j; column by column, top down,
    // each entry overwritten after its last use.
    for (Index j = 0; j < n; ++j)
      for (Index i = j; i < n; ++i) {
        T s(0);
        for (Index k = i; k < n; ++k) s += x(k, i) * x(k, j);
        x(i, j) = s;
      }
    return;
  }
  const Index n1 = n / 2, n2 = n - n1;
  auto p = x.topLeftCorner(n1, n1);
  auto q = x.bottomLeftCorner(n2, n1);
  auto r = x.bottomRightCorner(n2, n2);
  lower_gram_in_place<T>(p);
  p.template selfadjointView<Eigen::Lower>().rankUpdate(q.transpose());   // PᵀP + QᵀQ
  Mat<T> rq = r.template triangularView<Eigen::Lower>().transpose() * q;  // Rᵀ Q
  q = rq;
  lower_gram_in_place<T>(r);
}

}  // namespace scorebench::kernels

#pragma once
// Cholesky factorization A = C Cᵀ (C lower) written on scalars, without
// complex conjugation. Reads only the lower triangle of A. Because it never
// conjugates, it is the analytic continuation that the complex step needs
// (Eigen's complex LLT computes A = C Cᴴ and gives wrong derivatives), and it
// runs unchanged on AD and multiprecision scalars.

#include "scorebench/eigen_types.hpp"
#include "scorebench/scalar_traits.hpp"

namespace scorebench {

// Outcome of a factorization: `failed_pivot` is -1 on success, otherwise the
// 0-based column whose pivot a_jj − Σ_k c_jk² was not positive, with its value.
struct CholeskyStatus {
  Index failed_pivot = -1;
  double pivot_value = 0.0;
  bool ok() const { return failed_pivot < 0; }
};

// Overwrites the lower triangle of `a` with C and zeroes the strict upper one.
template <typename T>
CholeskyStatus cholesky_in_place(Mat<T>& a) {
  using std::sqrt;
  const Index d = a.rows();
  for (Index j = 0; j < d; ++j) {
    // c_jj = sqrt(a_jj − Σ_{k<j} c_jk²)
    T pivot = a(j, j);
    for (Index k = 0; k < j; ++k) pivot -= a(j, k) * a(j, k);
    if (!(real_value(pivot) > 0)) {
      return CholeskyStatus{j, static_cast<double>(real_value(pivot))};
    }
    const T c_jj = sqrt(pivot);
    a(j, j) = c_jj;
    // c_ij = (a_ij − Σ_{k<j} c_ik c_jk) / c_jj, i > j
    for (Index i = j + 1; i < d; ++i) {
      T s = a(i, j);
      for (Index k = 0; k < j; ++k) s -= a(i, k) * a(j, k);
      a(i, j) = s / c_jj;
    }
    for (Index i = 0; i < j; ++i) a(i, j) = T(0);
  }
  return CholeskyStatus{};
}

}  // namespace scorebench

#pragma once
// The factorizations the methods share, with failures reported as messages
// that name the argument and the failing pivot.

#include <Eigen/Cholesky>
#include <optional>
#include <string>
#include <type_traits>

#include "scorebench/cholesky.hpp"
#include "scorebench/validation.hpp"

namespace scorebench {

// c = C with A = C Cᵀ, C lower (strict upper zeroed); reads A's lower triangle.
template <typename T, typename Derived>
std::optional<std::string> lower_cholesky(std::string_view what, const Eigen::MatrixBase<Derived>& a,
                                          Mat<T>& c) {
  c = a;
  if constexpr (std::is_floating_point_v<T>) {
    Eigen::LLT<Eigen::Ref<Mat<T>>, Eigen::Lower> llt(c);
    if (llt.info() == Eigen::Success) {
      c.template triangularView<Eigen::StrictlyUpper>().setZero();
      return std::nullopt;
    }
    c = a;  // Eigen does not say which pivot failed; the scalar loop does.
  }
  const CholeskyStatus status = cholesky_in_place(c);
  if (!status.ok()) return not_positive_definite(what, status);
  return std::nullopt;
}

// C⁻¹ for lower triangular C.
template <typename T>
Mat<T> lower_inverse(const Mat<T>& c) {
  return c.template triangularView<Eigen::Lower>().solve(Mat<T>::Identity(c.rows(), c.cols()));
}

// Σ⁻¹ = C⁻ᵀ C⁻¹ from Σ's lower Cholesky factor C.
template <typename T>
Mat<T> inverse_from_cholesky(const Mat<T>& c) {
  const Mat<T> ci = lower_inverse(c);
  Mat<T> out = Mat<T>::Zero(c.rows(), c.cols());
  out.template selfadjointView<Eigen::Lower>().rankUpdate(ci.transpose());
  out.template triangularView<Eigen::StrictlyUpper>() = out.transpose();
  return out;
}

// L, the lower Cholesky factor of Σ, from any parameterization's block:
// L itself; chol(Σ); chol(Λ⁻¹) with Λ⁻¹ = K⁻ᵀK⁻¹, Λ = K Kᵀ; diag(σ).
template <typename T, typename Derived>
std::optional<std::string> covariance_factor(Parameterization p, const Eigen::MatrixBase<Derived>& a,
                                             Mat<T>& l) {
  switch (p) {
    case Parameterization::scale_tril: l = a; return std::nullopt;
    case Parameterization::covariance_matrix: return lower_cholesky<T>("covariance_matrix", a, l);
    case Parameterization::precision_matrix: {
      Mat<T> k;
      if (auto e = lower_cholesky<T>("precision_matrix", a, k)) return e;
      return lower_cholesky<T>("the covariance Λ⁻¹", inverse_from_cholesky(k), l);
    }
    case Parameterization::scale_diag: l = a.col(0).asDiagonal(); return std::nullopt;
  }
  return "unknown parameterization";
}

}  // namespace scorebench

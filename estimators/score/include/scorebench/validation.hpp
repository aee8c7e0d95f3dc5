#pragma once
// Argument checks at the boundary (DESIGN §6). Shape errors make the whole
// batch unusable and throw std::invalid_argument. Value errors belong to one
// sample: the checks return a message naming the argument and the evidence,
// and the batch driver records it against that sample and goes on.

#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "scorebench/batch.hpp"
#include "scorebench/cholesky.hpp"

namespace scorebench {

namespace detail {
template <typename T>
std::string show(const T& x) {
  std::ostringstream s;
  s.precision(17);
  s << static_cast<double>(x);
  return s.str();
}
}  // namespace detail

template <typename T>
void check_shapes(const Batch<T>& batch, const Request<T>& request, bool needs_noise,
                  std::string_view method) {
  const auto fail = [](const std::string& m) { throw std::invalid_argument(m); };
  const Index d = batch.dim();
  const Index n = batch.size();
  if (d < 1) fail("loc has no rows: the dimension d must be at least 1");
  if (n < 1) fail("the batch is empty: action or noise must have at least one column");
  if (batch.action.size() == 0 && batch.noise.size() == 0)
    fail("neither action nor noise is given: one of them must have one column per sample");
  if (needs_noise && batch.noise.size() == 0)
    fail("method " + std::string(method) + " needs noise: the standard-normal ε with action = loc + L ε");
  for (const auto& [what, m] : {std::pair{"action", &batch.action}, {"noise", &batch.noise}}) {
    if (m->size() == 0) continue;
    if (m->rows() != d)
      fail(std::string(what) + " has " + std::to_string(m->rows()) + " rows but loc has " +
           std::to_string(d) + ": every sample is a d-vector");
    if (m->cols() != n)
      fail(std::string(what) + " has " + std::to_string(m->cols()) + " columns but the batch has " +
           std::to_string(n) + " samples");
  }
  if (batch.loc.cols() != 1 && batch.loc.cols() != n)
    fail("loc has " + std::to_string(batch.loc.cols()) +
         " columns: it must have 1 (shared) or one per sample (" + std::to_string(n) + ")");
  const Index block = batch.block_cols();
  if (batch.param.rows() != d || (batch.param.cols() != block && batch.param.cols() != block * n))
    fail(std::string(name(batch.parameterization)) + " is " + std::to_string(batch.param.rows()) + "×" +
         std::to_string(batch.param.cols()) + ": expected " + std::to_string(d) + "×" +
         std::to_string(block) + " (shared) or " + std::to_string(d) + "×" + std::to_string(block * n) +
         " (one " + (block == 1 ? "column" : "d×d block") + " per sample)");
  if (request.output == Output::sum && request.weights.size() != 0) {
    if (request.weights.size() != n)
      fail("weights has " + std::to_string(request.weights.size()) + " entries but the batch has " +
           std::to_string(n) + " samples");
    for (Index b = 0; b < n; ++b)
      if (!std::isfinite(static_cast<double>(request.weights(b))))
        throw std::domain_error("weights[" + std::to_string(b) + "] is " + detail::show(request.weights(b)) +
                                ": weights must be finite");
  }
}

// True when every entry is finite. For float and double, Σ (x − x) is +0
// when every x is finite and NaN otherwise: one vectorised reduction
// (Eigen's allFinite() is an element-by-element loop with an early exit,
// which cost more than the d = 64 kernel).
template <typename Derived>
bool all_finite(const Eigen::MatrixBase<Derived>& a) {
  using T = typename Derived::Scalar;
  if constexpr (std::is_floating_point_v<T>) {
    return (a.array() - a.array()).sum() == T(0);
  } else {
    for (Index j = 0; j < a.cols(); ++j)
      for (Index i = 0; i < a.rows(); ++i)
        if (!std::isfinite(static_cast<double>(a(i, j)))) return false;
    return true;
  }
}

// First non-finite entry of a per-sample vector, e.g. "action[3] is nan".
template <typename Derived>
std::optional<std::string> check_finite(std::string_view what, const Eigen::MatrixBase<Derived>& v) {
  if (all_finite(v)) return std::nullopt;
  for (Index i = 0; i < v.size(); ++i)
    if (!std::isfinite(static_cast<double>(v(i))))
      return std::string(what) + "[" + std::to_string(i) + "] is " + detail::show(v(i));
  return std::nullopt;
}

// Value checks of one parameter block (positive definiteness is reported by
// the factorization that needs it, see not_positive_definite()).
template <typename Derived>
std::optional<std::string> check_param_values(Parameterization p, const Eigen::MatrixBase<Derived>& a) {
  using T = typename Derived::Scalar;
  const std::string pname(name(p));
  const auto at = [&](Index i, Index j) {
    return pname + (is_matrix(p) ? "(" + std::to_string(i) + "," + std::to_string(j) + ")"
                                 : "[" + std::to_string(i) + "]");
  };
  double max_abs = 0;
  for (Index j = 0; j < a.cols(); ++j)
    for (Index i = 0; i < a.rows(); ++i) {
      const double v = static_cast<double>(a(i, j));
      if (!std::isfinite(v)) return at(i, j) + " is " + detail::show(v);
      max_abs = std::max(max_abs, std::abs(v));
    }
  const Index d = a.rows();
  for (Index i = 0; i < d; ++i) {
    const T diag = is_matrix(p) ? a(i, i) : a(i, 0);
    if (!(diag > T(0)))
      return at(i, is_matrix(p) ? i : 0) + " = " + detail::show(diag) + " is not positive" +
             (p == Parameterization::scale_tril   ? " (the diagonal of L must be > 0)"
              : p == Parameterization::scale_diag ? " (a scale must be > 0)"
                                                  : ", so " + pname + " is not positive definite");
  }
  if (p == Parameterization::scale_tril) {
    for (Index j = 1; j < d; ++j)
      for (Index i = 0; i < j; ++i)
        if (a(i, j) != T(0))
          return at(i, j) + " = " + detail::show(a(i, j)) +
                 " is above the diagonal: scale_tril must be lower triangular";
  }
  if (is_symmetric(p)) {
    // Asymmetry beyond what rounding a symmetric computation leaves behind:
    // |a_ij − a_ji| ≤ 64 d u max|a|.
    const double tol = 64.0 * static_cast<double>(d) * static_cast<double>(unit_roundoff<T>()) * max_abs;
    for (Index j = 1; j < d; ++j)
      for (Index i = 0; i < j; ++i) {
        const double diff = std::abs(static_cast<double>(a(i, j)) - static_cast<double>(a(j, i)));
        if (diff > tol)
          return pname + " is not symmetric: " + at(i, j) + " = " + detail::show(a(i, j)) + " but " +
                 at(j, i) + " = " + detail::show(a(j, i)) + " (difference " + detail::show(diff) +
                 " > tolerance " + detail::show(tol) + ")";
      }
  }
  return std::nullopt;
}

inline std::string not_positive_definite(std::string_view what, const CholeskyStatus& s) {
  return std::string(what) + " is not positive definite: Cholesky pivot " + std::to_string(s.failed_pivot) +
         " is " + detail::show(s.pivot_value) + " (must be > 0)";
}

}  // namespace scorebench

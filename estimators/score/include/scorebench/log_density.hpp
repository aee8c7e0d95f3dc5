#pragma once
// The generic Gaussian log-density, written once on scalars so that forward
// AD, the complex step and 50-digit central differences differentiate the very
// same function. It reads only the lower triangle of a matrix parameter, so a
// perturbation of entry (i, j), i > j, of a symmetric parameter moves both
// a_ij and a_ji (the "vech" derivative, 2G_ij − δ_ij G_ii in the symmetric
// convention of DESIGN §1).
//
//   log p(a) = −½ rᵀ Σ⁻¹ r − ½ log det Σ − (d/2) log 2π,   r = a − μ
//            = −½ ‖ε‖² − Σᵢ log Lᵢᵢ − d · ½ log 2π,       ε = L⁻¹ r

#include <stdexcept>
#include <string>

#include "scorebench/cholesky.hpp"
#include "scorebench/parameterization.hpp"

namespace scorebench {

namespace detail {

// ε = L⁻¹ r by forward substitution on the lower triangle of L;
// returns ½‖ε‖² + Σᵢ log Lᵢᵢ.
template <typename T>
T half_sq_noise_plus_log_diag(const Mat<T>& l, const Vec<T>& r) {
  using std::log;
  const Index d = r.size();
  Vec<T> eps(d);
  T sq(0), log_diag(0);
  for (Index i = 0; i < d; ++i) {
    T s = r(i);
    for (Index k = 0; k < i; ++k) s -= l(i, k) * eps(k);
    eps(i) = s / l(i, i);
    sq += eps(i) * eps(i);
    log_diag += log(l(i, i));
  }
  return sq / T(2) + log_diag;
}

template <typename T>
Mat<T> factor_or_throw(const Mat<T>& a, const char* what) {
  Mat<T> c = a;
  const CholeskyStatus status = cholesky_in_place(c);
  if (!status.ok())
    throw std::domain_error(std::string(what) + " is not positive definite: Cholesky pivot " +
                            std::to_string(status.failed_pivot) + " is " +
                            std::to_string(status.pivot_value));
  return c;
}

}  // namespace detail

// log N(action | loc, Σ(param)); `param` is d×d, or d×1 for scale_diag.
template <typename T>
T log_prob(Parameterization p, const Vec<T>& loc, const Vec<T>& action, const Mat<T>& param) {
  using std::log;
  const Index d = loc.size();
  const Vec<T> r = action - loc;
  const T normaliser = T(static_cast<RealOf<T>>(d)) * half_log_two_pi<T>();
  switch (p) {
    case Parameterization::scale_tril: return -detail::half_sq_noise_plus_log_diag(param, r) - normaliser;
    case Parameterization::covariance_matrix: {
      const Mat<T> c = detail::factor_or_throw(param, "covariance_matrix");
      return -detail::half_sq_noise_plus_log_diag(c, r) - normaliser;
    }
    case Parameterization::precision_matrix: {
      // Λ = K Kᵀ: rᵀΛr = ‖Kᵀ r‖², log det Σ = −2 Σᵢ log Kᵢᵢ.
      const Mat<T> k = detail::factor_or_throw(param, "precision_matrix");
      T sq(0), log_diag(0);
      for (Index j = 0; j < d; ++j) {
        T z(0);
        for (Index i = j; i < d; ++i) z += k(i, j) * r(i);
        sq += z * z;
        log_diag += log(k(j, j));
      }
      return -sq / T(2) + log_diag - normaliser;
    }
    case Parameterization::scale_diag: {
      T sq(0), log_diag(0);
      for (Index i = 0; i < d; ++i) {
        const T e = r(i) / param(i, 0);
        sq += e * e;
        log_diag += log(param(i, 0));
      }
      return -sq / T(2) - log_diag - normaliser;
    }
  }
  throw std::invalid_argument("log_prob: unknown parameterization");
}

}  // namespace scorebench

#pragma once
// The closed-form gradients of DESIGN §1, shared by every method that reaches
// them. w = Σ⁻¹ r, ε = L⁻¹ r, r = a − μ.

#include "scorebench/eigen_types.hpp"
#include "scorebench/scalar_traits.hpp"

namespace scorebench {

// log p = −½ ‖ε‖² − ½ log det Σ − d · ½ log 2π
template <typename T>
T log_prob_from_noise(const T& sq_noise, const T& half_log_det, Index d) {
  return -sq_noise / T(2) - half_log_det - T(static_cast<RealOf<T>>(d)) * half_log_two_pi<T>();
}

// ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ), exactly zero above the diagonal.
template <typename T, typename Out>
void scale_tril_gradient(const Vec<T>& w, const Vec<T>& eps, const Vec<T>& inv_diag, Out&& g) {
  const Index d = w.size();
  for (Index j = 0; j < d; ++j) {
    for (Index i = 0; i < j; ++i) g(i, j) = T(0);
    for (Index i = j; i < d; ++i) g(i, j) = w(i) * eps(j);
    g(j, j) -= inv_diag(j);
  }
}

// ∇Σ = ½ (w wᵀ − Σ⁻¹), symmetric.
template <typename T, typename Out>
void covariance_gradient(const Vec<T>& w, const Mat<T>& sigma_inv, Out&& g) {
  g.noalias() = (w * w.transpose() - sigma_inv) / T(2);
}

// ∇Λ = ½ (Σ − r rᵀ), symmetric.
template <typename T, typename Out>
void precision_gradient(const Vec<T>& r, const Mat<T>& sigma, Out&& g) {
  g.noalias() = (sigma - r * r.transpose()) / T(2);
}

// ∇σᵢ = (εᵢ² − 1)/σᵢ.
template <typename T, typename Out>
void scale_diag_gradient(const Vec<T>& eps, const Vec<T>& inv_sigma, Out&& g) {
  g.col(0) = (eps.array().square() - T(1)) * inv_sigma.array();
}

// The parameterization's gradient from G = ∇Σ (symmetric convention) by the
// chain rules of DESIGN §1: ∇L = 2 tril(G L), ∇Λ = −Σ G Σ, ∇σᵢ = 2 Gᵢᵢ σᵢ.
// `param` is the parameter block (L, Σ, Λ or σ); `sigma` is Σ (read for Λ
// only); for scale_diag `g` may hold only the diagonal of G, as a column.
template <typename T, typename Out>
void chain_rule_from_covariance(Parameterization p, const Mat<T>& g, const Mat<T>& param, const Mat<T>& sigma,
                                Out&& out) {
  switch (p) {
    case Parameterization::covariance_matrix: out = g; return;
    case Parameterization::scale_tril:
      out.noalias() = T(2) * g * param;
      out.template triangularView<Eigen::StrictlyUpper>().setZero();
      return;
    case Parameterization::precision_matrix: out.noalias() = -(sigma * g * sigma); return;
    case Parameterization::scale_diag: {
      const Index d = param.rows();
      for (Index i = 0; i < d; ++i) out(i, 0) = T(2) * (g.cols() == 1 ? g(i, 0) : g(i, i)) * param(i, 0);
      return;
    }
  }
}

}  // namespace scorebench

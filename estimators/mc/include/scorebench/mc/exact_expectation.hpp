#pragma once
// Closed forms of E_{x∼N(μ,Σ)}[f(x)] and its gradients for the costs of
// cost.hpp, on any scalar type.

#include <stdexcept>
#include <string>

#include "scorebench/cholesky.hpp"
#include "scorebench/mc/cost.hpp"
#include "scorebench/parameterization.hpp"
#include "scorebench/score_formulas.hpp"

namespace scorebench::mc {

template <typename T>
Expectation<T> exact_expectation(const Cost& cost, const Vec<T>& mu, const Mat<T>& sigma) {
  using std::cos;
  using std::exp;
  using std::sin;
  using std::sqrt;
  const Index d = mu.size();
  const Vec<T> ones = Vec<T>::Ones(d);
  Expectation<T> e{T(0), Vec<T>::Zero(d), Mat<T>::Zero(d, d)};
  switch (cost.kind) {
    case CostKind::square: {
      // E = ‖μ − k1‖² + tr Σ,  ∇μ = 2(μ − k1),  G = I
      const Vec<T> r = (mu.array() - T(cost.k)).matrix();
      e.value = r.squaredNorm() + sigma.trace();
      e.grad_loc = T(2) * r;
      e.grad_covariance = Mat<T>::Identity(d, d);
      return e;
    }
    case CostKind::exp_neg_square: {
      // M = I + 2kΣ, v = M⁻¹μ:  E = det(M)^(−½) exp(−k μᵀv),
      // ∇μ = −2k E v,  G = E (2k² v vᵀ − k M⁻¹)
      const T k(cost.k);
      Mat<T> c = Mat<T>::Identity(d, d) + T(2) * k * sigma;
      const CholeskyStatus status = cholesky_in_place(c);
      if (!status.ok())
        throw std::domain_error(
            "exp_neg_square:k: E[exp(−k‖x‖²)] is infinite because I + 2kΣ is not "
            "positive definite (pivot " +
            std::to_string(status.failed_pivot) + "); need k > −1/(2 λ_max(Σ))");
      // M⁻¹ = C⁻ᵀ C⁻¹
      const Mat<T> c_inv = c.template triangularView<Eigen::Lower>().solve(Mat<T>::Identity(d, d));
      const Mat<T> m_inv = c_inv.transpose() * c_inv;
      const Vec<T> v = m_inv * mu;
      T det_sqrt(1);  // det(M)^(½) = Π Cᵢᵢ
      for (Index i = 0; i < d; ++i) det_sqrt *= c(i, i);
      e.value = exp(-k * mu.dot(v)) / det_sqrt;
      e.grad_loc = T(-2) * k * e.value * v;
      e.grad_covariance = e.value * (T(2) * k * k * v * v.transpose() - k * m_inv);
      return e;
    }
    case CostKind::cos: {
      // s = k 1ᵀx ∼ N(m, q), m = k 1ᵀμ, q = k² 1ᵀΣ1:  E = cos(m) e^(−q/2),
      // ∇μ = −k sin(m) e^(−q/2) 1,  G = −½ k² E 1 1ᵀ
      const T k(cost.k);
      const T m = k * mu.sum();
      const T damp = exp(-k * k * sigma.sum() / T(2));
      e.value = cos(m) * damp;
      e.grad_loc = -k * sin(m) * damp * ones;
      e.grad_covariance = Mat<T>::Constant(d, d, -k * k * e.value / T(2));
      return e;
    }
    case CostKind::quadratic: {
      // E = μᵀAμ + tr(AΣ) + bᵀμ,  ∇μ = (A + Aᵀ)μ + b,  G = ½(A + Aᵀ)
      const Mat<T> a = cost.a.template cast<T>();
      const Mat<T> sym = (a + a.transpose()) / T(2);
      e.value = mu.dot(a * mu) + (a * sigma).trace();
      e.grad_loc = T(2) * sym * mu;
      if (cost.b.size()) {
        e.value += cost.b.template cast<T>().dot(mu);
        e.grad_loc += cost.b.template cast<T>();
      }
      e.grad_covariance = sym;
      return e;
    }
    case CostKind::exp_linear: {
      // E = exp(cᵀμ + ½ cᵀΣc),  ∇μ = E c,  G = ½ E c cᵀ
      const Vec<T> c = cost.c.template cast<T>();
      e.value = exp(c.dot(mu) + c.dot(sigma * c) / T(2));
      e.grad_loc = e.value * c;
      e.grad_covariance = e.value * c * c.transpose() / T(2);
      return e;
    }
  }
  return e;
}

// Σ from the scale parameter: L Lᵀ (scale_tril) or diag(σ²) (scale_diag).
template <typename T>
Mat<T> covariance_from_scale(Parameterization p, const Mat<T>& scale) {
  if (p == Parameterization::scale_diag) return scale.col(0).array().square().matrix().asDiagonal();
  const Mat<T> l = scale.template triangularView<Eigen::Lower>();
  return l * l.transpose();
}

// The gradient for the scale parameter from G = ∇Σ: ∇L = 2 tril(G L) or
// ∇σᵢ = 2 Gᵢᵢ σᵢ (DESIGN §1).
template <typename T>
Mat<T> scale_gradient(Parameterization p, const Mat<T>& g, const Mat<T>& scale) {
  if (p != Parameterization::scale_tril && p != Parameterization::scale_diag)
    throw std::invalid_argument("the Monte Carlo estimators take scale_tril or scale_diag, not " +
                                std::string(name(p)));
  Mat<T> out(scale.rows(), scale.cols());
  chain_rule_from_covariance(p, g, scale, Mat<T>(), out);
  return out;
}

}  // namespace scorebench::mc

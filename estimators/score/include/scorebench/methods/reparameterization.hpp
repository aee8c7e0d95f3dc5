#pragma once
// `reparameterization`: the score from the noise ε that produced the action,
// a = μ + L ε (L the lower Cholesky factor of Σ). The first solve ε = L⁻¹r
// of the other methods is not needed:
//
//   w = L⁻ᵀ ε,  log p = −½‖ε‖² − Σ log Lᵢᵢ − (d/2) log 2π
//   ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ),  ∇Σ = ½(w wᵀ − Σ⁻¹)
//   ∇Λ = ½(Σ − r rᵀ) with r = L ε,  ∇σ = (ε² − 1)/σ
//
// For Λ = K Kᵀ, Σ = K⁻ᵀK⁻¹ and L = chol(Σ), so that ε means the same as for
// the other parameterizations.

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/score_formulas.hpp"

namespace scorebench {

template <typename T>
struct ReparameterizationKernel {
  using Scalar = T;
  static constexpr bool requires_noise = true;
  static constexpr KernelPaths paths{};  // factor() and sample() only

  struct Factor {
    Mat<T> l;         // lower Cholesky factor of Σ
    Mat<T> aux;       // Σ⁻¹ (covariance), Σ (precision)
    Vec<T> inv_diag;  // 1/Lᵢᵢ (scale_tril), 1/σ (scale_diag)
    T half_log_det{};
  };

  struct Workspace {
    explicit Workspace(Index d) : r(d), w(d) {}
    Vec<T> r, w;
  };

  static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
    switch (p) {
      case Parameterization::scale_tril:
        f.l = a;
        f.inv_diag = f.l.diagonal().cwiseInverse();
        f.half_log_det = f.l.diagonal().array().log().sum();
        return std::nullopt;
      case Parameterization::covariance_matrix:
        if (auto e = lower_cholesky<T>("covariance_matrix", a, f.l)) return e;
        f.half_log_det = f.l.diagonal().array().log().sum();
        f.aux = inverse_from_cholesky(f.l);
        return std::nullopt;
      case Parameterization::precision_matrix: {
        Mat<T> k;
        if (auto e = lower_cholesky<T>("precision_matrix", a, k)) return e;
        f.half_log_det = -k.diagonal().array().log().sum();
        f.aux = inverse_from_cholesky(k);
        return lower_cholesky<T>("the covariance Λ⁻¹", f.aux, f.l);
      }
      case Parameterization::scale_diag:
        f.inv_diag = a.col(0).cwiseInverse();
        f.half_log_det = a.col(0).array().log().sum();
        return std::nullopt;
    }
    return "unknown parameterization";
  }

  static void sample(Parameterization p, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace& ws) {
    const Vec<T> eps = in.noise;
    switch (p) {
      case Parameterization::scale_tril:
      case Parameterization::covariance_matrix:
      case Parameterization::precision_matrix:
        ws.w = f.l.template triangularView<Eigen::Lower>().transpose().solve(eps);
        if (p == Parameterization::scale_tril) scale_tril_gradient(ws.w, eps, f.inv_diag, out.grad_param);
        if (p == Parameterization::covariance_matrix) covariance_gradient(ws.w, f.aux, out.grad_param);
        if (p == Parameterization::precision_matrix) {
          ws.r.noalias() = f.l.template triangularView<Eigen::Lower>() * eps;
          precision_gradient(ws.r, f.aux, out.grad_param);
        }
        break;
      case Parameterization::scale_diag:
        ws.w = eps.cwiseProduct(f.inv_diag);
        scale_diag_gradient(eps, f.inv_diag, out.grad_param);
        break;
    }
    out.log_prob = log_prob_from_noise(eps.squaredNorm(), f.half_log_det, eps.size());
    out.grad_loc = ws.w;
    out.grad_action = -ws.w;
  }
};

}  // namespace scorebench

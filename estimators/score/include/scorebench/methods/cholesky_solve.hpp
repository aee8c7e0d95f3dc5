#pragma once
// `cholesky_solve`: form Σ, factor Σ = C Cᵀ, and use triangular solves;
// Σ⁻¹ comes only from the factor (C⁻ᵀC⁻¹) and only as far as the output
// needs it (its diagonal for scale_diag). Then the chain rule:
//
//   ε = C⁻¹r, w = C⁻ᵀε, log p = −½‖ε‖² − Σ log Cᵢᵢ − (d/2) log 2π
//   G = ½(w wᵀ − Σ⁻¹),  ∇L = 2 tril(G L),  ∇Λ = −Σ G Σ,  ∇σᵢ = 2 Gᵢᵢ σᵢ
//
// Σ is formed as L Lᵀ, Σ itself, K⁻ᵀK⁻¹ from Λ = K Kᵀ, or diag(σ²).

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/score_formulas.hpp"

namespace scorebench {

template <typename T>
struct CholeskySolveKernel {
  using Scalar = T;
  static constexpr bool requires_noise = false;
  static constexpr KernelPaths paths{};  // factor() and sample() only

  struct Factor {
    Mat<T> param, sigma, c, sigma_inv;  // sigma_inv: d×1 diagonal for scale_diag
    T half_log_det{};
  };

  struct Workspace {
    explicit Workspace(Index d) : r(d), eps(d), w(d), g(d, d) {}
    Vec<T> r, eps, w;
    Mat<T> g;
  };

  static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
    using std::log;
    f.param = a;
    switch (p) {
      case Parameterization::scale_tril: f.sigma.noalias() = f.param * f.param.transpose(); break;
      case Parameterization::covariance_matrix: f.sigma = f.param; break;
      case Parameterization::precision_matrix: {
        Mat<T> k;
        if (auto e = lower_cholesky<T>("precision_matrix", a, k)) return e;
        f.sigma = inverse_from_cholesky(k);
        break;
      }
      case Parameterization::scale_diag:
        f.sigma = f.param.col(0).array().square().matrix().asDiagonal();
        break;
    }
    const char* what =
        p == Parameterization::covariance_matrix ? "covariance_matrix" : "the formed covariance Σ";
    if (auto e = lower_cholesky<T>(what, f.sigma, f.c)) return e;
    f.half_log_det = f.c.diagonal().array().log().sum();
    if (p == Parameterization::scale_diag)
      f.sigma_inv = lower_inverse(f.c).colwise().squaredNorm().transpose();  // (Σ⁻¹)ᵢᵢ = ‖C⁻¹eᵢ‖²
    else
      f.sigma_inv = inverse_from_cholesky(f.c);
    return std::nullopt;
  }

  static void sample(Parameterization p, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace& ws) {
    ws.r = in.action - in.loc;
    ws.eps = f.c.template triangularView<Eigen::Lower>().solve(ws.r);
    ws.w = f.c.template triangularView<Eigen::Lower>().transpose().solve(ws.eps);
    out.log_prob = log_prob_from_noise(ws.eps.squaredNorm(), f.half_log_det, ws.r.size());
    out.grad_loc = ws.w;
    out.grad_action = -ws.w;
    if (p == Parameterization::scale_diag) {
      const Mat<T> g_diag = (ws.w.array().square() - f.sigma_inv.col(0).array()) / T(2);
      chain_rule_from_covariance(p, g_diag, f.param, f.sigma, out.grad_param);
      return;
    }
    covariance_gradient(ws.w, f.sigma_inv, ws.g);
    chain_rule_from_covariance(p, ws.g, f.param, f.sigma, out.grad_param);
  }
};

}  // namespace scorebench

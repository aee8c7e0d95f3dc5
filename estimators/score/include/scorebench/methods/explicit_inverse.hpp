#pragma once
// `explicit_inverse`: the textbook route. Form Σ from the parameter, invert it
// with a general LU inverse, take log det Σ from the LU factors, and chain
// ∇Σ to the parameterization:
//
//   w = Σ⁻¹ r,  log p = −½ rᵀw − ½ log|det Σ| − (d/2) log 2π
//   G = ½(w wᵀ − Σ⁻¹),  ∇L = 2 tril(G L),  ∇Λ = −Σ G Σ,  ∇σᵢ = 2 Gᵢᵢ σᵢ
//
// For Λ, "form Σ" is itself an LU inverse, so Σ⁻¹ is Λ inverted twice. The
// LU does not detect an indefinite matrix, so a covariance or precision input
// is first checked by a Cholesky attempt (part of the boundary checks).

#include <Eigen/LU>

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/score_formulas.hpp"

namespace scorebench {

template <typename T>
struct ExplicitInverseKernel {
  using Scalar = T;
  static constexpr bool requires_noise = false;
  static constexpr KernelPaths paths{};  // factor() and sample() only

  struct Factor {
    Mat<T> param, sigma, sigma_inv;
    T half_log_det{};
  };

  struct Workspace {
    explicit Workspace(Index d) : r(d), w(d), g(d, d) {}
    Vec<T> r, w;
    Mat<T> g;
  };

  static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
    using std::abs;
    using std::log;
    f.param = a;
    if (is_symmetric(p)) {
      Mat<T> unused;
      if (auto e = lower_cholesky<T>(name(p), a, unused)) return e;
    }
    switch (p) {
      case Parameterization::scale_tril: f.sigma.noalias() = f.param * f.param.transpose(); break;
      case Parameterization::covariance_matrix: f.sigma = f.param; break;
      case Parameterization::precision_matrix:
        f.sigma = Eigen::PartialPivLU<Mat<T>>(f.param).inverse();
        break;
      case Parameterization::scale_diag:
        f.sigma = f.param.col(0).array().square().matrix().asDiagonal();
        break;
    }
    const Eigen::PartialPivLU<Mat<T>> lu(f.sigma);
    f.sigma_inv = lu.inverse();
    // log|det Σ| = Σᵢ log|Uᵢᵢ|
    T log_det(0);
    for (Index i = 0; i < f.sigma.rows(); ++i) log_det += log(abs(lu.matrixLU()(i, i)));
    f.half_log_det = log_det / T(2);
    return std::nullopt;
  }

  static void sample(Parameterization p, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace& ws) {
    ws.r = in.action - in.loc;
    ws.w.noalias() = f.sigma_inv * ws.r;
    out.log_prob = log_prob_from_noise(ws.r.dot(ws.w), f.half_log_det, ws.r.size());
    out.grad_loc = ws.w;
    out.grad_action = -ws.w;
    if (p == Parameterization::scale_diag) {
      ws.g.col(0) = (ws.w.array().square() - f.sigma_inv.diagonal().array()) / T(2);
      chain_rule_from_covariance(p, Mat<T>(ws.g.col(0)), f.param, f.sigma, out.grad_param);
      return;
    }
    covariance_gradient(ws.w, f.sigma_inv, ws.g);
    chain_rule_from_covariance(p, ws.g, f.param, f.sigma, out.grad_param);
  }
};

}  // namespace scorebench

#pragma once
// `analytic`, the plain statement: DESIGN §1's closed forms one sample at a
// time with Eigen's dynamic-size solves, in the parameterization's own factor.
//
//   scale_tril         ε = L⁻¹r, w = L⁻ᵀε, ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ)
//   covariance_matrix  Σ = C Cᵀ, ε = C⁻¹r, w = C⁻ᵀε, ∇Σ = ½(w wᵀ − Σ⁻¹)
//   precision_matrix   Λ = K Kᵀ, ε = Kᵀr, w = Λ r, ∇Λ = ½(Σ − r rᵀ)
//   scale_diag         ε = r/σ, w = ε/σ, ∇σ = (ε² − 1)/σ
//   log p = −½‖ε‖² − ½ log det Σ − (d/2) log 2π,  ∇μ = w,  ∇a = −w
//
// The fast kernel (analytic.hpp) shares no computing code with this one, so
// that the benchmarks and tests that hold one against the other compare two
// independent derivations.

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/score_formulas.hpp"

namespace scorebench {

// The closed forms one sample at a time with Eigen's dynamic-size solves: the
// plain statement of the method, kept as the reference the fast kernels are
// benchmarked and tested against.
template <typename T>
struct AnalyticReferenceKernel {
  using Scalar = T;
  static constexpr bool requires_noise = false;
  static constexpr KernelPaths paths{};  // factor() and sample() only

  struct Factor {
    Mat<T> l;          // L, C (of Σ) or K (of Λ); unused for scale_diag
    Mat<T> aux;        // Σ⁻¹ (covariance), Σ (precision)
    Mat<T> lambda;     // Λ (precision)
    Vec<T> inv_diag;   // 1/Lᵢᵢ (scale_tril), 1/σ (scale_diag)
    Vec<T> sigma;      // σ (scale_diag)
    T half_log_det{};  // ½ log det Σ
  };

  struct Workspace {
    explicit Workspace(Index d) : r(d), eps(d), w(d) {}
    Vec<T> r, eps, w;
  };

  static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
    using std::log;
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
      case Parameterization::precision_matrix:
        if (auto e = lower_cholesky<T>("precision_matrix", a, f.l)) return e;
        f.lambda = a.template selfadjointView<Eigen::Lower>();
        f.half_log_det = -f.l.diagonal().array().log().sum();
        f.aux = inverse_from_cholesky(f.l);
        return std::nullopt;
      case Parameterization::scale_diag:
        f.sigma = a.col(0);
        f.inv_diag = f.sigma.cwiseInverse();
        f.half_log_det = f.sigma.array().log().sum();
        return std::nullopt;
    }
    return "unknown parameterization";
  }

  static void sample(Parameterization p, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace& ws) {
    const Index d = in.loc.size();
    ws.r = in.action - in.loc;
    switch (p) {
      case Parameterization::scale_tril:
      case Parameterization::covariance_matrix:
        ws.eps = f.l.template triangularView<Eigen::Lower>().solve(ws.r);
        ws.w = f.l.template triangularView<Eigen::Lower>().transpose().solve(ws.eps);
        if (p == Parameterization::scale_tril)
          scale_tril_gradient(ws.w, ws.eps, f.inv_diag, out.grad_param);
        else
          covariance_gradient(ws.w, f.aux, out.grad_param);
        break;
      case Parameterization::precision_matrix:
        ws.eps.noalias() = f.l.template triangularView<Eigen::Lower>().transpose() * ws.r;
        ws.w.noalias() = f.lambda * ws.r;
        precision_gradient(ws.r, f.aux, out.grad_param);
        break;
      case Parameterization::scale_diag:
        ws.eps = ws.r.cwiseProduct(f.inv_diag);
        ws.w = ws.eps.cwiseProduct(f.inv_diag);
        scale_diag_gradient(ws.eps, f.inv_diag, out.grad_param);
        break;
    }
    out.log_prob = log_prob_from_noise(ws.eps.squaredNorm(), f.half_log_det, d);
    out.grad_loc = ws.w;
    out.grad_action = -ws.w;
  }
};

}  // namespace scorebench

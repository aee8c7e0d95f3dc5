#pragma once
// `analytic`: closed forms in the parameterization's own factor with the
// cheapest algebra, and whole-batch matrix shapes for a shared parameter.
//
//   scale_tril         ε = L⁻¹r, w = L⁻ᵀε               (two triangular solves)
//                      ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ)    (rank-1 lower update)
//   covariance_matrix  Σ = C Cᵀ once per parameter, ε = C⁻¹r, w = C⁻ᵀε
//                      ∇Σ = ½(w wᵀ − Σ⁻¹), Σ⁻¹ = C⁻ᵀC⁻¹ from the factor
//   precision_matrix   Λ = K Kᵀ, rᵀΛr = ‖Kᵀr‖², log det Σ = −2 Σ log Kᵢᵢ
//                      w = Λ r (no solve), ∇Λ = ½(Σ − r rᵀ), Σ = K⁻ᵀK⁻¹
//   scale_diag         ε = r/σ, w = ε/σ, ∇σ = (ε² − 1)/σ
//
// A shared parameter turns the batch into matrix shapes: E = L⁻¹R is one
// triangular solve with B right-hand sides, and the weighted sum of
// ∇L is tril(W diag(c) Eᵀ) − (Σc) diag(1/L), one matrix product.

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/score_formulas.hpp"

namespace scorebench {

template <typename T>
struct AnalyticKernel {
  using Scalar = T;
  static constexpr bool requires_noise = false;

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

  static void shared_batch(Parameterization p, const Factor& f, const Batch<T>& batch,
                           const Request<T>& request, Result<T>& res) {
    const Index d = batch.dim(), n = batch.size();
    Mat<T> r = batch.action;
    if (batch.loc.cols() == 1)
      r.colwise() -= batch.loc.col(0);
    else
      r -= batch.loc;
    Mat<T> eps, w;
    switch (p) {
      case Parameterization::scale_tril:
      case Parameterization::covariance_matrix:
        eps = f.l.template triangularView<Eigen::Lower>().solve(r);
        w = f.l.template triangularView<Eigen::Lower>().transpose().solve(eps);
        break;
      case Parameterization::precision_matrix:
        eps.noalias() = f.l.template triangularView<Eigen::Lower>().transpose() * r;
        w.noalias() = f.lambda * r;
        break;
      case Parameterization::scale_diag:
        eps = f.inv_diag.asDiagonal() * r;
        w = f.inv_diag.asDiagonal() * eps;
        break;
    }
    const Vec<T> sq = eps.colwise().squaredNorm().transpose();
    const T lp0 = log_prob_from_noise(T(0), f.half_log_det, d);
    if (request.output == Output::grads) {
      res.log_prob = (lp0 - sq.array() / T(2)).matrix();
      res.grad_loc = w;
      res.grad_action = -w;
      for (Index b = 0; b < n; ++b) {
        auto g = res.grad_param_of(b);
        const Vec<T> wb = w.col(b), eb = eps.col(b);
        switch (p) {
          case Parameterization::scale_tril: scale_tril_gradient(wb, eb, f.inv_diag, g); break;
          case Parameterization::covariance_matrix: covariance_gradient(wb, f.aux, g); break;
          case Parameterization::precision_matrix: precision_gradient(Vec<T>(r.col(b)), f.aux, g); break;
          case Parameterization::scale_diag: scale_diag_gradient(eb, f.inv_diag, g); break;
        }
      }
      return;
    }
    // Weighted sums: Σ c_b log p_b, W c, and the parameter gradient as one
    // product with B inner dimension.
    const Vec<T> c = request.weights.size() ? request.weights : Vec<T>::Ones(n);
    const T c_sum = c.sum();
    res.log_prob(0) = c_sum * lp0 - c.dot(sq) / T(2);
    res.grad_loc.col(0).noalias() = w * c;
    res.grad_action.col(0) = -res.grad_loc.col(0);
    auto g = res.grad_param_of(0);
    switch (p) {
      case Parameterization::scale_tril:
        // tril(W diag(c) Eᵀ) − (Σc) diag(1/L)
        g.noalias() = (w * c.asDiagonal()) * eps.transpose();
        g.template triangularView<Eigen::StrictlyUpper>().setZero();
        g.diagonal() -= c_sum * f.inv_diag;
        break;
      case Parameterization::covariance_matrix:
        // ½(W diag(c) Wᵀ − (Σc) Σ⁻¹)
        g.noalias() = ((w * c.asDiagonal()) * w.transpose() - c_sum * f.aux) / T(2);
        break;
      case Parameterization::precision_matrix:
        // ½((Σc) Σ − R diag(c) Rᵀ)
        g.noalias() = (c_sum * f.aux - (r * c.asDiagonal()) * r.transpose()) / T(2);
        break;
      case Parameterization::scale_diag:
        // Σ_b c_b (ε_b² − 1)/σ = (ε² c − Σc)/σ
        g.col(0) = ((eps.array().square().matrix() * c).array() - c_sum) * f.inv_diag.array();
        break;
    }
  }
};

}  // namespace scorebench

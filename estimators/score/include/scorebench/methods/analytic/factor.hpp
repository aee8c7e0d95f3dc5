#pragma once
// The fast `analytic` kernel's per-parameter work, and its one-sample
// fallback for the cases no batch path takes (scale_diag; a shared Σ or Λ in
// a batch with a failing sample). Written apart from the reference
// (analytic_reference.hpp): the inverse comes from the potri-style kernels
// (kernels/spd_inverse.hpp), Σ log Lᵢᵢ from one logarithm (kernels/log_prob.hpp).
//
//   scale_tril         1/Lᵢᵢ,  ½ log det Σ = Σ log Lᵢᵢ
//   covariance_matrix  C = chol(Σ),  Σ⁻¹ = C⁻ᵀC⁻¹,  ½ log det Σ = Σ log Cᵢᵢ
//   precision_matrix   K = chol(Λ),  Σ = K⁻ᵀK⁻¹,  ½ log det Σ = −Σ log Kᵢᵢ
//   scale_diag         1/σᵢ,  ½ log det Σ = Σ log σᵢ

#include <Eigen/Cholesky>
#include <optional>
#include <stdexcept>
#include <string>

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/kernels/log_prob.hpp"
#include "scorebench/kernels/spd_inverse.hpp"

namespace scorebench::analytic {

template <typename T>
struct Factor {
  Mat<T> l;          // L, C (of Σ) or K (of Λ), strict upper triangle zero
  Mat<T> aux;        // Σ⁻¹ (covariance), Σ (precision), both triangles
  Mat<T> lambda;     // Λ (precision), both triangles
  Vec<T> inv_diag;   // 1/Lᵢᵢ (scale_tril), 1/σᵢ (scale_diag)
  T half_log_det{};  // ½ log det Σ
};

template <typename T>
struct Workspace {
  explicit Workspace(Index d) : r(d), eps(d), w(d) {}
  Vec<T> r, eps, w;
};

// C with A = C Cᵀ into c, and (A's inverse) C⁻ᵀC⁻¹ into inv, both triangles.
template <typename T>
std::optional<std::string> cholesky_and_inverse(Parameterization p, const ConstMatRef<T>& a, Mat<T>& c,
                                                Mat<T>& inv) {
  c = a.template triangularView<Eigen::Lower>();
  Eigen::LLT<Eigen::Ref<Mat<T>>, Eigen::Lower> llt(c);
  if (llt.info() != Eigen::Success) {
    Mat<T> unused;  // the message names the failing pivot
    const auto e = lower_cholesky<T>(name(p), a, unused);
    return e ? *e : std::string(name(p)) + " is not positive definite";
  }
  inv = c;
  kernels::invert_lower_in_place<T>(inv);  // C⁻¹
  kernels::lower_gram_in_place<T>(inv);    // lower triangle of C⁻ᵀC⁻¹
  inv.template triangularView<Eigen::StrictlyUpper>() = inv.transpose();
  return std::nullopt;
}

template <typename T>
std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor<T>& f) {
  const Index d = a.rows();
  switch (p) {
    case Parameterization::scale_tril:
      f.l = a;
      f.inv_diag = a.diagonal().cwiseInverse();
      f.half_log_det = kernels::sum_log(a.data(), d, a.outerStride() + 1);
      return std::nullopt;
    case Parameterization::covariance_matrix:
    case Parameterization::precision_matrix: {
      if (auto e = cholesky_and_inverse<T>(p, a, f.l, f.aux)) return e;
      const T log_diag = kernels::sum_log(f.l.data(), d, d + 1);
      f.half_log_det = p == Parameterization::covariance_matrix ? log_diag : -log_diag;
      if (p == Parameterization::precision_matrix) f.lambda = a.template selfadjointView<Eigen::Lower>();
      return std::nullopt;
    }
    case Parameterization::scale_diag:
      f.inv_diag = a.col(0).cwiseInverse();
      f.half_log_det = kernels::sum_log(a.data(), d, 1);
      return std::nullopt;
  }
  return "unknown parameterization";
}

// One sample with its parameter's factor f; r = a − μ.
template <typename T>
void sample(Parameterization p, const Factor<T>& f, const SampleInput<T>& in, SampleOutput<T>& out,
            Workspace<T>& ws) {
  const Index d = in.loc.size();
  ws.r = in.action - in.loc;
  const auto l = f.l.template triangularView<Eigen::Lower>();
  auto g = out.grad_param;
  switch (p) {
    case Parameterization::scale_tril:  // every scale_tril batch goes to scale_tril_samples.hpp
      throw std::logic_error("analytic::sample: scale_tril is computed by scale_tril_samples.hpp");
    case Parameterization::covariance_matrix:
      ws.eps = ws.r;
      l.solveInPlace(ws.eps);  // ε = L⁻¹ r
      ws.w = ws.eps;
      l.transpose().solveInPlace(ws.w);                                                 // w = L⁻ᵀ ε
      for (Index j = 0; j < d; ++j) g.col(j) = (ws.w * ws.w(j) - f.aux.col(j)) / T(2);  // ½(w wᵀ − Σ⁻¹)
      break;
    case Parameterization::precision_matrix:
      ws.eps.noalias() = l.transpose() * ws.r;                                          // ε = Kᵀ r
      ws.w.noalias() = f.lambda * ws.r;                                                 // w = Λ r
      for (Index j = 0; j < d; ++j) g.col(j) = (f.aux.col(j) - ws.r * ws.r(j)) / T(2);  // ½(Σ − r rᵀ)
      break;
    case Parameterization::scale_diag:  // ε = r/σ, w = ε/σ, ∇σ = (ε² − 1)/σ
      ws.eps = ws.r.cwiseProduct(f.inv_diag);
      ws.w = ws.eps.cwiseProduct(f.inv_diag);
      g.col(0) = (ws.eps.array().square() - T(1)) * f.inv_diag.array();
      break;
  }
  out.log_prob = kernels::gaussian_log_prob(ws.eps.squaredNorm(), f.half_log_det, d);
  out.grad_loc = ws.w;
  out.grad_action = -ws.w;
}

}  // namespace scorebench::analytic

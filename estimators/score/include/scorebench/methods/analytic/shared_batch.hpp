#pragma once
// A shared parameter turns the batch into matrix shapes, in column chunks
// (threaded; the chunks are fixed by B alone, so the result is bit-identical
// for any thread count):
//
//   E = L⁻¹R (one triangular solve with the chunk's right-hand sides),
//   W = L⁻ᵀE;  per-sample outputs column by column;
//   Σ_b c_b ∇L_b = tril(L⁻ᵀ E diag(c) Eᵀ) − (Σc) diag(1/L): E by the lane
//   substitution (kernels/lane_forward_substitution.hpp), only the lower
//   triangle of the product formed, and a single d×d solve for the whole
//   batch instead of one over all B columns.
//
// Faster than one sample at a time because the solves and the rank-B update
// run as blocked matrix kernels (Eigen's, and the substitution's strips).

#include <algorithm>
#include <vector>

#include "scorebench/kernel_driver.hpp"
#include "scorebench/kernels/lane_forward_substitution.hpp"
#include "scorebench/kernels/log_prob.hpp"
#include "scorebench/kernels/path_coverage.hpp"
#include "scorebench/kernels/thread_pool.hpp"
#include "scorebench/methods/analytic/factor.hpp"

namespace scorebench::analytic {

// The weighted sum of the scale_tril score from the batch totals of E c and
// S = Σ_b c_b ε_b ε_bᵀ (lower triangle), since w_b = L⁻ᵀ ε_b:
//   Σ_b c_b w_b = L⁻ᵀ (E c),   Σ_b c_b tril(w_b ε_bᵀ) = tril(L⁻ᵀ S),
// then ∇L = tril(L⁻ᵀ S) − (Σc) diag(1/L), ∇a = −∇μ. One d×d solve replaces
// the solve W = L⁻ᵀ E over all B columns.
template <typename T>
void finish_scale_tril_sum(const Factor<T>& f, T c_sum, Result<T>& res) {
  coverage::hit(coverage::Path::shared_scale_tril_sum);
  const auto lt = f.l.template triangularView<Eigen::Lower>().transpose();
  lt.solveInPlace(res.grad_loc);
  res.grad_action = -res.grad_loc;
  auto g = res.grad_param_of(0);
  g.template triangularView<Eigen::StrictlyUpper>() = g.transpose();  // S is symmetric
  lt.solveInPlace(g);
  g.template triangularView<Eigen::StrictlyUpper>().setZero();
  g.diagonal() -= c_sum * f.inv_diag;
}

// The chunk's weighted sums for a shared L with Eᵀ = (L⁻¹R)ᵀ formed
// sample-contiguous, m × d, by the lane substitution, so that neither the
// solve W = L⁻ᵀE nor a transpose of E is needed:
//   Σ c_b log p_b = (Σc) lp₀ − ½ Σ_b c_b ‖ε_b‖²,  E c = (Eᵀ)ᵀ c,
//   tril(S) = tril((Eᵀ)ᵀ diag(c) Eᵀ)   (finish_scale_tril_sum applies L⁻ᵀ).
template <typename T>
void scale_tril_sum_chunk(const Factor<T>& f, const Batch<T>& batch, const Vec<T>& c, Index b0, Index m,
                          Result<T>& res) {
  const Index d = batch.dim(), ld = kernels::substitution_leading_dimension<T>(m);
  Mat<T> buf(ld, d);
  Eigen::Map<Mat<T>, 0, Eigen::OuterStride<>> et(buf.data(), m, d, Eigen::OuterStride<>(ld));
  kernels::centred_strip(batch.action.data(), batch.loc.data(), batch.loc.cols(), d, b0, m, buf.data(), ld);
  kernels::lane_forward_substitution(f.l, f.inv_diag, buf.data(), m, ld);
  const T lp0 = kernels::gaussian_log_prob(T(0), f.half_log_det, d);
  res.log_prob(0) = c.sum() * lp0 - c.dot(et.rowwise().squaredNorm()) / T(2);
  res.grad_loc.col(0).noalias() = et.transpose() * c;
  const Mat<T> ce = c.asDiagonal() * et;
  res.grad_param_of(0).template triangularView<Eigen::Lower>() = et.transpose() * ce;
}

// The chunk's weights c (ones without weights).
template <typename T>
Vec<T> chunk_weights(const Request<T>& request, Index b0, Index m) {
  return request.weights.size() ? Vec<T>(request.weights.segment(b0, m)) : Vec<T>::Ones(m);
}

// Samples [b0, b0 + m) with the shared factor: per-sample outputs into
// `res`'s columns, or the chunk's weighted sums into `res` (zeroed).
template <typename T>
void shared_columns(Parameterization p, const Factor<T>& f, const Batch<T>& batch, const Request<T>& request,
                    Index b0, Index m, Result<T>& res) {
  const Index d = batch.dim();
  coverage::hit(request.output == Output::sum ? coverage::Path::shared_columns_sum
                                              : coverage::Path::shared_columns_grads);
  if (p == Parameterization::scale_tril && request.output == Output::sum)
    return scale_tril_sum_chunk(f, batch, chunk_weights(request, b0, m), b0, m, res);
  Mat<T> r = batch.action.middleCols(b0, m);
  if (batch.loc.cols() == 1)
    r.colwise() -= batch.loc.col(0);
  else
    r -= batch.loc.middleCols(b0, m);
  Mat<T> eps, w;
  switch (p) {
    case Parameterization::scale_tril:
    case Parameterization::covariance_matrix:
      eps = f.l.template triangularView<Eigen::Lower>().solve(r);              // E = L⁻¹ R
      w = f.l.template triangularView<Eigen::Lower>().transpose().solve(eps);  // W = L⁻ᵀ E
      break;
    case Parameterization::precision_matrix:
      eps.noalias() = f.l.template triangularView<Eigen::Lower>().transpose() * r;  // E = Kᵀ R
      w.noalias() = f.lambda * r;                                                   // W = Λ R
      break;
    case Parameterization::scale_diag:
      eps = f.inv_diag.asDiagonal() * r;
      w = f.inv_diag.asDiagonal() * eps;
      break;
  }
  const Vec<T> sq = eps.colwise().squaredNorm().transpose();
  const T lp0 = kernels::gaussian_log_prob(T(0), f.half_log_det, d);
  if (request.output == Output::grads) {
    res.log_prob.segment(b0, m) = (lp0 - sq.array() / T(2)).matrix();
    res.grad_loc.middleCols(b0, m) = w;
    res.grad_action.middleCols(b0, m) = -w;
    for (Index k = 0; k < m; ++k) {
      auto g = res.grad_param_of(b0 + k);
      switch (p) {
        case Parameterization::scale_tril:
          for (Index j = 0; j < d; ++j) {
            g.col(j).head(j).setZero();
            g.col(j).tail(d - j) = w.col(k).tail(d - j) * eps(j, k);  // tril(w εᵀ)
            g(j, j) -= f.inv_diag(j);                                 // − diag(1/L)
          }
          break;
        case Parameterization::covariance_matrix:  // ½(w wᵀ − Σ⁻¹)
          g.noalias() = (w.col(k) * w.col(k).transpose() - f.aux) / T(2);
          break;
        case Parameterization::precision_matrix:  // ½(Σ − r rᵀ)
          g.noalias() = (f.aux - r.col(k) * r.col(k).transpose()) / T(2);
          break;
        case Parameterization::scale_diag:  // (ε² − 1)/σ
          g.col(0) = (eps.col(k).array().square() - T(1)) * f.inv_diag.array();
          break;
      }
    }
    return;
  }
  // Weighted sums: Σ c_b log p_b, W c, and the parameter gradient as one
  // product with the chunk as inner dimension.
  const Vec<T> c = chunk_weights(request, b0, m);
  const T c_sum = c.sum();
  res.log_prob(0) = c_sum * lp0 - c.dot(sq) / T(2);
  auto g = res.grad_param_of(0);
  res.grad_loc.col(0).noalias() = w * c;
  res.grad_action.col(0) = -res.grad_loc.col(0);
  switch (p) {
    case Parameterization::scale_tril: break;  // scale_tril_sum_chunk
    case Parameterization::covariance_matrix: {
      // ½(W diag(c) Wᵀ − (Σc) Σ⁻¹)
      const Mat<T> wc = w * c.asDiagonal();
      g.template triangularView<Eigen::Lower>() = wc * w.transpose();
      g.template triangularView<Eigen::StrictlyUpper>() = g.transpose();
      g = (g - c_sum * f.aux) / T(2);
      break;
    }
    case Parameterization::precision_matrix: {
      // ½((Σc) Σ − R diag(c) Rᵀ)
      const Mat<T> rc = r * c.asDiagonal();
      g.template triangularView<Eigen::Lower>() = rc * r.transpose();
      g.template triangularView<Eigen::StrictlyUpper>() = g.transpose();
      g = (c_sum * f.aux - g) / T(2);
      break;
    }
    case Parameterization::scale_diag:
      // Σ_b c_b (ε_b² − 1)/σ = (ε² c − Σc)/σ
      g.col(0) = ((eps.array().square().matrix() * c).array() - c_sum) * f.inv_diag.array();
      break;
  }
}
// Columns per chunk of the shared-parameter path: a function of B only.
inline Index shared_chunk(Index n) { return std::max<Index>(512, (n + 7) / 8); }

template <typename T>
void shared_batch(Parameterization p, const Factor<T>& f, const Batch<T>& batch, const Request<T>& request,
                  Result<T>& res) {
  const Index n = batch.size(), d = batch.dim();
  const Index chunk = shared_chunk(n), chunks = (n + chunk - 1) / chunk;
  const bool sum = request.output == Output::sum;
  std::vector<Result<T>> partial(sum ? static_cast<size_t>(chunks) : 0);
  coverage::hit_if(chunks > 1 && detail::thread_count(request.threads) > 1, coverage::Path::driver_threads);
  parallel_for(chunks, detail::thread_count(request.threads), [&](Index k) {
    const Index b0 = k * chunk, m = std::min(n, b0 + chunk) - b0;
    if (sum) partial[static_cast<size_t>(k)] = make_result<T>(p, Output::sum, d, 1);
    shared_columns(p, f, batch, request, b0, m, sum ? partial[static_cast<size_t>(k)] : res);
  });
  if (sum) {
    for (const Result<T>& part : partial) detail::add_into(res, part);  // in chunk order
    if (p == Parameterization::scale_tril)
      finish_scale_tril_sum(f, request.weights.size() ? request.weights.sum() : T(n), res);
  }
}

}  // namespace scorebench::analytic

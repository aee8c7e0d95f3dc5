#pragma once
// Per-sample `covariance_matrix` and `precision_matrix`: one Cholesky per
// sample and the inverse from it with potri's d³/3 + d³/3, in place.
//
//   Σ = C Cᵀ:  ε = C⁻¹r, w = C⁻ᵀε, Σ⁻¹ = C⁻ᵀC⁻¹,  ∇Σ = ½(w wᵀ − Σ⁻¹)
//   Λ = K Kᵀ:  ε = Kᵀr,  w = Λ r,  Σ = K⁻ᵀK⁻¹,    ∇Λ = ½(Σ − r rᵀ)
//
// G samples per SIMD group, one per lane, for float and double
// (kernels/spd_lanes.hpp): G small factorizations with register-blocked
// inner products instead of G calls with branches and short loops; after
// the whole groups, a group of G/2 (then G/4, …) in a narrower packet. A group
// with an invalid or indefinite sample, and the tail, one sample at a time
// with the recursive potri kernels (kernels/spd_inverse.hpp).

#include <Eigen/Cholesky>
#include <algorithm>
#include <vector>

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel_driver.hpp"
#include "scorebench/kernels/log_prob.hpp"
#include "scorebench/kernels/path_coverage.hpp"
#include "scorebench/kernels/spd_inverse.hpp"
#include "scorebench/kernels/spd_lanes.hpp"
#include "scorebench/methods/analytic/output_layout.hpp"

// Packets as template arguments lose an attribute GCC warns about
// (kernels/simd.hpp); storage stays aligned through aligned_allocator.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"

namespace scorebench::analytic {

// One sample: C = chol(Σ) in the workspace c, ε = C⁻¹r, w = C⁻ᵀε, then
// Σ⁻¹ = C⁻ᵀC⁻¹ over C in place; ∇Σ = ½(w wᵀ − Σ⁻¹). For Λ = K Kᵀ:
// ε = Kᵀr, w = Λ r, Σ = K⁻ᵀK⁻¹ in place; ∇Λ = ½(Σ − r rᵀ). A sample that
// is not positive definite gets its error and valid = 0.
template <typename T>
void spd_sample(Parameterization p, const Batch<T>& batch, const Request<T>& request, Index b, char& valid,
                Result<T>& out, std::vector<SampleError>& errors, Mat<T>& c, Vec<T>& r, Vec<T>& eps,
                Vec<T>& w) {
  const Index d = batch.dim();
  const bool sum = request.output == Output::sum;
  const bool cov = p == Parameterization::covariance_matrix;
  const auto a = batch.param_of(b);
  c.template triangularView<Eigen::Lower>() = a;
  Eigen::LLT<Eigen::Ref<Mat<T>>, Eigen::Lower> llt(c);
  if (llt.info() != Eigen::Success) {
    Mat<T> unused;
    const auto e = lower_cholesky<T>(name(p), a, unused);
    errors.push_back(
        {b, detail::sample_prefix(b) + (e ? *e : std::string(name(p)) + " is not positive definite")});
    valid = 0;
    return;
  }
  r = batch.action_of(b) - batch.loc_of(b);
  const T log_diag = kernels::sum_log(c.data(), d, d + 1);
  if (cov) {
    eps = r;
    c.template triangularView<Eigen::Lower>().solveInPlace(eps);  // ε = C⁻¹ r
    w = eps;
    c.template triangularView<Eigen::Lower>().transpose().solveInPlace(w);  // w = C⁻ᵀ ε
  } else {
    eps.noalias() = c.template triangularView<Eigen::Lower>().transpose() * r;  // ε = Kᵀ r
    w.noalias() = a.template selfadjointView<Eigen::Lower>() * r;               // w = Λ r
  }
  const T lp = kernels::gaussian_log_prob(eps.squaredNorm(), cov ? log_diag : -log_diag, d);
  kernels::invert_lower_in_place<T>(c);  // C⁻¹
  kernels::lower_gram_in_place<T>(c);    // lower triangle of C⁻ᵀC⁻¹: Σ⁻¹ (cov) or Σ (precision)
  const Vec<T>& u = cov ? w : r;         // ½(w wᵀ − Σ⁻¹) or −½(r rᵀ − Σ)
  const T half = cov ? T(1) / T(2) : T(-1) / T(2);
  // The full symmetric matrix (mirrored within the L1-resident workspace),
  // so that the gradient is written column by column, contiguously; it is
  // exactly symmetric, as uᵢuⱼ = uⱼuᵢ.
  c.template triangularView<Eigen::StrictlyUpper>() = c.transpose();
  if (!sum) {
    out.log_prob(b) = lp;
    out.grad_loc.col(b) = w;
    out.grad_action.col(b) = -w;
    auto g = out.grad_param_of(b);
    for (Index j = 0; j < d; ++j) g.col(j) = half * (u * u(j) - c.col(j));
  } else {
    const T cb = request.weights.size() ? request.weights(b) : T(1);
    out.log_prob(0) += cb * lp;
    out.grad_loc.col(0) += cb * w;
    out.grad_action.col(0) -= cb * w;
    auto g = out.grad_param_of(0);
    const T ch = cb * half;
    for (Index j = 0; j < d; ++j) g.col(j) += ch * (u * u(j) - c.col(j));
  }
}

// The groups of G = simd::size<P> samples in [start, b1) with every sample
// valid (valid[b − b0]) by the lane kernel; a group with an invalid sample
// or a lane that is not positive definite by one_sample(b) for each of its
// samples. Returns the first sample after the last whole group.
template <typename P, typename T, typename OneSample>
Index spd_lane_groups(Parameterization p, const Batch<T>& batch, const Request<T>& request, Index b0,
                      Index start, Index b1, const char* valid, Result<T>& out, OneSample&& one_sample) {
  constexpr int G = simd::size<P>;
  const Index d = batch.dim(), dd = d * d;
  const Index mu_step = batch.loc.cols() == 1 ? 0 : d;
  const bool sum = request.output == Output::sum;
  const bool cov = p == Parameterization::covariance_matrix;
  const bool stream = streams_output(batch, sum);
  const P half = simd::set1<P>(cov ? T(0.5) : T(-0.5));  // ½(w wᵀ − Σ⁻¹) or −½(r rᵀ − Σ)
  auto& ws = kernels::thread_workspace<kernels::SpdLaneWorkspace<P>>();
  ws.reset(d, sum);
  Index b = start;
  bool lanes = false, doubtful = false;
  for (; b + G <= b1; b += G) {
    bool plain = std::all_of(valid + (b - b0), valid + (b - b0) + G, [](char v) { return v != 0; });
    if (plain) {
      kernels::to_lanes(batch.param.data() + b * dd, dd, dd, ws.l.data());
      kernels::load_residual_lanes<P>(d, batch.loc.data() + b * mu_step, mu_step, batch.action.data() + b * d,
                                      nullptr, ws);  // the noise: checked by the driver (valid)
      plain = kernels::cholesky_lanes<P>(d, ws);
    }
    if (!plain) {
      doubtful = true;
      for (Index s = 0; s < G; ++s) one_sample(b + s);
      continue;
    }
    lanes = true;
    kernels::spd_noise_lanes<P>(d, cov, ws);
    kernels::invert_lower_lanes<P>(d, ws);
    kernels::lower_gram_lanes<P>(d, ws);
    const P* u = cov ? ws.w.data() : ws.eps.data();
    if (sum) {
      const P c = request.weights.size() ? simd::loadu<P>(request.weights.data() + b) : simd::set1<P>(T(1));
      kernels::accumulate_spd_gradient_lanes<P>(d, u, simd::mul(c, half), ws);
      kernels::accumulate_lane_vectors<P>(d, c, ws);
    } else {
      kernels::store_spd_gradient_lanes<P>(d, u, half, ws, out.grad_param.data() + b * dd, dd, stream);
      store_lane_vectors(ws, b, out);
    }
  }
  if (stream) kernels::store_fence();
  if (sum) {  // the lanes' totals (horizontal sums); the gradient's lower triangle, mirrored
    kernels::add_lane_vector_totals<P>(d, ws, out.log_prob(0), out.grad_loc.data(), out.grad_action.data());
    for (Index j = 0; j < d; ++j)
      for (Index i = j; i < d; ++i) {
        const T g = simd::reduce_add(ws.grad_l[static_cast<size_t>(j * d + i)]);
        out.grad_param(i, j) += g;
        if (i != j) out.grad_param(j, i) += g;
      }
  }
  using coverage::Path;
  coverage::hit_if(lanes, cov ? Path::spd_lanes_covariance : Path::spd_lanes_precision);
  coverage::hit_if(lanes && sum, Path::spd_lanes_sum);
  coverage::hit_if(lanes && stream, Path::spd_lanes_stream);
  coverage::hit_if(doubtful, Path::spd_lanes_doubtful);
  coverage::hit_if(lanes && G < simd::lanes<T>, Path::spd_lanes_narrower);
  return b;
}

// The samples of [start, b1) in lane groups: whole groups of the packet P,
// then at most one group of each narrower packet down to the target's
// narrowest. Returns the first sample after the last group.
template <typename P, typename T, typename OneSample>
Index spd_lanes(Parameterization p, const Batch<T>& batch, const Request<T>& request, Index b0, Index start,
                Index b1, const char* valid, Result<T>& out, OneSample&& one_sample) {
  Index b = start;
  if (b1 - b >= simd::size<P>) b = spd_lane_groups<P>(p, batch, request, b0, b, b1, valid, out, one_sample);
  if constexpr (simd::has_half<P>)
    return spd_lanes<simd::Half<P>>(p, batch, request, b0, b, b1, valid, out, one_sample);
  return b;
}

// Σ (or Λ) per sample: G samples per SIMD group by kernels/spd_lanes.hpp
// for float/double, a group with an invalid or not positive definite
// sample (and the tail) one sample at a time by spd_sample.
template <typename T>
void spd_chunk(Parameterization p, const Batch<T>& batch, const Request<T>& request, Index b0, Index b1,
               char* valid, Result<T>& out, std::vector<SampleError>& errors) {
  const Index d = batch.dim();
  Mat<T> c(d, d);
  Vec<T> r(d), eps(d), w(d);
  bool scalar = false;
  const auto one_sample = [&](Index b) {
    scalar = true;
    if (valid[b - b0]) spd_sample(p, batch, request, b, valid[b - b0], out, errors, c, r, eps, w);
  };
  Index b = b0;
  if constexpr (kernels::has_lanes<T>)
    b = spd_lanes<kernels::Packet<T>>(p, batch, request, b0, b0, b1, valid, out, one_sample);
  for (; b < b1; ++b) one_sample(b);
  coverage::hit_if(scalar, coverage::Path::spd_scalar);
}

}  // namespace scorebench::analytic

#pragma GCC diagnostic pop

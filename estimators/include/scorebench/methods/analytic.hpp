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
// AnalyticKernel adds the fast paths of DESIGN §5 to these formulas:
// - per-sample scale_tril in float and double (d ≤ lanes_max_dim): G samples
//   per SIMD group, one sample per lane, checked in the same pass
//   (kernels/scale_tril_lanes.hpp);
// - per-sample scale_tril otherwise: fixed-size kernels dispatched on d, no
//   heap allocation per sample, Σ log Lᵢᵢ with one logarithm
//   (kernels/scale_tril.hpp), each sample checked just before it is computed
//   so that L is read from memory once;
// - per-sample covariance/precision: one Cholesky per sample and Σ⁻¹ (or Σ)
//   from it with potri's d³/3 + d³/3, in place: in float and double G
//   samples per SIMD group with register-blocked inner products
//   (kernels/spd_lanes.hpp), otherwise recursive on halves
//   (kernels/spd_inverse.hpp);
// - a shared parameter turns the batch into matrix shapes, in column chunks
//   (threaded, fixed by B alone): E = L⁻¹R is one triangular solve with the
//   chunk's right-hand sides; the weighted sum of ∇L is
//   tril(L⁻ᵀ E diag(c) Eᵀ) − (Σc) diag(1/L): one product of which only the
//   lower triangle is computed, and a single d×d solve for the whole batch.

#include "scorebench/factorizations.hpp"
#include "scorebench/kernel.hpp"
#include "scorebench/kernel_driver.hpp"
#include "scorebench/kernels/path_coverage.hpp"
#include "scorebench/kernels/scale_tril.hpp"
#include "scorebench/kernels/scale_tril_lanes.hpp"
#include "scorebench/kernels/spd_inverse.hpp"
#include "scorebench/kernels/spd_lanes.hpp"
#include "scorebench/kernels/thread_pool.hpp"
#include "scorebench/score_formulas.hpp"

namespace scorebench {

// The closed forms one sample at a time with Eigen's dynamic-size solves: the
// plain statement of the method, kept as the reference the fast kernels are
// benchmarked and tested against.
template <typename T>
struct AnalyticReferenceKernel {
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
};

template <typename T>
struct AnalyticKernel : AnalyticReferenceKernel<T> {
  using Base = AnalyticReferenceKernel<T>;
  using typename Base::Factor;
  static constexpr bool writes_every_output = true;

  // Largest d of the lane kernel: its two d×d×G lane blocks (256 KiB at
  // d = 64, f64) stay in L2; at d = 128 it was slower than the scalar kernel.
  static constexpr Index lanes_max_dim = 64;
  // Size of the per-sample ∇L output beyond which it is stored non-temporally.
  static constexpr Index stream_bytes = Index(16) << 20;

  // Per-sample scale_tril, each sample checked just before it is computed
  // (its block is then in cache for the kernel): G samples per SIMD group
  // by kernels/scale_tril_lanes.hpp for float/double with d ≤ lanes_max_dim
  // when every lane is plainly valid, otherwise one sample at a time.
  static bool checked_chunk(Parameterization p, const Factor* shared, const Batch<T>& batch,
                            const Request<T>& request, Index b0, Index b1, const char* failed, Result<T>& out,
                            std::vector<SampleError>& errors) {
    if (p != Parameterization::scale_tril || shared || batch.action.size() == 0) return false;
    const bool sum = request.output == Output::sum;
    kernels::dispatch_dimension(batch.dim(), [&](auto dim) {
      constexpr int D = decltype(dim)::value;
      if (sum)
        scale_tril_checked_chunk<D, true>(batch, request, b0, b1, failed, out, errors);
      else
        scale_tril_checked_chunk<D, false>(batch, request, b0, b1, failed, out, errors);
    });
    return true;
  }

  // scale_tril with a shared factor (per-sample outputs, or a batch with a
  // failing sample) by the allocation-free fixed-size kernels, and per-sample
  // covariance/precision by one Cholesky per sample and the potri-style
  // inverse (kernels/spd_inverse.hpp); the rest goes to the per-sample loop.
  static bool chunk(Parameterization p, const Factor* shared, const Batch<T>& batch,
                    const Request<T>& request, Index b0, Index b1, char* valid, Result<T>& out,
                    std::vector<SampleError>& errors) {
    if (p == Parameterization::scale_tril) {
      scale_tril_chunk(shared, batch, request, b0, b1, valid, out);
      return true;
    }
    if (is_symmetric(p) && !shared) {
      spd_chunk(p, batch, request, b0, b1, valid, out, errors);
      return true;
    }
    return false;
  }

  // Columns per chunk of the shared-parameter path: a function of B only.
  static Index shared_chunk(Index n) { return std::max<Index>(512, (n + 7) / 8); }

  static void shared_batch(Parameterization p, const Factor& f, const Batch<T>& batch,
                           const Request<T>& request, Result<T>& res) {
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

 private:
  struct SampleScratch {
    explicit SampleScratch(Index d) : eps(d), w(d), inv(d) {}
    Vec<T> eps, w, inv;
  };

  // ∇L of the whole batch far beyond the caches: stored non-temporally.
  static bool streams_grad_l(const Batch<T>& batch, bool sum) {
    return !sum && batch.size() * batch.dim() * batch.dim() * Index(sizeof(T)) > stream_bytes;
  }

  // log p, ∇μ and ∇a of the lane group starting at sample b.
  static void store_lane_vectors(kernels::LaneWorkspace<T>& ws, Index b, Result<T>& out) {
    const Index d = out.grad_loc.rows();
    kernels::store_lane_vectors<T>(d, ws, out.log_prob.data() + b, out.grad_loc.data() + b * d,
                                   out.grad_action.data() + b * d);
  }

  // Sample b by the fixed-size scalar kernel with factor l: added with weight
  // c_b into the single column of `out` (Sum), or written to sample b's
  // outputs with its ∇L at grad_l.
  template <int D, bool Sum>
  static void scale_tril_one(const T* l, const Batch<T>& batch, const Request<T>& request, Index b,
                             SampleScratch& s, Result<T>& out, T* grad_l) {
    const Index d = batch.dim();
    const T* mu = batch.loc.data() + (batch.loc.cols() == 1 ? 0 : b * d);
    const T* a = batch.action.data() + b * d;
    if constexpr (Sum)
      kernels::scale_tril_sample<T, D, true>(d, l, mu, a, s.eps.data(), s.w.data(), s.inv.data(),
                                             request.weights.size() ? request.weights(b) : T(1),
                                             out.log_prob(0), out.grad_loc.data(), out.grad_action.data(),
                                             out.grad_param.data());
    else
      kernels::scale_tril_sample<T, D, false>(d, l, mu, a, s.eps.data(), s.w.data(), s.inv.data(), T(1),
                                              out.log_prob(b), out.grad_loc.col(b).data(),
                                              out.grad_action.col(b).data(), grad_l);
  }

  template <int D, bool Sum>
  static void scale_tril_checked_chunk(const Batch<T>& batch, const Request<T>& request, Index b0, Index b1,
                                       const char* failed, Result<T>& out, std::vector<SampleError>& errors) {
    const Index d = batch.dim(), dd = d * d;
    const bool stream = streams_grad_l(batch, Sum);
    SampleScratch scratch(d);
    Mat<T> block(stream ? d : 0, stream ? d : 0);  // ∇L formed in L2, then streamed out
    const auto one_sample = [&](Index b) {
      if (!failed[b - b0]) {
        if (auto e = check_sample(batch, b, true)) {
          errors.push_back({b, detail::sample_prefix(b) + *e});
        } else {
          const T* l = batch.param.data() + b * dd;
          if constexpr (Sum) {
            scale_tril_one<D, true>(l, batch, request, b, scratch, out, nullptr);
          } else {
            T* g = out.grad_param.data() + b * dd;
            scale_tril_one<D, false>(l, batch, request, b, scratch, out, stream ? block.data() : g);
            if (stream) kernels::stream_copy(block.data(), dd, g);
          }
          return;
        }
      }
      if constexpr (!Sum) detail::fill_nan(out, b);
    };
    Index b = b0;
    bool lanes = false;
    if constexpr (kernels::has_lanes<T>)
      if (d <= lanes_max_dim) {
        lanes = true;
        b = scale_tril_lane_groups<D, Sum>(batch, request, b0, b1, failed, stream, out, one_sample);
      }
    using coverage::Path;
    coverage::hit_if(lanes && b < b1, Path::scale_tril_scalar_tail);
    coverage::hit_if(
        b < b1, D == Eigen::Dynamic ? Path::scale_tril_scalar_dynamic_d : Path::scale_tril_scalar_fixed_d);
    coverage::hit_if(stream && b < b1, Path::scale_tril_scalar_stream);
    for (; b < b1; ++b) one_sample(b);
    if (stream) kernels::store_fence();
  }

  // The groups of G samples in [b0, b1) by the lane kernel, a group with any
  // doubtful lane by one_sample(b) for each of its samples; returns the first
  // sample after the last whole group.
  template <int D, bool Sum, typename OneSample>
  static Index scale_tril_lane_groups(const Batch<T>& batch, const Request<T>& request, Index b0, Index b1,
                                      const char* failed, bool stream, Result<T>& out,
                                      OneSample&& one_sample) {
    namespace ei = Eigen::internal;
    using P = kernels::Packet<T>;
    constexpr int G = kernels::lane_count<T>;
    const Index d = batch.dim(), dd = d * d;
    const Index mu_step = batch.loc.cols() == 1 ? 0 : d;
    kernels::LaneWorkspace<T> ws(d, Sum);
    Index b = b0;
    bool lanes = false, doubtful = false;
    for (; b + G <= b1; b += G) {
      bool plain = std::none_of(failed + (b - b0), failed + (b - b0) + G, [](char f) { return f != 0; });
      plain =
          plain && kernels::load_lanes<T, D>(d, batch.param.data() + b * dd, batch.loc.data() + b * mu_step,
                                             mu_step, batch.action.data() + b * d, ws);
      if (!plain) {
        doubtful = true;
        for (Index s = 0; s < G; ++s) one_sample(b + s);
        continue;
      }
      lanes = true;
      kernels::solve_lanes<T, D>(d, ws);
      if constexpr (Sum) {
        const P c = request.weights.size() ? ei::ploadu<P>(request.weights.data() + b) : ei::pset1<P>(T(1));
        kernels::accumulate_lanes<T, D>(d, c, ws);
      } else {
        kernels::grad_l_lanes<T, D>(d, ws);
        if (stream)
          kernels::stream_from_lanes<T>(ws.grad_l.data(), dd, out.grad_param.data() + b * dd, dd);
        else
          kernels::from_lanes<T>(ws.grad_l.data(), dd, out.grad_param.data() + b * dd, dd);
        store_lane_vectors(ws, b, out);
      }
    }
    if constexpr (Sum) {  // the lanes' totals: horizontal sums
      kernels::add_lane_vector_totals<T>(d, ws, out.log_prob(0), out.grad_loc.data(), out.grad_action.data());
      for (Index j = 0; j < d; ++j)
        for (Index i = j; i < d; ++i)
          out.grad_param(i, j) += ei::predux(ws.grad_l[static_cast<size_t>(j * d + i)]);
    }
    using coverage::Path;
    coverage::hit_if(lanes, Sum ? Path::scale_tril_lanes_sum : Path::scale_tril_lanes_grads);
    coverage::hit_if(lanes && stream, Path::scale_tril_lanes_stream);
    coverage::hit_if(doubtful, Path::scale_tril_lanes_doubtful);
    return b;
  }

  static void scale_tril_chunk(const Factor* shared, const Batch<T>& batch, const Request<T>& request,
                               Index b0, Index b1, const char* valid, Result<T>& out) {
    const Index d = batch.dim();
    const bool sum = request.output == Output::sum;
    SampleScratch scratch(d);
    // With streaming stores each sample's ∇L is formed in `block` (in L2) and streamed out.
    const bool stream = streams_grad_l(batch, sum);
    Mat<T> block(stream ? d : 0, stream ? d : 0);
    coverage::hit_if(shared != nullptr, coverage::Path::scale_tril_shared_samples);
    kernels::dispatch_dimension(d, [&](auto dim) {
      constexpr int D = decltype(dim)::value;
      for (Index b = b0; b < b1; ++b) {
        if (!valid[b - b0]) continue;
        const T* l = shared ? shared->l.data() : batch.param.data() + b * d * d;
        if (sum) {
          scale_tril_one<D, true>(l, batch, request, b, scratch, out, nullptr);
        } else {
          T* g = out.grad_param.data() + b * d * d;
          scale_tril_one<D, false>(l, batch, request, b, scratch, out, stream ? block.data() : g);
          if (stream) kernels::stream_copy(block.data(), d * d, g);
        }
      }
    });
    if (stream) kernels::store_fence();
  }

  // Σ (or Λ) per sample: G samples per SIMD group by kernels/spd_lanes.hpp
  // for float/double, a group with an invalid or not positive definite
  // sample (and the tail) one sample at a time by spd_sample.
  static void spd_chunk(Parameterization p, const Batch<T>& batch, const Request<T>& request, Index b0,
                        Index b1, char* valid, Result<T>& out, std::vector<SampleError>& errors) {
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
      b = spd_lane_groups(p, batch, request, b0, b1, valid, out, one_sample);
    for (; b < b1; ++b) one_sample(b);
    coverage::hit_if(scalar, coverage::Path::spd_scalar);
  }

  // One sample: C = chol(Σ) in the workspace c, ε = C⁻¹r, w = C⁻ᵀε, then
  // Σ⁻¹ = C⁻ᵀC⁻¹ over C in place; ∇Σ = ½(w wᵀ − Σ⁻¹). For Λ = K Kᵀ:
  // ε = Kᵀr, w = Λ r, Σ = K⁻ᵀK⁻¹ in place; ∇Λ = ½(Σ − r rᵀ). A sample that
  // is not positive definite gets its error and valid = 0.
  static void spd_sample(Parameterization p, const Batch<T>& batch, const Request<T>& request, Index b,
                         char& valid, Result<T>& out, std::vector<SampleError>& errors, Mat<T>& c, Vec<T>& r,
                         Vec<T>& eps, Vec<T>& w) {
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
    const T lp = log_prob_from_noise(eps.squaredNorm(), cov ? log_diag : -log_diag, d);
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

  // The groups of G samples in [b0, b1) with every sample valid by the lane
  // kernel; a group with an invalid sample or a lane that is not positive
  // definite by one_sample(b) for each of its samples. Returns the first
  // sample after the last whole group.
  template <typename OneSample>
  static Index spd_lane_groups(Parameterization p, const Batch<T>& batch, const Request<T>& request, Index b0,
                               Index b1, const char* valid, Result<T>& out, OneSample&& one_sample) {
    namespace ei = Eigen::internal;
    using P = kernels::Packet<T>;
    constexpr int G = kernels::lane_count<T>;
    const Index d = batch.dim(), dd = d * d;
    const Index mu_step = batch.loc.cols() == 1 ? 0 : d;
    const bool sum = request.output == Output::sum;
    const bool cov = p == Parameterization::covariance_matrix;
    const bool stream = streams_grad_l(batch, sum);
    const P half = ei::pset1<P>(cov ? T(0.5) : T(-0.5));  // ½(w wᵀ − Σ⁻¹) or −½(r rᵀ − Σ)
    kernels::SpdLaneWorkspace<T> ws(d, sum);
    Index b = b0;
    bool lanes = false, doubtful = false;
    for (; b + G <= b1; b += G) {
      bool plain = std::all_of(valid + (b - b0), valid + (b - b0) + G, [](char v) { return v != 0; });
      if (plain) {
        kernels::to_lanes(batch.param.data() + b * dd, dd, dd, ws.l.data());
        kernels::load_residual_lanes<T>(d, batch.loc.data() + b * mu_step, mu_step,
                                        batch.action.data() + b * d, ws);
        plain = kernels::cholesky_lanes<T>(d, ws);
      }
      if (!plain) {
        doubtful = true;
        for (Index s = 0; s < G; ++s) one_sample(b + s);
        continue;
      }
      lanes = true;
      kernels::spd_noise_lanes<T>(d, cov, ws);
      kernels::invert_lower_lanes<T>(d, ws);
      kernels::lower_gram_lanes<T>(d, ws);
      const P* u = cov ? ws.w.data() : ws.eps.data();
      if (sum) {
        const P c = request.weights.size() ? ei::ploadu<P>(request.weights.data() + b) : ei::pset1<P>(T(1));
        kernels::accumulate_spd_gradient_lanes<T>(d, u, ei::pmul(c, half), ws);
        kernels::accumulate_lane_vectors<T>(d, c, ws);
      } else {
        kernels::store_spd_gradient_lanes<T>(d, u, half, ws, out.grad_param.data() + b * dd, dd, stream);
        store_lane_vectors(ws, b, out);
      }
    }
    if (stream) kernels::store_fence();
    if (sum) {  // the lanes' totals (horizontal sums); the gradient's lower triangle, mirrored
      kernels::add_lane_vector_totals<T>(d, ws, out.log_prob(0), out.grad_loc.data(), out.grad_action.data());
      for (Index j = 0; j < d; ++j)
        for (Index i = j; i < d; ++i) {
          const T g = ei::predux(ws.grad_l[static_cast<size_t>(j * d + i)]);
          out.grad_param(i, j) += g;
          if (i != j) out.grad_param(j, i) += g;
        }
    }
    using coverage::Path;
    coverage::hit_if(lanes, cov ? Path::spd_lanes_covariance : Path::spd_lanes_precision);
    coverage::hit_if(lanes && sum, Path::spd_lanes_sum);
    coverage::hit_if(lanes && stream, Path::spd_lanes_stream);
    coverage::hit_if(doubtful, Path::spd_lanes_doubtful);
    return b;
  }

  // The weighted sum of the scale_tril score from the batch totals of E c and
  // S = Σ_b c_b ε_b ε_bᵀ (lower triangle), since w_b = L⁻ᵀ ε_b:
  //   Σ_b c_b w_b = L⁻ᵀ (E c),   Σ_b c_b tril(w_b ε_bᵀ) = tril(L⁻ᵀ S),
  // then ∇L = tril(L⁻ᵀ S) − (Σc) diag(1/L), ∇a = −∇μ. One d×d solve replaces
  // the solve W = L⁻ᵀ E over all B columns.
  static void finish_scale_tril_sum(const Factor& f, T c_sum, Result<T>& res) {
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

  // Samples [b0, b0 + m) with the shared factor: per-sample outputs into
  // `res`'s columns, or the chunk's weighted sums into `res` (zeroed).
  static void shared_columns(Parameterization p, const Factor& f, const Batch<T>& batch,
                             const Request<T>& request, Index b0, Index m, Result<T>& res) {
    const Index d = batch.dim();
    coverage::hit(request.output == Output::sum ? coverage::Path::shared_columns_sum
                                                : coverage::Path::shared_columns_grads);
    Mat<T> r = batch.action.middleCols(b0, m);
    if (batch.loc.cols() == 1)
      r.colwise() -= batch.loc.col(0);
    else
      r -= batch.loc.middleCols(b0, m);
    Mat<T> eps, w;
    switch (p) {
      case Parameterization::scale_tril:
      case Parameterization::covariance_matrix:
        eps = f.l.template triangularView<Eigen::Lower>().solve(r);                     // E = L⁻¹ R
        if (p == Parameterization::scale_tril && request.output == Output::sum) break;  // W is not needed
        w = f.l.template triangularView<Eigen::Lower>().transpose().solve(eps);         // W = L⁻ᵀ E
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
    const T lp0 = log_prob_from_noise(T(0), f.half_log_det, d);
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
    const Vec<T> c = request.weights.size() ? Vec<T>(request.weights.segment(b0, m)) : Vec<T>::Ones(m);
    const T c_sum = c.sum();
    res.log_prob(0) = c_sum * lp0 - c.dot(sq) / T(2);
    auto g = res.grad_param_of(0);
    if (p == Parameterization::scale_tril) {
      // The chunk's E c and lower triangle of S = E diag(c) Eᵀ; L⁻ᵀ is applied
      // once to their batch totals (finish_scale_tril_sum).
      res.grad_loc.col(0).noalias() = eps * c;
      const Mat<T> ec = eps * c.asDiagonal();
      g.template triangularView<Eigen::Lower>() = ec * eps.transpose();
      return;
    }
    res.grad_loc.col(0).noalias() = w * c;
    res.grad_action.col(0) = -res.grad_loc.col(0);
    switch (p) {
      case Parameterization::scale_tril: break;
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
};

}  // namespace scorebench

#pragma once
// Per-sample `scale_tril`, the case a policy gradient runs most:
//
//   ε = L⁻¹r, w = L⁻ᵀε,  ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ),  ∇μ = w,  ∇a = −w
//
// G samples per SIMD group, one sample per lane, for float and double with
// d ≤ lanes_max_dim (kernels/scale_tril_lanes.hpp): the substitutions of G
// samples run side by side with no shuffles, and the lanes are validated in
// the same pass that loads them (from d = 16 where G divides d, column by
// column with the forward substitution, the next group's L prefetched from
// d = 32 on: kernels::load_forward_lanes); after the whole groups, a group of G/2
// (then G/4, …) in a narrower packet. Other samples (tails, doubtful groups, other
// d) by fixed-size kernels dispatched on d (kernels/scale_tril.hpp), with no
// heap allocation per sample and Σ log Lᵢᵢ from one logarithm. Each sample is
// checked just before it is computed, so L is read from memory once, in one
// branch-free pass where d is fixed (kernels/scale_tril_check.hpp). Beyond
// the caches, ∇L is formed in L2 and stored non-temporally.

#include <algorithm>
#include <optional>
#include <vector>

#include "scorebench/kernel_driver.hpp"
#include "scorebench/kernels/path_coverage.hpp"
#include "scorebench/kernels/scale_tril.hpp"
#include "scorebench/kernels/scale_tril_check.hpp"
#include "scorebench/kernels/scale_tril_lanes.hpp"
#include "scorebench/kernels/streaming_store.hpp"
#include "scorebench/methods/analytic/factor.hpp"
#include "scorebench/methods/analytic/output_layout.hpp"

// Packets as template arguments lose an attribute GCC warns about
// (kernels/simd.hpp); storage stays aligned through aligned_allocator.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"

namespace scorebench::analytic {

// ε, w and 1/Lᵢᵢ of the one-sample kernel: on the stack when D is fixed,
// else the thread's own d×3 matrix (sized once, then reused).
template <typename T, int D>
struct SampleScratch {
  explicit SampleScratch(Index d) : m(d, 3) {}
  T* eps() { return m.col(0).data(); }
  T* w() { return m.col(1).data(); }
  T* inv() { return m.col(2).data(); }
  Eigen::Matrix<T, D, 3> m;
};
template <typename T>
struct SampleScratch<T, Eigen::Dynamic> {
  struct Storage {
    Mat<T> m;
  };
  explicit SampleScratch(Index d) : m(kernels::thread_workspace<Storage>().m) { m.resize(d, 3); }
  T* eps() { return m.col(0).data(); }
  T* w() { return m.col(1).data(); }
  T* inv() { return m.col(2).data(); }
  Mat<T>& m;
};

// Whether sample b certainly passes check_sample: by the one-pass check of
// kernels/scale_tril_check.hpp where d is fixed; false leaves it to
// check_sample, which words the error.
template <typename T, int D>
bool sample_plainly_valid(const Batch<T>& batch, Index b) {
  if constexpr (D == Eigen::Dynamic) {
    return false;
  } else {
    const T* mu = batch.loc.data() + (batch.loc.cols() == 1 ? 0 : b * D);
    const T* noise = batch.noise.size() != 0 ? batch.noise.data() + b * D : nullptr;
    return kernels::scale_tril_sample_plainly_valid<T, D>(batch.param.data() + b * D * D, mu,
                                                          batch.action.data() + b * D, noise);
  }
}

// Sample b by the fixed-size scalar kernel with factor l: added with weight
// c_b into the single column of `out` (Sum), or written to sample b's
// outputs with its ∇L at grad_l.
template <typename T, int D, bool Sum>
void scale_tril_one(const T* l, const Batch<T>& batch, const Request<T>& request, Index b,
                    SampleScratch<T, D>& s, Result<T>& out, T* grad_l) {
  const Index d = batch.dim();
  const T* mu = batch.loc.data() + (batch.loc.cols() == 1 ? 0 : b * d);
  const T* a = batch.action.data() + b * d;
  if constexpr (Sum)
    kernels::scale_tril_sample<T, D, true>(
        d, l, mu, a, s.eps(), s.w(), s.inv(), request.weights.size() ? request.weights(b) : T(1),
        out.log_prob(0), out.grad_loc.data(), out.grad_action.data(), out.grad_param.data());
  else
    kernels::scale_tril_sample<T, D, false>(d, l, mu, a, s.eps(), s.w(), s.inv(), T(1), out.log_prob(b),
                                            out.grad_loc.col(b).data(), out.grad_action.col(b).data(),
                                            grad_l);
}

// The groups of G = simd::size<P> samples in [start, b1) by the lane kernel,
// a group with any doubtful lane by one_sample(b) for each of its samples
// (failed[b − b0]: sample b already reported); returns the first sample
// after the last whole group.
template <typename P, int D, bool Sum, typename T, typename OneSample>
Index scale_tril_lane_groups(const Batch<T>& batch, const Request<T>& request, Index b0, Index start,
                             Index b1, const char* failed, bool stream, Result<T>& out,
                             OneSample&& one_sample) {
  constexpr int G = simd::size<P>;
  const Index d = batch.dim(), dd = d * d;
  const Index mu_step = batch.loc.cols() == 1 ? 0 : d;
  auto& ws = kernels::thread_workspace<kernels::LaneWorkspace<P>>();
  ws.reset(d, Sum);
  Index b = start;
  // L loaded column by column, the forward solve on the way
  const bool by_columns = d >= kernels::column_load_min_dim && d % G == 0;
  bool lanes = false, doubtful = false;
  for (; b + G <= b1; b += G) {
    bool plain = std::none_of(failed + (b - b0), failed + (b - b0) + G, [](char f) { return f != 0; });
    const T* const l = batch.param.data() + b * dd;
    const T* const mu = batch.loc.data() + b * mu_step;
    const T* const a = batch.action.data() + b * d;
    const T* const eps = batch.noise.size() != 0 ? batch.noise.data() + b * d : nullptr;
    const T* const next_l = d >= kernels::prefetch_min_dim && b + 2 * G <= b1 ? l + G * dd : nullptr;
    plain = plain && (by_columns ? kernels::load_forward_lanes<P, D>(d, l, mu, mu_step, a, eps, ws, next_l)
                                 : kernels::load_lanes<P, D>(d, l, mu, mu_step, a, eps, ws));
    if (!plain) {
      doubtful = true;
      for (Index s = 0; s < G; ++s) one_sample(b + s);
      continue;
    }
    lanes = true;
    if (by_columns)
      kernels::solve_lanes<P, D, false, true>(d, ws);
    else
      kernels::solve_lanes<P, D>(d, ws);
    if constexpr (Sum) {
      const P c = request.weights.size() ? simd::loadu<P>(request.weights.data() + b) : simd::set1<P>(T(1));
      kernels::accumulate_lanes<P, D>(d, c, ws);
    } else {
      kernels::store_grad_l_lanes<P, D>(d, ws, out.grad_param.data() + b * dd, dd, stream);
      store_lane_vectors(ws, b, out);
    }
  }
  if constexpr (Sum) {  // the lanes' totals: horizontal sums
    kernels::add_lane_vector_totals<P>(d, ws, out.log_prob(0), out.grad_loc.data(), out.grad_action.data());
    for (Index j = 0; j < d; ++j)
      for (Index i = j; i < d; ++i)
        out.grad_param(i, j) += simd::reduce_add(ws.grad_l[static_cast<size_t>(j * d + i)]);
  }
  using coverage::Path;
  coverage::hit_if(lanes, Sum ? Path::scale_tril_lanes_sum : Path::scale_tril_lanes_grads);
  coverage::hit_if(lanes && by_columns, Path::scale_tril_lanes_column_load);
  coverage::hit_if(lanes && !Sum && d % G == 0, Path::scale_tril_lanes_grad_columns);
  coverage::hit_if(lanes && !Sum && d % G != 0, Path::scale_tril_lanes_grad_flat);
  coverage::hit_if(lanes && stream, Path::scale_tril_lanes_stream);
  coverage::hit_if(doubtful, Path::scale_tril_lanes_doubtful);
  coverage::hit_if(lanes && G < simd::lanes<T>, Path::scale_tril_lanes_narrower);
  return b;
}

// The samples of [start, b1) in lane groups: whole groups of the packet P,
// then at most one group of each narrower packet down to the target's
// narrowest (with AVX2, 8 floats then 4; 4 doubles then 2), so that fewer
// than G samples still run side by side. Returns the first sample after the last group.
template <typename P, int D, bool Sum, typename T, typename OneSample>
Index scale_tril_lanes(const Batch<T>& batch, const Request<T>& request, Index b0, Index start, Index b1,
                       const char* failed, bool stream, Result<T>& out, OneSample&& one_sample) {
  Index b = start;
  if (b1 - b >= simd::size<P>)
    b = scale_tril_lane_groups<P, D, Sum>(batch, request, b0, b, b1, failed, stream, out, one_sample);
  if constexpr (simd::has_half<P>)
    return scale_tril_lanes<simd::Half<P>, D, Sum>(batch, request, b0, b, b1, failed, stream, out,
                                                   one_sample);
  return b;
}

template <typename T, int D, bool Sum>
void scale_tril_checked_chunk(const Batch<T>& batch, const Request<T>& request, Index b0, Index b1,
                              const char* failed, Result<T>& out, std::vector<SampleError>& errors) {
  const Index d = batch.dim(), dd = d * d;
  const bool stream = streams_output(batch, Sum);
  SampleScratch<T, D> scratch(d);
  Mat<T> block(stream ? d : 0, stream ? d : 0);  // ∇L formed in L2, then streamed out
  const auto one_sample = [&](Index b) {
    if (!failed[b - b0]) {
      if (auto e = sample_plainly_valid<T, D>(batch, b) ? std::nullopt : check_sample(batch, b, true)) {
        errors.push_back({b, detail::sample_prefix(b) + *e});
      } else {
        const T* l = batch.param.data() + b * dd;
        if constexpr (Sum) {
          scale_tril_one<T, D, true>(l, batch, request, b, scratch, out, nullptr);
        } else {
          T* g = out.grad_param.data() + b * dd;
          scale_tril_one<T, D, false>(l, batch, request, b, scratch, out, stream ? block.data() : g);
          if (stream) kernels::stream_copy(block.data(), dd, g);
        }
        return;
      }
    }
    if constexpr (!Sum) detail::fill_nan(out, b);
  };
  Index b = b0;
  if constexpr (kernels::has_lanes<T>)
    if (d <= lanes_max_dim)
      b = scale_tril_lanes<kernels::Packet<T>, D, Sum>(batch, request, b0, b0, b1, failed, stream, out,
                                                       one_sample);
  using coverage::Path;
  coverage::hit_if(b > b0 && b < b1, Path::scale_tril_scalar_tail);
  coverage::hit_if(b < b1,
                   D == Eigen::Dynamic ? Path::scale_tril_scalar_dynamic_d : Path::scale_tril_scalar_fixed_d);
  coverage::hit_if(stream && b < b1, Path::scale_tril_scalar_stream);
  for (; b < b1; ++b) one_sample(b);
  if (stream) kernels::store_fence();
}

// Samples [b0, b1) with valid[b − b0] set, all with the shared L (a batch
// with a failing sample, so not the whole-batch path); a per-sample L takes
// scale_tril_samples.
template <typename T>
void scale_tril_shared_chunk(const Factor<T>& shared, const Batch<T>& batch, const Request<T>& request,
                             Index b0, Index b1, const char* valid, Result<T>& out) {
  const Index d = batch.dim();
  const bool sum = request.output == Output::sum;
  // With streaming stores each sample's ∇L is formed in `block` (in L2) and streamed out.
  const bool stream = streams_output(batch, sum);
  Mat<T> block(stream ? d : 0, stream ? d : 0);
  coverage::hit(coverage::Path::scale_tril_shared_samples);
  const T* l = shared.l.data();
  kernels::dispatch_dimension(d, [&](auto dim) {
    constexpr int D = decltype(dim)::value;
    SampleScratch<T, D> scratch(d);
    for (Index b = b0; b < b1; ++b) {
      if (!valid[b - b0]) continue;
      if (sum) {
        scale_tril_one<T, D, true>(l, batch, request, b, scratch, out, nullptr);
      } else {
        T* g = out.grad_param.data() + b * d * d;
        scale_tril_one<T, D, false>(l, batch, request, b, scratch, out, stream ? block.data() : g);
        if (stream) kernels::stream_copy(block.data(), d * d, g);
      }
    }
  });
  if (stream) kernels::store_fence();
}

// Samples [b0, b1) of a per-sample L, checked here (failed[b − b0] set: already
// reported).
template <typename T>
void scale_tril_samples(const Batch<T>& batch, const Request<T>& request, Index b0, Index b1,
                        const char* failed, Result<T>& out, std::vector<SampleError>& errors) {
  kernels::dispatch_dimension(batch.dim(), [&](auto dim) {
    constexpr int D = decltype(dim)::value;
    if (request.output == Output::sum)
      scale_tril_checked_chunk<T, D, true>(batch, request, b0, b1, failed, out, errors);
    else
      scale_tril_checked_chunk<T, D, false>(batch, request, b0, b1, failed, out, errors);
  });
}

}  // namespace scorebench::analytic

#pragma GCC diagnostic pop

#pragma once
// Where the fast `analytic` paths put their outputs: which batch is beyond
// the caches (its per-sample gradient is then stored non-temporally), and the
// lane kernels' per-sample vectors.

#include "scorebench/batch.hpp"
#include "scorebench/kernels/scale_tril_lanes.hpp"
#include "scorebench/result.hpp"

namespace scorebench::analytic {

// Largest d of the lane kernels: the two d×d×G lane blocks of scale_tril
// (256 KiB at d = 64, f64) stay in L2; at d = 128 it was slower than the
// scalar kernel.
inline constexpr Index lanes_max_dim = 64;

// Size of the per-sample parameter gradient beyond which it is stored non-temporally.
inline constexpr Index stream_bytes = Index(16) << 20;

// The d×d per-sample gradients of the whole batch far beyond the caches.
template <typename T>
bool streams_output(const Batch<T>& batch, bool sum) {
  return !sum && batch.size() * batch.dim() * batch.dim() * Index(sizeof(T)) > stream_bytes;
}

// log p, ∇μ and ∇a of the lane group starting at sample b.
template <typename P>
void store_lane_vectors(kernels::LaneWorkspace<P>& ws, Index b, Result<simd::Scalar<P>>& out) {
  const Index d = out.grad_loc.rows();
  kernels::store_lane_vectors<P>(d, ws, out.log_prob.data() + b, out.grad_loc.data() + b * d,
                                 out.grad_action.data() + b * d);
}

}  // namespace scorebench::analytic

#pragma once
// The lane layout of the SIMD kernels (scale_tril_lanes.hpp, spd_lanes.hpp):
// G samples side by side, sample s in lane s of each packet (G =
// simd::size<P> for the packet P, simd::lanes<T> for the widest), x[k] the
// packet holding entry k of the G samples. Data
// moves between the samples' own layout and this one G×G blocks at a time
// (to_lanes, from_lanes: G loads, one in-register transpose, G stores), and
// each thread keeps its lane scratch for the next call (thread_workspace).

#include <vector>

#include "scorebench/eigen_types.hpp"
#include "scorebench/kernels/simd.hpp"

// Packets as template arguments lose an attribute GCC warns about
// (simd.hpp); storage stays aligned through aligned_allocator.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"

namespace scorebench::kernels {

template <typename T>
using Packet = simd::Packet<T>;

template <typename T>
inline constexpr bool has_lanes = simd::has_lanes<T>;

template <typename P>
using PacketVector = simd::PacketVector<P>;

// *dst = v, non-temporally when `stream` (then simd::can_stream<P>(dst)).
template <typename P>
EIGEN_ALWAYS_INLINE void store_lane_packet(simd::Scalar<P>* dst, const P& v, bool stream) {
  if (stream)
    simd::stream(dst, v);
  else
    simd::storeu(dst, v);
}

// The G×G block b[r][s] = src[s·stride + r] (r, s < G = simd::size<P>):
// G loads and one in-register transpose.
template <typename P>
EIGEN_ALWAYS_INLINE simd::Block<P> load_transposed(const simd::Scalar<P>* src, Index stride) {
  simd::Block<P> block;
  for (int s = 0; s < simd::size<P>; ++s) block.packet[s] = simd::loadu<P>(src + s * stride);
  simd::transpose(block);
  return block;
}

// dst[s·stride + r] = b[r][s] (r, s < G): one in-register transpose and G
// stores, non-temporal when `stream` (then every row can_stream).
template <typename P>
EIGEN_ALWAYS_INLINE void store_transposed(simd::Block<P>& block, simd::Scalar<P>* dst, Index stride,
                                          bool stream = false) {
  simd::transpose(block);
  for (int s = 0; s < simd::size<P>; ++s) store_lane_packet<P>(dst + s * stride, block.packet[s], stream);
}

// dst[k][s] = src[s·stride + k] for k < n, s < G.
template <typename P>
EIGEN_ALWAYS_INLINE void to_lanes(const simd::Scalar<P>* src, Index stride, Index n, P* dst) {
  constexpr int G = simd::size<P>;
  const Index whole = n - n % G;
  for (Index k = 0; k < whole; k += G) {
    const simd::Block<P> block = load_transposed<P>(src + k, stride);
    for (int s = 0; s < G; ++s) dst[k + s] = block.packet[s];
  }
  for (Index k = whole; k < n; ++k) dst[k] = simd::gather<P>(src + k, stride);
}

// dst[s·stride + k] = src[k][s] for k < n, s < G.
template <typename P>
EIGEN_ALWAYS_INLINE void from_lanes(const P* src, Index n, simd::Scalar<P>* dst, Index stride) {
  constexpr int G = simd::size<P>;
  const Index whole = n - n % G;
  for (Index k = 0; k < whole; k += G) {
    simd::Block<P> block;
    for (int s = 0; s < G; ++s) block.packet[s] = src[k + s];
    store_transposed<P>(block, dst + k, stride);
  }
  for (Index k = whole; k < n; ++k) simd::scatter(dst + k, src[k], stride);
}

// Scratch of one thread for groups of simd::size<P> samples: L, r/ε, w and
// 1/Lᵢᵢ in lane layout, and for the weighted sum the running lane-wise
// totals of c log p, c w and c ∇L (the lower triangle of the parameter's
// gradient, grad_l).
template <typename P>
struct LaneWorkspace {
  using T = simd::Scalar<P>;
  // Sized for dimension d (the totals only for a sum) with the running
  // totals zero, in the storage it already has when that is large enough.
  void reset(Index d, bool sum) {
    const P zero = simd::set1<P>(T(0));
    const auto n = static_cast<size_t>(d);
    l.resize(n * n);
    eps.resize(n);
    w.resize(n);
    inv.resize(n);
    grad_l.assign(sum ? n * n : 0, zero);
    sum_w.assign(sum ? n : 0, zero);
    log_prob = zero;
    sum_log_prob = zero;
  }
  PacketVector<P> l, eps, w, inv, grad_l, sum_w;
  P log_prob, sum_log_prob;
};

// The calling thread's instance of a workspace W: a batch loop (one call per
// step, as a policy's rollout makes) then allocates nothing after its first
// call. The caller resets it; no two live uses in one thread share a W.
template <typename W>
W& thread_workspace() {
  thread_local W ws;
  return ws;
}

}  // namespace scorebench::kernels

#pragma GCC diagnostic pop

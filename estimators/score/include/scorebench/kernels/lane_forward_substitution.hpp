#pragma once
// E = L⁻¹R for a strip of m samples sharing one lower-triangular L, with the
// samples in SIMD lanes. The strip is held sample-contiguous: the m × d array
// X (leading dimension ld, X(s, i) = x[i·ld + s]) holds Rᵀ on entry and Eᵀ on
// exit. Forward substitution, column i of X at a time:
//
//   eᵢ = (rᵢ − Σ_{k<i} L_ik e_k) · (1/L_ii)
//
// in diagonal blocks of nb columns. Inside a block, R columns × V packets of
// samples are accumulated in registers while k runs; the columns below the
// block are then updated by one product X(:, rest) −= X(:, block) L(rest, block)ᵀ.
//
// Why: a triangular solve with B right-hand sides (Eigen's trsm) does its
// diagonal blocks one right-hand side at a time, in scalars, which is a third
// of the shared scale_tril sum at d = 64. Here every operation of the
// diagonal blocks is a full-width fused multiply-add: against Eigen's trsm on
// a strip of 512 samples, 1.3–1.6× (f64) and 1.3–2.6× (f32) for d = 64…256.
//
// Samples after the last whole strip of V·G are substituted one at a time.
// Which of the two a sample takes is fixed by its place in its chunk, and
// the chunks by B, so the results do not depend on the thread split.

#include <algorithm>

#include "scorebench/eigen_types.hpp"
#include "scorebench/kernels/lane_layout.hpp"
#include "scorebench/kernels/path_coverage.hpp"
#include "scorebench/kernels/simd.hpp"

// Packets as template arguments lose an attribute GCC warns about (simd.hpp).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"

namespace scorebench::kernels {

// Columns per diagonal block: one strip's columns of a block stay in L1
// while it is solved (64 columns of V·G samples: 4 KiB in f64 with AVX2).
inline constexpr Index kSubstitutionBlock = 64;
// Packets of samples side by side in a strip (V): two, so that each L_ik
// broadcast feeds two independent fused multiply-adds.
inline constexpr int kSubstitutionLanes = 2;

namespace detail {

// Columns [i, i + NR) of a strip of V packets of samples at x + s, the
// columns before i0 already subtracted out. NR and V are constants, so that
// the NR × V accumulators stay in registers.
template <typename P, int V, int NR>
EIGEN_ALWAYS_INLINE void substitute_tile(const simd::Scalar<P>* lc, const simd::Scalar<P>* inv_diag, Index d,
                                         Index i0, Index i, simd::Scalar<P>* x, Index s, Index ld) {
  constexpr int G = simd::size<P>;
  P acc[NR][V];
  for (int r = 0; r < NR; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = simd::loadu<P>(x + (i + r) * ld + s + v * G);
  for (Index k = i0; k < i; ++k) {  // acc_r −= L(i + r, k) e_k
    P e[V];
    for (int v = 0; v < V; ++v) e[v] = simd::loadu<P>(x + k * ld + s + v * G);
    const auto* lk = lc + k * d + i;
    for (int r = 0; r < NR; ++r) {
      const P b = simd::set1<P>(-lk[r]);
      for (int v = 0; v < V; ++v) acc[r][v] = simd::madd(b, e[v], acc[r][v]);
    }
  }
  for (int r = 0; r < NR; ++r) {  // the NR × NR triangle: e_{i+r}, then the rows below it
    const P inv = simd::set1<P>(inv_diag[i + r]);
    for (int v = 0; v < V; ++v) acc[r][v] = simd::mul(acc[r][v], inv);
    for (int r2 = r + 1; r2 < NR; ++r2) {
      const P b = simd::set1<P>(-lc[(i + r) * d + i + r2]);
      for (int v = 0; v < V; ++v) acc[r2][v] = simd::madd(b, acc[r][v], acc[r2][v]);
    }
    for (int v = 0; v < V; ++v) simd::storeu<P>(x + (i + r) * ld + s + v * G, acc[r][v]);
  }
}

// Columns [i0, i1) of X, the columns before i0 already subtracted out: tiles
// of R columns, then the last (i1 − i0) mod R one column at a time.
template <typename P, int V, int R>
void substitute_block(const Mat<simd::Scalar<P>>& l, const Vec<simd::Scalar<P>>& inv_diag, Index i0, Index i1,
                      simd::Scalar<P>* x, Index m, Index ld) {
  using T = simd::Scalar<P>;
  constexpr Index S = V * simd::size<P>;
  const Index d = l.rows();
  const T* lc = l.data();  // L(i, k) = lc[k·d + i]
  const T* inv = inv_diag.data();
  Index s = 0;
  for (; s + S <= m; s += S) {
    Index i = i0;
    for (; i + R <= i1; i += R) substitute_tile<P, V, R>(lc, inv, d, i0, i, x, s, ld);
    for (; i < i1; ++i) substitute_tile<P, V, 1>(lc, inv, d, i0, i, x, s, ld);
  }
  for (; s < m; ++s)  // the samples after the last whole strip
    for (Index i = i0; i < i1; ++i) {
      T a = x[i * ld + s];
      for (Index k = i0; k < i; ++k) a -= lc[k * d + i] * x[k * ld + s];
      x[i * ld + s] = a * inv[i];
    }
}

}  // namespace detail

// X ← (L⁻¹ Xᵀ)ᵀ for the m × d strip X (leading dimension ld ≥ m); inv_diag
// holds 1/L_ii. A scalar type without SIMD packets takes Eigen's solve.
template <typename T>
void lane_forward_substitution(const Mat<T>& l, const Vec<T>& inv_diag, T* x, Index m, Index ld) {
  const Index d = l.rows();
  Eigen::Map<Mat<T>, 0, Eigen::OuterStride<>> xm(x, m, d, Eigen::OuterStride<>(ld));
  if constexpr (!simd::has_lanes<T>) {  // a scalar type without packets: Xᵀ ← L⁻¹Xᵀ
    l.template triangularView<Eigen::Lower>().solveInPlace(xm.transpose());
  } else {
    constexpr Index strip = kSubstitutionLanes * simd::lanes<T>;
    coverage::hit_if(m >= strip, coverage::Path::shared_substitution_lanes);
    coverage::hit_if(m % strip != 0, coverage::Path::shared_substitution_tail);
    coverage::hit_if(d > kSubstitutionBlock, coverage::Path::shared_substitution_blocks);
    for (Index i0 = 0; i0 < d; i0 += kSubstitutionBlock) {
      const Index w = std::min(kSubstitutionBlock, d - i0), rest = d - i0 - w;
      detail::substitute_block<simd::Packet<T>, kSubstitutionLanes, 4>(l, inv_diag, i0, i0 + w, x, m, ld);
      if (rest > 0)  // X(:, rest) −= X(:, block) L(rest, block)ᵀ
        xm.middleCols(i0 + w, rest).noalias() -=
            xm.middleCols(i0, w) * l.block(i0 + w, i0, rest, w).transpose();
    }
  }
}

// The strip X = (A − M)ᵀ of samples [b0, b0 + m): A is d × B column-major
// (a), M one column for every sample or d × B (loc, loc_cols of 1 or B).
// G × G blocks go through one in-register transpose each; the dimensions
// after the last whole block are gathered, the samples after the last whole
// group copied one by one.
template <typename T>
void centred_strip(const T* a, const T* loc, Index loc_cols, Index d, Index b0, Index m, T* x, Index ld) {
  Index s = 0;
  if constexpr (simd::has_lanes<T>) {
    using P = simd::Packet<T>;
    constexpr int G = simd::size<P>;
    const bool shared = loc_cols == 1;
    for (; s + G <= m; s += G) {
      const T* as = a + (b0 + s) * d;
      const T* ms = shared ? loc : loc + (b0 + s) * d;
      Index i = 0;
      for (; i + G <= d; i += G) {
        const simd::Block<P> ab = load_transposed<P>(as + i, d);
        simd::Block<P> mb;
        if (!shared) mb = load_transposed<P>(ms + i, d);
        for (int r = 0; r < G; ++r)
          simd::storeu<P>(x + (i + r) * ld + s,
                          simd::sub(ab.packet[r], shared ? simd::set1<P>(loc[i + r]) : mb.packet[r]));
      }
      for (; i < d; ++i)
        simd::storeu<P>(x + i * ld + s,
                        simd::sub(simd::gather<P>(as + i, d),
                                  shared ? simd::set1<P>(loc[i]) : simd::gather<P>(ms + i, d)));
    }
  }
  for (; s < m; ++s)
    for (Index i = 0; i < d; ++i)
      x[i * ld + s] = a[(b0 + s) * d + i] - loc[(loc_cols == 1 ? 0 : b0 + s) * d + i];
}

// The leading dimension for a strip of m samples: a whole number of cache
// lines, plus one, so that the d columns do not fall on the same L1 sets
// (m = 512 f64 without the extra line ran at 20 GFLOP/s instead of 32).
template <typename T>
Index substitution_leading_dimension(Index m) {
  constexpr Index line = 64 / static_cast<Index>(sizeof(T));
  return (m + line - 1) / line * line + line;
}

}  // namespace scorebench::kernels

#pragma GCC diagnostic pop

#pragma once
// Per-sample covariance (Σ) or precision (Λ) scores of G samples at once,
// sample s in SIMD lane s, in the lane layout of lane_layout.hpp
// (a[k·d + i] is entry (i, k) of the G matrices). Every step below is the
// scalar algorithm with packets for scalars; its inner products run R rows
// at a time (lane_dots), so that each loaded coefficient feeds R fused
// multiply-adds.
//
//   A = C Cᵀ:  Cⱼⱼ = √(Aⱼⱼ − Σₖ₍ⱼ Cⱼₖ²),  Cᵢⱼ = (Aᵢⱼ − Σₖ₍ⱼ Cᵢₖ Cⱼₖ)·(1/Cⱼⱼ)  (i > j)
//   X = C⁻¹:   for j = d−1 … 0:  Xⱼⱼ = 1/Cⱼⱼ,  Xᵢⱼ = −Xⱼⱼ Σ_{j<k≤i} Xᵢₖ Cₖⱼ
//   A⁻¹ = XᵀX: (XᵀX)ᵢⱼ = Σ_{k≥i} Xₖᵢ Xₖⱼ  (i ≥ j)
//
//   Σ: ε = C⁻¹r, w = C⁻ᵀε, log p = −½‖ε‖² − log Π Cᵢᵢ − (d/2) log 2π,
//      ∇Σ = ½(w wᵀ − Σ⁻¹)
//   Λ: ε = Kᵀr, w = K ε = Λ r, log p = −½‖ε‖² + log Π Kᵢᵢ − (d/2) log 2π,
//      ∇Λ = ½(Σ − r rᵀ)
//   ∇μ = w, ∇a = −w
//
// A lane whose pivot Aⱼⱼ − Σ Cⱼₖ² is not positive (or not finite) makes
// cholesky_lanes return false; the caller then words the error or computes
// the group one sample at a time.

#include <cstdint>

#include "scorebench/kernels/scale_tril_lanes.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"

namespace scorebench::kernels {

// acc[r] = Σ_{k ∈ [k0, k1)} m[r·si + k·sk] · v[k·sv]  for r < R.
template <typename P, int R>
EIGEN_ALWAYS_INLINE void lane_dots(const P* m, Index si, Index sk, const P* v, Index sv, Index k0, Index k1,
                                   P* acc) {
  using T = simd::Scalar<P>;
  P a[R];
  for (int r = 0; r < R; ++r) a[r] = simd::set1<P>(T(0));
  for (Index k = k0; k < k1; ++k) {
    const P vk = v[k * sv];
    const P* mk = m + k * sk;
    for (int r = 0; r < R; ++r) a[r] = simd::madd(mk[r * si], vk, a[r]);
  }
  for (int r = 0; r < R; ++r) acc[r] = a[r];
}

// Rows [i0, i1) in blocks of 8, then 4, 2, 1: f(i, R) for each block.
template <typename F>
EIGEN_ALWAYS_INLINE void row_blocks(Index i0, Index i1, F&& f) {
  Index i = i0;
  for (; i + 8 <= i1; i += 8) f(i, std::integral_constant<int, 8>{});
  if (i + 4 <= i1) {
    f(i, std::integral_constant<int, 4>{});
    i += 4;
  }
  if (i + 2 <= i1) {
    f(i, std::integral_constant<int, 2>{});
    i += 2;
  }
  if (i < i1) f(i, std::integral_constant<int, 1>{});
}

// Workspace of one thread: the matrices in ws.l (A, then C, then A⁻¹), r in
// ws.eps on entry, the running total of the weighted gradient's lower
// triangle in ws.grad_l (sum only), and a column of scratch.
template <typename P>
struct SpdLaneWorkspace : LaneWorkspace<P> {
  void reset(Index d, bool sum) {
    LaneWorkspace<P>::reset(d, sum);
    column.resize(static_cast<size_t>(d));
  }
  PacketVector<P> column;
};

// C = chol(A) over the lower triangle of ws.l, zero above the diagonal, and
// ws.inv = 1/Cⱼⱼ; false when a lane's pivot is not a positive finite number
// (the pivots are kept in ws.column to be tested lane by lane at the end).
template <typename P>
EIGEN_ALWAYS_INLINE bool cholesky_lanes(Index d, SpdLaneWorkspace<P>& ws) {
  using T = simd::Scalar<P>;
  constexpr int G = simd::size<P>;
  P* const c = ws.l.data();
  P* const pivot = ws.column.data();
  const P one = simd::set1<P>(T(1));
  for (Index j = 0; j < d; ++j) {
    row_blocks(j, d, [&](Index i, auto rows) {
      constexpr int R = decltype(rows)::value;
      P acc[R];
      lane_dots<P, R>(c + i, 1, d, c + j, d, 0, j, acc);  // Σₖ₍ⱼ Cᵢₖ Cⱼₖ
      int r = 0;
      if (i == j) {
        pivot[j] = simd::sub(c[j * d + j], acc[0]);
        c[j * d + j] = simd::sqrt(pivot[j]);
        ws.inv[static_cast<size_t>(j)] = simd::div(one, c[j * d + j]);
        r = 1;
      }
      const P inv = ws.inv[static_cast<size_t>(j)];
      for (; r < R; ++r) c[j * d + i + r] = simd::mul(simd::sub(c[j * d + i + r], acc[r]), inv);
    });
    for (Index i = 0; i < j; ++i) c[j * d + i] = simd::set1<P>(T(0));
  }
  const T* const pivots = reinterpret_cast<const T*>(pivot);
  for (Index k = 0; k < d * G; ++k)
    if (!(pivots[k] > T(0) && pivots[k] <= std::numeric_limits<T>::max())) return false;
  return true;
}

// X = C⁻¹ in place over ws.l (lower triangular, zero above), with ws.inv = 1/Cⱼⱼ.
template <typename P>
EIGEN_ALWAYS_INLINE void invert_lower_lanes(Index d, SpdLaneWorkspace<P>& ws) {
  P* const x = ws.l.data();
  P* const t = ws.column.data();
  for (Index j = d - 1; j >= 0; --j) {
    // t = C₍ⱼ₊₁:,ⱼ₎; Xᵢⱼ = −Xⱼⱼ Σ_{j<k≤i} Xᵢₖ tₖ, with Xᵢₖ = 0 for k > i.
    for (Index k = j + 1; k < d; ++k) t[k] = x[j * d + k];
    const P minus_xjj = simd::neg(ws.inv[static_cast<size_t>(j)]);
    x[j * d + j] = ws.inv[static_cast<size_t>(j)];
    row_blocks(j + 1, d, [&](Index i, auto rows) {
      constexpr int R = decltype(rows)::value;
      P acc[R];
      lane_dots<P, R>(x + i, 1, d, t, 1, j + 1, i + R, acc);
      for (int r = 0; r < R; ++r) x[j * d + i + r] = simd::mul(acc[r], minus_xjj);
    });
  }
}

// The lower triangle of XᵀX in place over ws.l (X lower triangular, zero above).
template <typename P>
EIGEN_ALWAYS_INLINE void lower_gram_lanes(Index d, SpdLaneWorkspace<P>& ws) {
  P* const x = ws.l.data();
  for (Index j = 0; j < d; ++j)
    // (XᵀX)ᵢⱼ = Σ_{k ≥ i} Xₖᵢ Xₖⱼ: rows i top down, each block stored after its
    // last read (later blocks read only k ≥ their own i).
    row_blocks(j, d, [&](Index i, auto rows) {
      constexpr int R = decltype(rows)::value;
      P acc[R];
      lane_dots<P, R>(x + i * d, d, 1, x + j * d, 1, i, d, acc);
      for (int r = 0; r < R; ++r) x[j * d + i + r] = acc[r];
    });
}

// ε, w and log p of the factored group (formulas at the top): covariance
// from C by solve_lanes; precision from K by the two products.
template <typename P>
EIGEN_ALWAYS_INLINE void spd_noise_lanes(Index d, bool covariance, SpdLaneWorkspace<P>& ws) {
  using T = simd::Scalar<P>;
  if (covariance) {
    solve_lanes<P, Eigen::Dynamic, true>(d, ws);
    return;
  }
  P* const k = ws.l.data();
  P* const r = ws.column.data();
  for (Index i = 0; i < d; ++i) r[i] = ws.eps[static_cast<size_t>(i)];
  row_blocks(0, d, [&](Index i, auto rows) {  // εᵢ = Σ_{m ≥ i} Kₘᵢ rₘ
    constexpr int R = decltype(rows)::value;
    P acc[R];
    lane_dots<P, R>(k + i * d, d, 1, r, 1, i, d, acc);
    for (int q = 0; q < R; ++q) ws.eps[static_cast<size_t>(i + q)] = acc[q];
  });
  row_blocks(0, d, [&](Index i, auto rows) {  // wᵢ = Σ_{m ≤ i} Kᵢₘ εₘ
    constexpr int R = decltype(rows)::value;
    P acc[R];
    lane_dots<P, R>(k + i, 1, d, ws.eps.data(), 1, 0, i + R, acc);
    for (int q = 0; q < R; ++q) ws.w[static_cast<size_t>(i + q)] = acc[q];
  });
  P sq = simd::set1<P>(T(0));
  for (Index i = 0; i < d; ++i)
    sq = simd::madd(ws.eps[static_cast<size_t>(i)], ws.eps[static_cast<size_t>(i)], sq);
  const P constant = simd::set1<P>(T(d) * half_log_two_pi<T>());
  ws.log_prob =
      simd::sub(simd::add(simd::mul(simd::set1<P>(T(-0.5)), sq), log_diag_product_lanes<P>(d, k)), constant);
  for (Index i = 0; i < d; ++i) ws.eps[static_cast<size_t>(i)] = r[i];  // r, for ∇Λ
}

// The lower triangle of the weighted gradient c·h(u uᵀ − S), h = ±½ (S's
// lower triangle in ws.l), added to the running totals in ws.grad_l.
template <typename P>
EIGEN_ALWAYS_INLINE void accumulate_spd_gradient_lanes(Index d, const P* u, const P& ch,
                                                       SpdLaneWorkspace<P>& ws) {
  const P* const s = ws.l.data();
  P* const g = ws.grad_l.data();
  for (Index j = 0; j < d; ++j) {
    const P uj = simd::mul(u[j], ch);
    for (Index i = j; i < d; ++i)
      g[j * d + i] = simd::add(g[j * d + i], simd::sub(simd::mul(u[i], uj), simd::mul(s[j * d + i], ch)));
  }
}

// The full symmetric gradient h(u uᵀ − S) of each lane s, h = ±½ (S's lower
// triangle in ws.l), stored at dst + s·stride column by column. G entries of
// a column are formed at a time, transposed G×G and stored, so that the
// mirrored upper triangle is read across the lane block, not written across
// it. Non-temporal stores when `stream` and the rows are 32-byte aligned.
template <typename P>
EIGEN_ALWAYS_INLINE void store_spd_gradient_lanes(Index d, const P* u, const P& h,
                                                  const SpdLaneWorkspace<P>& ws, simd::Scalar<P>* dst,
                                                  Index stride, bool stream) {
  using T = simd::Scalar<P>;
  constexpr int G = simd::size<P>;
  const P* const s = ws.l.data();
  const bool aligned =
      d % G == 0 && stride % G == 0 && reinterpret_cast<std::uintptr_t>(dst) % sizeof(P) == 0;
  const bool nt = stream && aligned;
  for (Index j = 0; j < d; ++j) {
    const P uj = simd::mul(u[j], h);
    const auto entry = [&](Index i) {
      const P sij = i >= j ? s[j * d + i] : s[i * d + j];
      return simd::sub(simd::mul(u[i], uj), simd::mul(sij, h));
    };
    T* const column = dst + j * d;
    Index i = 0;
    for (; i + G <= d; i += G) {
      simd::Block<P> block;
      for (int r = 0; r < G; ++r) block.packet[r] = entry(i + r);
      store_transposed<P>(block, column + i, stride, nt);
    }
    for (; i < d; ++i) simd::scatter(column + i, entry(i), stride);
  }
}

}  // namespace scorebench::kernels

#pragma GCC diagnostic pop

#pragma once
// The per-sample `scale_tril` score of G samples at once, sample s in SIMD
// lane s (G = simd::lanes<T>: 4 doubles or 8 floats with AVX2).
// One sample's substitutions are chains of d dependent steps; the chains of
// different samples are independent, so running G of them side by side keeps
// the vector units busy instead of waiting on one chain.
//
// Lane layout (lane_layout.hpp): x[k] is a packet holding entry k of the G
// samples.
//
//   ε = L⁻¹ r:   for k = 0 … d−1:  εₖ ← εₖ / Lₖₖ,  εᵢ −= Lᵢₖ εₖ  (i > k)
//   w = L⁻ᵀ ε:   for k = d−1 … 0:  wₖ ← wₖ / Lₖₖ,  wᵢ −= Lₖᵢ wₖ  (i < k)
//   log p = −½‖ε‖² − log Πᵢ Lᵢᵢ − (d/2) log 2π
//   ∇μ = w,  ∇a = −w,  ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ)
//
// The arguments are checked in the same pass (every entry finite, Lᵢᵢ > 0,
// zero above the diagonal); a group with any doubtful lane is left to the
// caller, which words the error or computes it one sample at a time.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "scorebench/eigen_types.hpp"
#include "scorebench/kernels/lane_layout.hpp"
#include "scorebench/kernels/scale_tril.hpp"
#include "scorebench/kernels/simd.hpp"
#include "scorebench/kernels/streaming_store.hpp"
#include "scorebench/scalar_traits.hpp"

// Packets as template arguments lose an attribute GCC warns about
// (simd.hpp); storage stays aligned through aligned_allocator.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"

namespace scorebench::kernels {

// r = a − μ of G samples (μ at mu + s·mu_step, a at a + s·d) into ws.eps;
// ws.w is scratch. With `noise` (the G samples' ε, G·d contiguous values,
// which the lanes do not read but which is checked wherever it is given;
// or null) returns s − s for s = Σ of ε as packets: 0 when every ε is
// finite and s does not overflow (an overflow only sends the group to the
// exact check); 0 without noise.
template <typename P>
EIGEN_ALWAYS_INLINE P load_residual_lanes(Index d, const simd::Scalar<P>* mu, Index mu_step,
                                          const simd::Scalar<P>* a, const simd::Scalar<P>* noise,
                                          LaneWorkspace<P>& ws) {
  using T = simd::Scalar<P>;
  constexpr int G = simd::size<P>;
  to_lanes(a, d, d, ws.eps.data());
  if (mu_step == 0) {
    for (Index k = 0; k < d; ++k) ws.eps[k] = simd::sub(ws.eps[k], simd::set1<P>(mu[k]));
  } else {
    to_lanes(mu, mu_step, d, ws.w.data());
    for (Index k = 0; k < d; ++k) ws.eps[k] = simd::sub(ws.eps[k], ws.w[k]);
  }
  P sum = simd::set1<P>(T(0));
  if (noise)
    for (Index k = 0; k < G * d; k += G) sum = simd::add(sum, simd::loadu<P>(noise + k));
  return simd::sub(sum, sum);
}

// Whether every lane passes the checks: Σ(x − x) = 0 (every x finite), the
// Σ|x| above the diagonal 0, and min Lᵢᵢ > 0.
template <typename P>
EIGEN_ALWAYS_INLINE bool lanes_pass_checks(const P& not_finite, const P& upper, const P& diag_min) {
  using T = simd::Scalar<P>;
  constexpr int G = simd::size<P>;
  alignas(P) T nf[G], up[G], dm[G];
  simd::store(nf, not_finite);
  simd::store(up, upper);
  simd::store(dm, diag_min);
  for (int s = 0; s < G; ++s)
    if (!(nf[s] == T(0) && up[s] == T(0) && dm[s] > T(0))) return false;
  return true;
}

// Loads G samples (L at l + s·d², μ at mu + s·mu_step, a at a + s·d) into
// `ws` with r = a − μ in ws.eps, and reports whether every lane certainly
// passes the checks: Σ(x − x) = 0 exactly when every x is finite (over the
// lower triangle of L and r; a − μ can overflow, which the caller's own
// check then sorts out), Σᵢ₍ⱼ |Lᵢⱼ| = 0 (an inf or NaN there breaks it too),
// and min Lᵢᵢ > 0.
template <typename P, int D>
EIGEN_ALWAYS_INLINE bool load_lanes(Index dim, const simd::Scalar<P>* l, const simd::Scalar<P>* mu,
                                    Index mu_step, const simd::Scalar<P>* a, const simd::Scalar<P>* noise,
                                    LaneWorkspace<P>& ws) {
  using T = simd::Scalar<P>;
  const Index d = D == Eigen::Dynamic ? dim : D;
  to_lanes(l, d * d, d * d, ws.l.data());
  P not_finite = load_residual_lanes<P>(d, mu, mu_step, a, noise, ws);
  P upper = simd::set1<P>(T(0)), diag_min = simd::set1<P>(T(1));
  for (Index j = 0; j < d; ++j) {
    for (Index i = 0; i < j; ++i) upper = simd::add(upper, simd::abs(ws.l[j * d + i]));  // inf, NaN ≠ 0 too
    for (Index i = j; i < d; ++i)
      not_finite = simd::add(not_finite, simd::sub(ws.l[j * d + i], ws.l[j * d + i]));
    diag_min = simd::min(diag_min, ws.l[j * d + j]);
    not_finite = simd::add(not_finite, simd::sub(ws.eps[j], ws.eps[j]));
  }
  return lanes_pass_checks<P>(not_finite, upper, diag_min);
}

// The least d at which the lane groups load L column by column
// (load_forward_lanes, where G divides d): below it the lane layout of L
// stays in L1 and the column load costs more instructions (+6 to +10 % per
// sample at d = 8 by the instruction gate) for no clear gain in time.
inline constexpr Index column_load_min_dim = 16;

// The least d at which the next group's L is prefetched, column by column
// (load_forward_lanes): at d = 32 and 64 (B = 4096) the loads of L
// otherwise wait on memory (grads and sums in 0.60–0.86 of the time
// without); no gain was measured at d = 8 and 16.
inline constexpr Index prefetch_min_dim = 32;

// load_lanes and the forward substitution of solve_lanes in one pass over
// L, for d a multiple of G (from column_load_min_dim on): column j of the G
// samples is loaded in G×G blocks, transposed and checked, its lower part
// stored in lane layout, and step j of ε = L⁻¹r runs while the column is in
// L1 (εⱼ ← εⱼ/Lⱼⱼ, εᵢ −= Lᵢⱼ εⱼ for i > j). The blocks above the diagonal are checked, never
// stored. At d = 32 and 64 the lane layout of L outgrows L1; it is then
// written once and read once (by the backward substitution) instead of
// written once and read three times. With next_l (the next group's L, or
// null), its column j is requested while column j of this group is loaded.
// ε and 1/Lᵢᵢ take the operations of solve_lanes in the same order: the
// results are bit-identical. Returns what load_lanes returns;
// solve_lanes<P, D, false, true> finishes the solve.
template <typename P, int D>
EIGEN_ALWAYS_INLINE bool load_forward_lanes(Index dim, const simd::Scalar<P>* l, const simd::Scalar<P>* mu,
                                            Index mu_step, const simd::Scalar<P>* a,
                                            const simd::Scalar<P>* noise, LaneWorkspace<P>& ws,
                                            const simd::Scalar<P>* next_l = nullptr) {
  using T = simd::Scalar<P>;
  constexpr int G = simd::size<P>;
  const Index d = D == Eigen::Dynamic ? dim : D, dd = d * d;
  P not_finite = load_residual_lanes<P>(d, mu, mu_step, a, noise, ws);
  P* const lw = ws.l.data();
  P* const eps = ws.eps.data();
  P* const inv = ws.inv.data();
  const P one = simd::set1<P>(T(1));
  P upper = simd::set1<P>(T(0)), diag_min = one;
  for (Index k = 0; k < d; ++k) not_finite = simd::add(not_finite, simd::sub(eps[k], eps[k]));
  for (Index j = 0; j < d; ++j) {
    if (next_l)  // column j of the next group, on its way while this one is computed
      for (int s = 0; s < G; ++s) simd::prefetch(next_l + s * dd + j * d, d);
    for (Index i0 = 0; i0 < d; i0 += G) {
      const simd::Block<P> block = load_transposed<P>(l + j * d + i0, dd);
      const Index above = std::clamp<Index>(j - i0, 0, G);  // rows i0 + r < j
      for (Index r = 0; r < above; ++r) upper = simd::add(upper, simd::abs(block.packet[r]));
      for (Index r = above; r < G; ++r) {
        not_finite = simd::add(not_finite, simd::sub(block.packet[r], block.packet[r]));
        lw[j * d + i0 + r] = block.packet[r];
      }
    }
    diag_min = simd::min(diag_min, lw[j * d + j]);
    inv[j] = simd::div(one, lw[j * d + j]);
    eps[j] = simd::mul(eps[j], inv[j]);
    const P minus_eps = simd::neg(eps[j]);
    for (Index i = j + 1; i < d; ++i) eps[i] = simd::madd(lw[j * d + i], minus_eps, eps[i]);
  }
  return lanes_pass_checks<P>(not_finite, upper, diag_min);
}

// log Πᵢ Lᵢᵢ of each lane (L in lane layout) with one logarithm per lane
// when every partial product is a normal number (then it is within d·u of
// Σ log Lᵢᵢ); by sum_log otherwise.
template <typename P>
EIGEN_ALWAYS_INLINE P log_diag_product_lanes(Index d, const P* l) {
  using T = simd::Scalar<P>;
  constexpr int G = simd::size<P>;
  P prod = simd::set1<P>(T(1));
  P lo = simd::set1<P>(std::numeric_limits<T>::max()), hi = simd::set1<P>(T(0));
  for (Index k = 0; k < d; ++k) {
    prod = simd::mul(prod, l[k * d + k]);
    lo = simd::min(lo, prod);
    hi = simd::max(hi, prod);
  }
  alignas(P) T lo_s[G], hi_s[G];
  simd::store(lo_s, lo);
  simd::store(hi_s, hi);
  bool in_range = true;
  for (int s = 0; s < G; ++s)
    in_range =
        in_range && lo_s[s] >= std::numeric_limits<T>::min() && hi_s[s] <= std::numeric_limits<T>::max();
  if (in_range) return simd::log(prod);
  alignas(P) T by_lane[G];
  const T* diag = reinterpret_cast<const T*>(l);
  for (int s = 0; s < G; ++s) by_lane[s] = sum_log(diag + s, d, (d + 1) * G);
  return simd::load<P>(by_lane);
}

// ε, w, 1/Lᵢᵢ and log p of the loaded samples (formulas at the top). The
// substitutions multiply by 1/Lₖₖ, so w = L⁻ᵀL⁻¹r carries its rounding
// twice: within the contract for ∇L = tril(w εᵀ) − diag(1/L), not for
// ∇Σ = ½(w wᵀ − Σ⁻¹), which carries it four times; Quotients = true removes
// it for a quarter more time at d ≤ 8 (the substitutions' dependent chains
// are three operations longer). With ForwardDone, ε and 1/Lᵢᵢ are already
// there (load_forward_lanes) and the solve starts at w.
template <typename P, int D, bool Quotients = false, bool ForwardDone = false>
EIGEN_ALWAYS_INLINE void solve_lanes(Index dim, LaneWorkspace<P>& ws) {
  using T = simd::Scalar<P>;
  const Index d = D == Eigen::Dynamic ? dim : D;
  P* const l = ws.l.data();
  P* const eps = ws.eps.data();
  P* const w = ws.w.data();
  P* const inv = ws.inv.data();
  const P one = simd::set1<P>(T(1));
  if constexpr (!ForwardDone)
    for (Index k = 0; k < d; ++k) inv[k] = simd::div(one, l[k * d + k]);
  // x / Lₖₖ as x·(1/Lₖₖ), which carries the rounding of 1/Lₖₖ; with
  // Quotients, to about an ulp: corrected by the residual x − q·Lₖₖ (exact
  // with an FMA).
  const auto divide = [&](const P& x, Index k) {
    const P q = simd::mul(x, inv[k]);
    if constexpr (!Quotients) return q;
    return simd::madd(simd::madd(simd::neg(q), l[k * d + k], x), inv[k], q);
  };
  if constexpr (!ForwardDone)
    for (Index k = 0; k < d; ++k) {
      eps[k] = divide(eps[k], k);
      const P minus_eps = simd::neg(eps[k]);
      for (Index i = k + 1; i < d; ++i) eps[i] = simd::madd(l[k * d + i], minus_eps, eps[i]);
    }
  for (Index k = 0; k < d; ++k) w[k] = eps[k];
  for (Index k = d - 1; k >= 0; --k) {
    w[k] = divide(w[k], k);
    const P minus_w = simd::neg(w[k]);
    for (Index i = 0; i < k; ++i) w[i] = simd::madd(l[i * d + k], minus_w, w[i]);
  }
  P sq = simd::set1<P>(T(0));
  for (Index k = 0; k < d; ++k) sq = simd::madd(eps[k], eps[k], sq);
  const P log_det = log_diag_product_lanes<P>(d, l);
  // log p = −½‖ε‖² − log det L − (d/2) log 2π
  const P constant = simd::set1<P>(T(d) * half_log_two_pi<T>());
  ws.log_prob = simd::sub(simd::sub(simd::mul(simd::set1<P>(T(-0.5)), sq), log_det), constant);
}

// ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ) of each lane s, stored column-major at
// dst + s·stride: G consecutive entries of the d×d block are formed straight
// from w, ε and 1/Lᵢᵢ, transposed G×G and stored (non-temporally when
// `stream` and the rows allow it), so that no d×d block in lane layout is
// written and read back. Entry (i, j): wᵢ εⱼ below the diagonal,
// wⱼ εⱼ − 1/Lⱼⱼ on it, 0 above.
template <typename P, int D>
EIGEN_ALWAYS_INLINE void store_grad_l_lanes(Index dim, const LaneWorkspace<P>& ws, simd::Scalar<P>* dst,
                                            Index stride, bool stream) {
  using T = simd::Scalar<P>;
  constexpr int G = simd::size<P>;
  const Index d = D == Eigen::Dynamic ? dim : D;
  const Index n = d * d, whole = n - n % G;
  const bool nt = stream && simd::can_stream<P>(dst) && stride % G == 0;
  const P zero = simd::set1<P>(T(0));
  const auto entry = [&](Index i, Index j) {
    if (i < j) return zero;
    const P g = simd::mul(ws.w[i], ws.eps[j]);
    return i == j ? simd::sub(g, ws.inv[j]) : g;
  };
  if (d % G == 0) {  // blocks of G rows within a column
    for (Index j = 0; j < d; ++j)
      for (Index i = 0; i < d; i += G) {
        simd::Block<P> block;
        for (int r = 0; r < G; ++r) block.packet[r] = entry(i + r, j);
        store_transposed<P>(block, dst + j * d + i, stride, nt);
      }
    return;
  }
  Index i = 0, j = 0;  // the row and column of entry k (k = j·d + i)
  const auto next = [&] {
    if (++i == d) {
      i = 0;
      ++j;
    }
  };
  for (Index k = 0; k < whole; k += G) {
    simd::Block<P> block;
    for (int s = 0; s < G; ++s, next()) block.packet[s] = entry(i, j);
    store_transposed<P>(block, dst + k, stride, nt);
  }
  for (Index k = whole; k < n; ++k, next()) simd::scatter(dst + k, entry(i, j), stride);
}

// Adds c_s × (log p, w) of each lane s to the lane-wise totals.
template <typename P>
EIGEN_ALWAYS_INLINE void accumulate_lane_vectors(Index d, const P& c, LaneWorkspace<P>& ws) {
  ws.sum_log_prob = simd::madd(c, ws.log_prob, ws.sum_log_prob);
  for (Index k = 0; k < d; ++k) ws.sum_w[k] = simd::madd(c, ws.w[k], ws.sum_w[k]);
}

// Adds c_s × (log p, w, ∇L) of each lane s to the lane-wise totals.
template <typename P, int D>
EIGEN_ALWAYS_INLINE void accumulate_lanes(Index dim, const P& c, LaneWorkspace<P>& ws) {
  const Index d = D == Eigen::Dynamic ? dim : D;
  accumulate_lane_vectors<P>(d, c, ws);
  for (Index j = 0; j < d; ++j) {
    const P ce = simd::mul(c, ws.eps[j]);
    // c (wⱼ εⱼ − 1/Lⱼⱼ) on the diagonal, c wᵢ εⱼ below it
    ws.grad_l[j * d + j] =
        simd::add(ws.grad_l[j * d + j], simd::sub(simd::mul(ws.w[j], ce), simd::mul(c, ws.inv[j])));
    for (Index i = j + 1; i < d; ++i) ws.grad_l[j * d + i] = simd::madd(ws.w[i], ce, ws.grad_l[j * d + i]);
  }
}

// log p, ∇μ = w and ∇a = −w of the G samples stored sample by sample
// (ws.w is negated on the way).
template <typename P>
EIGEN_ALWAYS_INLINE void store_lane_vectors(Index d, LaneWorkspace<P>& ws, simd::Scalar<P>* log_prob,
                                            simd::Scalar<P>* grad_loc, simd::Scalar<P>* grad_action) {
  simd::storeu(log_prob, ws.log_prob);
  from_lanes<P>(ws.w.data(), d, grad_loc, d);
  for (Index k = 0; k < d; ++k) ws.w[k] = simd::neg(ws.w[k]);
  from_lanes<P>(ws.w.data(), d, grad_action, d);
}

// The lane-wise totals of c log p and c w (horizontal sums) added to the
// batch sums: log p, ∇μ += Σ c w, ∇a −= Σ c w.
template <typename P>
void add_lane_vector_totals(Index d, const LaneWorkspace<P>& ws, simd::Scalar<P>& log_prob,
                            simd::Scalar<P>* grad_loc, simd::Scalar<P>* grad_action) {
  using T = simd::Scalar<P>;
  log_prob += simd::reduce_add(ws.sum_log_prob);
  for (Index k = 0; k < d; ++k) {
    const T wk = simd::reduce_add(ws.sum_w[static_cast<size_t>(k)]);
    grad_loc[k] += wk;
    grad_action[k] -= wk;
  }
}

}  // namespace scorebench::kernels

#pragma GCC diagnostic pop

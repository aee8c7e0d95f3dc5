#pragma once
// The `scale_tril` score of one sample on raw column-major storage, with the
// dimension fixed at compile time where it is small (D = 1…8, 16) and
// D = Eigen::Dynamic otherwise. No heap allocation: the d-vectors of scratch
// are the caller's (the fixed-size kernel keeps its own in registers).
//
//   ε = L⁻¹ r,  w = L⁻ᵀ ε,  log p = −½‖ε‖² − Σ log Lᵢᵢ − (d/2) log 2π
//   ∇μ = w,  ∇a = −w,  ∇L = tril(w εᵀ) − diag(1/Lᵢᵢ)
//
// With Sum = true the sample is added, weighted by c, into the accumulators
// (the per-sample ∇L is never formed).

#include <cmath>
#include <limits>
#include <type_traits>

#include "scorebench/eigen_types.hpp"
#include "scorebench/kernels/log_prob.hpp"

namespace scorebench::kernels {

// D fixed: ε, w and 1/Lᵢᵢ in arrays whose loops have constant bounds, so the
// compiler unrolls them and keeps the vectors in registers. (Written with
// Eigen's dynamic-length tail() and dot(), each substitution step stores an
// entry and reloads it inside a wider vector load, which the store buffer
// cannot forward: a stall per step, most of the one-sample time at d = 8.)
// Unrolls the loop that follows completely (GCC, and Clang, which reads the same pragma).
#define SCOREBENCH_UNROLL _Pragma("GCC unroll 16")

template <typename T, int D, bool Sum>
void scale_tril_sample_fixed(const T* l, const T* mu, const T* a, T c, T& log_prob, T* grad_loc,
                             T* grad_action, T* grad_l) {
  T inv[D], eps[D], w[D];
  SCOREBENCH_UNROLL
  for (int k = 0; k < D; ++k) inv[k] = T(1) / l[k * D + k];
  SCOREBENCH_UNROLL
  for (int i = 0; i < D; ++i) eps[i] = a[i] - mu[i];
  // ε = L⁻¹ r by columns: εₖ = rₖ / Lₖₖ, then r₍ₖ₊₁:₎ −= L₍ₖ₊₁:,ₖ₎ εₖ.
  SCOREBENCH_UNROLL
  for (int k = 0; k < D; ++k) {
    eps[k] *= inv[k];
    SCOREBENCH_UNROLL
    for (int i = k + 1; i < D; ++i) eps[i] -= l[k * D + i] * eps[k];
  }
  // w = L⁻ᵀ ε by columns of Lᵀ (rows of L): wₖ = tₖ / Lₖₖ, then
  // t₍:ₖ₎ −= L₍ₖ,:ₖ₎ wₖ, from t = ε; the lane kernels' order. (As dot
  // products, wₖ = (εₖ − L₍ₖ₊₁:,ₖ₎ · w₍ₖ₊₁:₎) / Lₖₖ, each wₖ waited for a
  // chain of d − k − 1 additions that starts with wₖ₊₁; here for one.)
  SCOREBENCH_UNROLL
  for (int i = 0; i < D; ++i) w[i] = eps[i];
  SCOREBENCH_UNROLL
  for (int k = D - 1; k >= 0; --k) {
    w[k] *= inv[k];
    SCOREBENCH_UNROLL
    for (int j = 0; j < k; ++j) w[j] -= l[j * D + k] * w[k];
  }
  T q(0);
  SCOREBENCH_UNROLL
  for (int i = 0; i < D; ++i) q += eps[i] * eps[i];
  const T lp = gaussian_log_prob(q, sum_log(l, D, D + 1), D);
  if constexpr (!Sum) {
    log_prob = lp;
    SCOREBENCH_UNROLL
    for (int i = 0; i < D; ++i) {
      grad_loc[i] = w[i];
      grad_action[i] = -w[i];
    }
    SCOREBENCH_UNROLL
    for (int j = 0; j < D; ++j) {
      SCOREBENCH_UNROLL
      for (int i = 0; i < j; ++i) grad_l[j * D + i] = T(0);
      grad_l[j * D + j] = w[j] * eps[j] - inv[j];  // tril(w εᵀ) − diag(1/L)
      SCOREBENCH_UNROLL
      for (int i = j + 1; i < D; ++i) grad_l[j * D + i] = w[i] * eps[j];  // tril(w εᵀ)
    }
  } else {
    log_prob += c * lp;
    SCOREBENCH_UNROLL
    for (int i = 0; i < D; ++i) {
      grad_loc[i] += c * w[i];
      grad_action[i] -= c * w[i];
    }
    SCOREBENCH_UNROLL
    for (int j = 0; j < D; ++j) {
      const T ce = c * eps[j];
      SCOREBENCH_UNROLL
      for (int i = j; i < D; ++i) grad_l[j * D + i] += w[i] * ce;
      grad_l[j * D + j] -= c * inv[j];
    }
  }
}

#undef SCOREBENCH_UNROLL

template <typename T, int D, bool Sum>
void scale_tril_sample(Index dim, const T* l_data, const T* mu, const T* a, T* eps_data, T* w_data,
                       T* inv_data, T c, T& log_prob, T* grad_loc, T* grad_action, T* grad_l) {
  if constexpr (D != Eigen::Dynamic) {
    static_cast<void>(dim), static_cast<void>(eps_data), static_cast<void>(w_data),
        static_cast<void>(inv_data);
    return scale_tril_sample_fixed<T, D, Sum>(l_data, mu, a, c, log_prob, grad_loc, grad_action, grad_l);
  }
  using MatD = Eigen::Matrix<T, D, D>;
  using VecD = Eigen::Matrix<T, D, 1>;
  const Index d = D == Eigen::Dynamic ? dim : D;
  const Eigen::Map<const MatD> l(l_data, d, d);
  Eigen::Map<VecD> eps(eps_data, d), w(w_data, d), inv(inv_data, d);
  // 1/Lᵢᵢ, independent of each other and of the solves: the substitutions
  // below multiply by them instead of dividing inside their dependency chain
  // (one more rounding per entry, within the c·d·κ·u contract).
  inv = l.diagonal().cwiseInverse();
  // ε = L⁻¹ r by columns: εₖ = rₖ / Lₖₖ, then r₍ₖ₊₁:₎ −= L₍ₖ₊₁:,ₖ₎ εₖ.
  eps = Eigen::Map<const VecD>(a, d) - Eigen::Map<const VecD>(mu, d);
  for (Index k = 0; k < d; ++k) {
    eps(k) *= inv(k);
    eps.tail(d - 1 - k) -= l.col(k).tail(d - 1 - k) * eps(k);
  }
  // w = L⁻ᵀ ε by rows of Lᵀ: wₖ = (εₖ − L₍ₖ₊₁:,ₖ₎ · w₍ₖ₊₁:₎) / Lₖₖ.
  for (Index k = d - 1; k >= 0; --k)
    w(k) = (eps(k) - l.col(k).tail(d - 1 - k).dot(w.tail(d - 1 - k))) * inv(k);
  const T lp = gaussian_log_prob(eps.squaredNorm(), sum_log(l_data, d, d + 1), d);
  Eigen::Map<VecD> gl(grad_loc, d), ga(grad_action, d);
  Eigen::Map<MatD> g(grad_l, d, d);
  if constexpr (!Sum) {
    log_prob = lp;
    gl = w;
    ga = -w;
    for (Index j = 0; j < d; ++j) {
      g.col(j).head(j).setZero();
      g.col(j).tail(d - j) = w.tail(d - j) * eps(j);  // tril(w εᵀ)
      g(j, j) -= inv(j);                              // − diag(1/L)
    }
  } else {
    log_prob += c * lp;
    gl += c * w;
    ga -= c * w;
    for (Index j = 0; j < d; ++j) {
      g.col(j).tail(d - j) += w.tail(d - j) * (c * eps(j));
      g(j, j) -= c * inv(j);
    }
  }
}

// Calls f(std::integral_constant<int, D>{}) with D = d for the dimensions
// that have an unrolled kernel, D = Eigen::Dynamic otherwise.
template <typename F>
void dispatch_dimension(Index d, F&& f) {
  switch (d) {
    case 1: return f(std::integral_constant<int, 1>{});
    case 2: return f(std::integral_constant<int, 2>{});
    case 3: return f(std::integral_constant<int, 3>{});
    case 4: return f(std::integral_constant<int, 4>{});
    case 5: return f(std::integral_constant<int, 5>{});
    case 6: return f(std::integral_constant<int, 6>{});
    case 7: return f(std::integral_constant<int, 7>{});
    case 8: return f(std::integral_constant<int, 8>{});
    case 16: return f(std::integral_constant<int, 16>{});
    default: return f(std::integral_constant<int, Eigen::Dynamic>{});
  }
}

}  // namespace scorebench::kernels

#include "scorebench/verification/rounding_model.hpp"

namespace scorebench::verification {

const char* name(Route r) {
  switch (r) {
    case Route::own_factor: return "own_factor";
    case Route::through_sigma: return "through_sigma";
    case Route::unknown: return "unknown";
  }
  return "unknown";
}

namespace {

// Relative errors of the intermediates, first order, in units of u (n = d):
//   r = fl(a − μ)                                 1
//   a triangular solve (γ_{n+1}: n products and sums, and the division or
//     the product with a stored reciprocal 1/Lᵢᵢ)  n + 1
//   Cholesky, backward error in Σ (γ_{n+1}, one more for 1/Cⱼⱼ)   n + 2
//   a triangular inverse X = C⁻¹, each of the recursive halves a solve and
//     a product                                   2n + 2
//   the product XᵀX or Λ r                        n
// A quantity's error is the sum of its inputs' errors (times κ where a
// solve or an inverse amplifies them) and its own roundings; a product of
// two quantities carries the sum of their relative errors.

RoundingCount own_factor(Parameterization p, Block b) {
  const bool loc = b == Block::grad_loc || b == Block::grad_action;
  switch (p) {
    case Parameterization::scale_tril:
      // ε: r + solve = n + 2; w: ε + solve = 2n + 3.
      // log p: ‖ε‖² carries 2(n + 2), the d-term sum of squares n, the d
      //   logarithms and their sum n + 1, the constant d·½log 2π and the
      //   two subtractions 4.
      // ∇L: w εᵀ carries (2n + 3) + (n + 2) = 3n + 5; the product, 1/Lᵢᵢ and
      //   the subtraction 3.
      if (b == Block::log_prob) return {2, 4, 2, 5};
      if (loc) return {2, 3, 0, 0};
      return {3, 5, 0, 3};
    case Parameterization::covariance_matrix:
      // C = chol(Σ): n + 2 in Σ. ε: (n + 2) + (n + 2) = 2n + 4;
      // w: (n + 2) + (2n + 3) = 3n + 5. Σ⁻¹ = XᵀX: (n + 2) + 2(2n + 2) + n = 6n + 6.
      // log p: 2(2n + 4) for ‖ε‖², and log det C moves by tr(Σ⁻¹ΔΣ) ≤ n κ (n + 2) u
      //   absolutely, which is ≤ 1.1 κ (n + 2) u relative to the block's
      //   magnitude (≥ d·½log 2π = 0.92 d): 4n + 8 + 1.1(n + 2) ≤ 6n + 11.
      // ∇Σ = ½(w wᵀ − Σ⁻¹): max(2(3n + 5), 6n + 6) = 6n + 10; product and
      //   subtraction 2 (the ½ is exact).
      if (b == Block::log_prob) return {6, 11, 2, 5};
      if (loc) return {3, 5, 0, 0};
      return {6, 10, 0, 2};
    case Parameterization::precision_matrix:
      // K = chol(Λ): n + 2 in Λ. analytic: w = Λ r, r and the product:
      //   n + 1; reparameterization: L = chol(K⁻ᵀK⁻¹) and w = L⁻ᵀε:
      //   (6n + 6) + (n + 2) + (n + 1) = 8n + 9, the larger.
      // log p: ‖Kᵀr‖² carries 2((n + 2) + (n + 1)) = 4n + 6, log det K moves
      //   by 1.1(n + 2): 6n + 9 (reparameterization: ε exact, only log det).
      // ∇Λ = ½(Σ − r rᵀ): Σ = K⁻ᵀK⁻¹ 6n + 6; reparameterization's
      //   r = L ε: (7n + 8) + n = 8n + 8, the larger; product and subtraction 2.
      if (b == Block::log_prob) return {6, 9, 2, 5};
      if (loc) return {8, 9, 0, 0};
      return {8, 8, 0, 2};
    case Parameterization::scale_diag:
      // One coordinate at a time (κ^0): ε = r·(1/σ): 1 + 2 = 3; w = ε·(1/σ): 5.
      // log p: ε² 2·3 + 1, the sums and logarithms 2n + 1, the constant and
      //   subtractions 4: 2n + 12 (≥ 2n + 11 counted per term).
      // ∇σ = (ε² − 1)·(1/σ): 2·3 + 1 (square) + 1 (subtraction) + 2 = 10.
      if (b == Block::log_prob) return {2, 12, 0, 0};
      if (loc) return {0, 5, 0, 0};
      return {0, 10, 0, 0};
  }
  return {};
}

RoundingCount through_sigma(Parameterization p, Block b) {
  const bool loc = b == Block::grad_loc || b == Block::grad_action;
  if (p == Parameterization::scale_diag) {
    // One coordinate at a time: Σᵢᵢ = σᵢ² 1; its inverse (LU: 1/Σᵢᵢ; Cholesky:
    // (1/√Σᵢᵢ)²) ≤ 6; w = Σ⁻¹ r or two divisions by √Σᵢᵢ: ≤ 9;
    // G = ½(w² − Σ⁻¹ᵢᵢ): 2·9 + 2 = 20; ∇σ = 2 G σ: 22 (LU: 12, Cholesky: 16).
    // log p: r w or ε²: 2·9 + 1; log Σᵢᵢ or log √Σᵢᵢ: 2; sums and constant 2n + 5.
    if (b == Block::log_prob) return {2, 26, 0, 0};
    if (loc) return {0, 9, 0, 0};
    return {0, 22, 0, 0};
  }
  // s: forming Σ. L Lᵀ: n; Σ itself: 0; Λ⁻¹ (Cholesky, X = K⁻¹, XᵀX, or
  // an LU inverse): 6n + 6.
  const double s_per_d = p == Parameterization::scale_tril         ? 1
                         : p == Parameterization::precision_matrix ? 6
                                                                   : 0;
  const double s_const = p == Parameterization::precision_matrix ? 6 : 0;
  // Σ⁻¹ by an LU inverse (≤ 3n + 3, Higham §14.3) or C⁻ᵀC⁻¹ (n + 2 + 2(2n + 2) + n,
  // counted against the LU's 3n + 3 plus the product n + 1): w = Σ⁻¹ r carries
  // s + 4n + 4 (the two solves' 3n + 5 is smaller).
  if (loc) return {s_per_d + 4, s_const + 4, 0, 0};
  // log p = −½ rᵀw (or ‖ε‖²) − ½ log det: 2(s + 4n + 4) for the quadratic form;
  // log det from U or C moves by ≤ 1.1(3n + 3 + s); ≤ 4s + 12n + 12.
  if (b == Block::log_prob) return {4 * s_per_d + 12, 4 * s_const + 12, 2, 5};
  // G = ½(w wᵀ − Σ⁻¹): 2(s + 4n + 4); then the chain rule:
  switch (p) {
    case Parameterization::covariance_matrix:
      return {8, 8, 0, 2};  // G itself
    // 2 tril(G L): + n for the product (κ^1.5, kappa_power).
    case Parameterization::scale_tril: return {2 * s_per_d + 9, 2 * s_const + 8, 0, 2};
    // −Σ G Σ: + 2n for the products and 2s for Σ's own error (κ², kappa_power).
    case Parameterization::precision_matrix: return {4 * s_per_d + 10, 4 * s_const + 8, 0, 2};
    case Parameterization::scale_diag: break;
  }
  return {};
}

}  // namespace

RoundingCount rounding_count(Route r, Parameterization p, Block b) {
  return r == Route::own_factor ? own_factor(p, b) : through_sigma(p, b);
}

double kappa_power(Route r, Parameterization p) {
  if (p == Parameterization::scale_diag) return r == Route::unknown ? 1 : 0;
  if (r == Route::own_factor) return 1;
  if (p == Parameterization::scale_tril) return 1.5;
  if (p == Parameterization::precision_matrix) return 2;
  return 1;
}

}  // namespace scorebench::verification

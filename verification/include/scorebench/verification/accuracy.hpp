#pragma once
// The accuracy model. For each output block the computed ĝ is compared with
// the 50-digit reference g:
//
//   error  = ‖ĝ − g‖_F / ‖g‖_F                      (normwise relative)
//   ρ      = ‖m‖_F / ‖g‖_F ≥ 1                      (m: the block's terms in
//            absolute value, reference.hpp; ρ = 1 without cancellation)
//   bound  = c · d · κ(Σ)^p · u · ρ
//   ratio  = error / bound                          (≤ 1 within contract)
//
// with u the unit roundoff of the dtype, κ(Σ) the 2-norm condition number of
// the stored parameter, and c, p from the method's contract (contract.hpp).
// The worst entry (largest |ĝᵢⱼ − gᵢⱼ|) is kept with its sample and index.
//
// Why c·d·κ·u. Every step of the backward-stable routes has a backward error
// of order d·u (Higham, Accuracy and Stability of Numerical Algorithms, 2nd
// ed.): Cholesky, (L + ΔL)(L + ΔL)ᵀ = Σ + ΔΣ with |ΔΣ| ≤ γ_{d+1}|L||Lᵀ|
// (Thm 10.3); triangular solves, (L + ΔL) x̂ = b with |ΔL| ≤ γ_d |L| (Thm
// 8.5); the LU-based inverse, residual bounds of order γ_d |L̂||Û||X̂| (§14.3);
// inner and matrix products, |fl(xᵀy) − xᵀy| ≤ γ_d |x|ᵀ|y| (§3.1). A backward
// error η = O(d u) in Σ moves w = Σ⁻¹ r, Σ⁻¹ and log det Σ by at most
// κ(Σ) η relatively (Thm 7.2 and its analogue for the inverse, §14.1), hence
// c·d·κ·u; the final subtraction of the gradient's terms (w wᵀ − Σ⁻¹,
// w εᵀ − diag(1/L), ε² − 1, Σ − r rᵀ) adds the factor ρ. Routes that invert
// twice (Λ → Σ → Σ⁻¹) or chain through Σ G Σ lose a second factor κ: their
// contracts say p = 2. The factor d is the worst case (γ_d = d u/(1 − d u));
// observed errors grow like √d, so ratios well below 1 are the norm.

#include <string>
#include <vector>

#include "scorebench/result.hpp"
#include "scorebench/verification/reference.hpp"

namespace scorebench::verification {

struct BlockError {
  Block block = Block::log_prob;
  std::string name;  // block_name()
  double error = 0, rho = 1, bound = 0, ratio = 0;
  // Worst entry: its sample (-1 for a weighted sum), row and column within
  // the sample's block, the computed value and the reference.
  Index sample = 0, row = 0, col = 0;
  double value = 0, reference = 0;
  std::string structure;  // non-empty: a structural violation (e.g. non-zero above L's diagonal)
};

// `computed` is laid out as `ref.value` (log_prob as a 1 × n row);
// `unit_bound` is c · d · κ^p · u.
template <typename T>
BlockError measure_block(Block block, Parameterization p, bool sum, const Mat<T>& computed,
                         const BlockReference& ref, double unit_bound);

// All four blocks of a Result against a Reference.
template <typename T>
std::vector<BlockError> measure(const Result<T>& result, const Reference& ref, double unit_bound);

}  // namespace scorebench::verification

#pragma once
// The accuracy model. For each output block the computed ĝ is compared with
// the 50-digit reference g:
//
//   error  = ‖ĝ − g‖_F / ‖g‖_F                      (normwise relative;
//            / ‖m‖_F with ρ = 1 where g is exactly 0)
//   ρ      = ‖m‖_F / ‖g‖_F ≥ 1                      (m: the block's terms in
//            absolute value, weights included as |c_b| (reference.hpp);
//            ρ = 1 without cancellation)
//   bound  = c · u · [(a·d + b + B)·κ(Σ)^p + e·d + f] · ρ
//   ratio  = error / bound                          (≤ 1 within contract)
//
// with u the unit roundoff of the dtype, κ(Σ) the 2-norm condition number of
// the stored parameters, a, b, e, f the roundings the method's route makes
// in this block (rounding_model.hpp: the amplified ones and the final
// formula's own), B the number of samples of a weighted sum (0 for
// per-sample gradients), and c, p from the method's contract (contract.hpp).
// Each term's error is relative to its own magnitude, so the bound scales
// with m, not with g: ρ is the conditioning of the final sums (w wᵀ − Σ⁻¹,
// ε² − 1, Σ_b c_b g_b with weights of both signs), which no algorithm can do
// better than. The worst entry (largest |ĝᵢⱼ − gᵢⱼ|) is kept with its sample
// and index.

#include <array>
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
// `unit_bound` is the contract's bound for the block before ρ. The entries
// of sample `invalid` (per-sample outputs; −1 for none) are not measured:
// each must be NaN (Result), or the block has a structural violation.
template <typename T>
BlockError measure_block(Block block, Parameterization p, bool sum, const Mat<T>& computed,
                         const BlockReference& ref, double unit_bound, Index invalid = -1);

// All four blocks of a Result against a Reference, each with its unit bound
// (indexed by Block).
template <typename T>
std::vector<BlockError> measure(const Result<T>& result, const Reference& ref,
                                const std::array<double, 4>& unit_bounds);

}  // namespace scorebench::verification

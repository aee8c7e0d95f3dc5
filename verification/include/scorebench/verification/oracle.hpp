#pragma once
// The formula-independent oracle: derivatives of the generic log-density
// (log_density.hpp) by 50-digit central differences, one direction per free
// input (μᵢ, aᵢ, the lower triangle of a matrix parameter, σᵢ).
//
// The sixth-order stencil
//   f'(x) ≈ [45 (f₁ − f₋₁) − 9 (f₂ − f₋₂) + (f₃ − f₋₃)] / (60 h),  fₖ = f(x + k h)
// has truncation error h⁶ f⁽⁷⁾/140. The step is h = δ·s with δ = 10⁻⁶ and s
// the input's smallest scale (√λ_min(Σ) for μ, a and L; λ_min of Σ or Λ;
// min σ), on which f varies: the relative truncation error is about
// δ⁶ = 10⁻³⁶. The log-density is itself evaluated with a relative error of
// about κ·u₅₀ (its Cholesky), which the difference quotient divides by δ:
// about 10⁻³⁶·κ·|f|, so some 30 digits survive at κ = 10¹² and 40 at κ = 1.
//
// log_prob reads only the lower triangle of a symmetric parameter, so the
// derivative D_ij along entry (i, j), i > j, moves a_ij and a_ji together:
// D_ij = 2 G_ij in the symmetric convention of DESIGN §1, and G_ij = G_ji =
// D_ij / 2. Entries above the diagonal of L get gradient 0.

#include "scorebench/verification/reference.hpp"

namespace scorebench::verification {

struct OracleGradient {
  mp50 log_prob;
  Vec<mp50> grad_loc, grad_action;
  Mat<mp50> grad_param;
};

OracleGradient central_difference_oracle(Parameterization p, const Vec<mp50>& loc, const Vec<mp50>& action,
                                         const Mat<mp50>& param);

// Significant digits on which two blocks agree: −log10(‖x − y‖_F / ‖y‖_F)
// (60 when they are equal).
double agreeing_digits(const Mat<mp50>& x, const Mat<mp50>& y);

// The step scales of the oracle: the smallest scale of μ and a (√λ_min(Σ))
// and of the parameter's entries, from the parameter's spectrum in double.
struct StepScales {
  double vector = 1, param = 1;
};
StepScales step_scales(Parameterization p, const Mat<double>& param);

}  // namespace scorebench::verification

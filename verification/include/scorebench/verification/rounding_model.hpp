#pragma once
// The roundings a route makes, counted per output block: the derived part of
// the accuracy bound (accuracy.hpp; the derivation, route by route, is in
// verification/README.md, "The accuracy model").
//
// For a block of one sample, in units of the dtype's unit roundoff u,
//
//   count = (a·d + b)·κ^p  +  (e·d + f)
//
// (a·d + b): the roundings whose effect the conditioning amplifies: the
//   residual r = a − μ, the backward errors of the factorizations,
//   triangular solves and inversions (γ_{d+1}, γ_{d+2}, … of Higham's
//   Thms 8.5, 10.3 and §14), each a perturbation of the data that moves
//   w = Σ⁻¹r, Σ⁻¹ or Σ by at most κ(Σ) times itself, first order;
// (e·d + f): the final formula's own roundings, which nothing amplifies: the
//   products w εᵀ, the reciprocals, the subtraction of the gradient's terms,
//   the d logarithms and the d-term sums of the log-density.
// A weighted sum over B samples adds B to the amplified part: the product
// c_b·g_b and the B − 1 additions (γ_B), amplified where the shared path
// solves after summing (tril(L⁻ᵀ E diag(c) Eᵀ)).
//
// Every count includes the roundings that do not grow with d (at d = 1 a
// route still forms r, divides twice, squares and subtracts), which the
// earlier c·d·κ·u form left out.

#include "scorebench/parameterization.hpp"
#include "scorebench/verification/reference.hpp"

namespace scorebench::verification {

// The route class of a method's error analysis.
enum class Route {
  // Closed forms in the parameter's own factor: L as given, C = chol(Σ),
  // K = chol(Λ) with w = Λr, σ (analytic, reparameterization; autodiff_forward
  // on scale_tril and scale_diag, whose tangents follow the same solves).
  own_factor,
  // Σ formed from the parameter (L Lᵀ, Λ⁻¹, σ²), factored or inverted (the
  // LU inverse dominates the Cholesky route), G = ½(w wᵀ − Σ⁻¹) and the chain
  // rule back: cholesky_solve, explicit_inverse, the AD methods on Σ and Λ.
  through_sigma,
  // A method whose route is not known (a user's or an outside method): the
  // counts of through_sigma, and the diagonal case amplified by κ as well.
  unknown,
};
const char* name(Route r);

struct RoundingCount {
  double kappa_per_d = 0, kappa_const = 0;  // a, b: amplified by κ^p
  double final_per_d = 0, final_const = 0;  // e, f: not amplified
};

RoundingCount rounding_count(Route r, Parameterization p, Block b);

// p of κ^p: 1 for the routes in Σ's own factor; 1.5 for ∇L through Σ (the
// chain rule 2 tril(G L) cancels to tril(w εᵀ) − diag(1/L) and loses
// κ(L) = κ^½ on top of G's κ); 2 for ∇Λ through Σ (−Σ G Σ loses a further
// κ); 0 for a diagonal σ on a known route (every operation is on one
// coordinate, so nothing mixes coordinates of different scale).
double kappa_power(Route r, Parameterization p);

}  // namespace scorebench::verification

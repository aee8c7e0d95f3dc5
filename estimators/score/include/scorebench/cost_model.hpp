#pragma once
// How much arithmetic a method does: the flop model behind the benchmarks'
// flops_per_second counter and roof fractions (benchmarks/src/models.hpp),
// stated by the method beside its registration, not recognised by its name.
//
// Counts are at the granularity of the building blocks, with these unit
// costs for dimension d:
//
//   triangular solve or triangular matrix-vector product   d²
//   matrix-vector product                                  2d²
//   Cholesky                                               d³/3
//   triangular inverse, or C⁻ᵀC⁻¹ from it (lower half)     d³/3 each
//   LU                                                     2d³/3
//   inverse from the LU                                    4d³/3
//   d×d matrix product                                     2d³
//   gradient of the closed form: tril(w εᵀ)                d²/2
//                                ½(w wᵀ − Σ⁻¹), ½(Σ − r rᵀ)  3d²

#include "scorebench/parameterization.hpp"

namespace scorebench {

// Flops per distinct parameter block and per sample (before the weighted
// sum's accumulation) at dimension d.
struct FlopCount {
  double per_param = 0;
  double per_sample = 0;
};

struct CostModel {
  // nullptr: not stated (a user's method), counted as a Cholesky per
  // parameter and 5d² per sample.
  FlopCount (*flops)(Parameterization p, double d) = nullptr;
  // A shared parameter is worked on once per sample when per-sample
  // gradients are asked for (libtorch clones it per sample).
  bool shared_param_per_sample_for_grads = false;
  // The weighted sum with a shared matrix parameter runs in matrix shapes: a
  // product with inner dimension B of which only the lower triangle is
  // formed, d(d+1)·B; for scale_tril E diag(c) Eᵀ, which replaces the solve
  // W = L⁻ᵀE (d²·B) by one d×d solve (d³).
  bool shared_sum_in_matrix_shapes = false;
  // Roughly the flop/s the method sustains, and for a matrix parameter an
  // extra d³ per sample at that rate (libtorch's batched triangular solve):
  // how the benchmark grid caps a call at about a second.
  double sustained_flops_per_second = 2e9;
  double extra_cubic_per_sample_at = 0;  // flop/s of that d³ term; 0 for none
};

}  // namespace scorebench

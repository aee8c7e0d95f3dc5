#pragma once
// Memory estimates that let a command refuse a size that cannot fit, up
// front and with the figure, instead of allocating until the machine runs
// out (DESIGN §6: bad input gets a clear error, never a crash or a run that
// runs away). The models count the dominant arrays of each route; the
// autodiff_forward one was checked against the peak resident memory of
// `scorebench eval` (estimators/score/tests/resources_test.cpp states the figures).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "scorebench/capabilities.hpp"
#include "scorebench/eigen_types.hpp"
#include "scorebench/parameterization.hpp"

namespace scorebench {

// The share of physical memory one run may plan to use. The rest is left to
// the system, the other processes and the slack of the models.
inline constexpr double kMemoryShare = 0.5;

// Physical memory of this machine in bytes; 0 when it cannot be found.
double physical_memory_bytes();

// Peak memory, in bytes, of the score of one sample by a method with these
// capabilities at dimension d in a scalar of `scalar_bytes` bytes:
//   carries_every_derivative (autodiff_forward)  every input entry is a variable, so each of the
//                     n = 2d + (d(d+1)/2 for a matrix, d for scale_diag)
//                     derivatives is carried by every intermediate value:
//                     ≈ (d² matrix entries, 2d² for Σ or Λ whose Cholesky
//                     factor is a second matrix) × (n scalars + 48 bytes of
//                     vector header): O(d⁴) memory (and O(d⁵) time, each of
//                     the d³/3 operations of the Cholesky factorisation
//                     touching n derivatives);
//   the other methods O(d²): about 8 d×d matrices (the parameter, Σ or its
//                     factor, an inverse, the gradient, temporaries), O(d)
//                     for scale_diag.
double score_sample_bytes(const Capabilities& method, Parameterization p, Index d, std::size_t scalar_bytes);

// "1.5 GiB", "64.0 TiB".
std::string format_bytes(double bytes);

// nullopt when `bytes` is at most kMemoryShare of `memory` (or `memory` is
// unknown, 0); otherwise "about B, more than half of the M of memory of this
// machine".
std::optional<std::string> exceeds_memory(double bytes, double memory);

}  // namespace scorebench

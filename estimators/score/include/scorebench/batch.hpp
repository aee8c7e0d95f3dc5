#pragma once
// A batch of B Gaussian log-density evaluations in dimension d, and what to
// compute from it.
//
// Storage is column-major and contiguous so that a batch maps onto matrix
// shapes: column b of `loc`, `action` and `noise` belongs to sample b, and
// parameter block b is the d×d (or d×1 for scale_diag) slice of `param`
// starting at column b·d (or b). A parameter with a single block is shared by
// every sample (the state-independent covariance); with B blocks each sample
// has its own (the state-dependent covariance).

#include <algorithm>

#include "scorebench/eigen_types.hpp"
#include "scorebench/parameterization.hpp"

namespace scorebench {

template <typename T>
struct Batch {
  Parameterization parameterization = Parameterization::scale_tril;
  Mat<T> loc;     // d × B, or d × 1 broadcast to every sample
  Mat<T> action;  // d × B; may be empty when `noise` is given
  Mat<T> noise;   // d × B, ε with action = loc + L ε (Σ = L Lᵀ, L lower); may be empty
  Mat<T> param;   // d × (d·P) (matrices) or d × P (scale_diag); P = 1 or B

  Index dim() const { return loc.rows(); }
  Index size() const { return std::max(action.cols(), noise.cols()); }
  Index block_cols() const { return is_matrix(parameterization) ? dim() : 1; }
  Index param_count() const { return block_cols() == 0 ? 0 : param.cols() / block_cols(); }
  bool shared_param() const { return param_count() == 1; }

  auto loc_of(Index b) const { return loc.col(loc.cols() == 1 ? 0 : b); }
  auto action_of(Index b) const { return action.col(b); }
  auto noise_of(Index b) const { return noise.col(b); }
  // Parameter block used by sample b.
  auto param_of(Index b) const {
    return param.middleCols((shared_param() ? 0 : b) * block_cols(), block_cols());
  }
};

// Per-sample gradients, or the weighted batch sum Σ_b c_b ∇ log p_b (the
// REINFORCE accumulation) computed without materialising B gradients.
enum class Output { grads, sum };

inline const char* name(Output o) { return o == Output::grads ? "grads" : "sum"; }

template <typename T>
struct Request {
  Output output = Output::grads;
  Vec<T> weights;  // c_b for Output::sum; empty means every c_b = 1
  // Threads over the batch (0: one per core). Results do not depend on it.
  int threads = 1;
};

}  // namespace scorebench

#pragma once
// Test cases for the gate: SPD matrices Σ = Q diag(λ) Qᵀ with Q Haar-random
// and a prescribed condition number κ(Σ) = λ_max/λ_min, an overall scale
// spread over four decades, actions in the bulk (ε ~ N(0, I)) or far in the
// tails (‖ε‖ = 10), any dimension, float or double, every parameterization.
// A case is a batch of B samples with one parameter block per sample (the
// shared-parameter view uses the first block). Every case is a pure function
// of its CaseSpec, whose seed is recorded with the results.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scorebench/batch.hpp"

namespace scorebench::verification {

enum class Dtype { f64, f32 };
enum class ActionKind { bulk, tail };

inline const char* name(Dtype t) { return t == Dtype::f64 ? "f64" : "f32"; }
inline const char* name(ActionKind a) { return a == ActionKind::bulk ? "bulk" : "tail"; }

// Unit roundoff of the dtype: 2^-53 or 2^-24.
inline double unit_roundoff(Dtype t) { return t == Dtype::f64 ? 0x1p-53 : 0x1p-24; }

struct CaseSpec {
  Parameterization parameterization = Parameterization::scale_tril;
  Dtype dtype = Dtype::f64;
  Index dim = 2;
  double kappa = 1;  // prescribed κ(Σ)
  ActionKind action = ActionKind::bulk;
  // Per-sample kernels run G samples per SIMD group (8 floats or 4 doubles
  // with AVX2): 9 samples hold a whole group and a tail in every dtype.
  Index batch = 9;
  std::uint64_t seed = 0;
};

struct Case {
  CaseSpec spec;
  // Per-sample parameters (spec.batch blocks), loc (one column per sample),
  // action = loc + L ε rounded to the dtype, and ε itself. For f32 every value
  // is a float, held exactly in a double.
  Batch<double> batch;
  Vec<double> weights;  // c_b of the weighted-sum output, in [1/2, 3/2]
  double kappa = 1;     // κ(Σ) of the stored parameters (largest over blocks)
  // Set when the prescribed matrix does not survive rounding to the dtype
  // (e.g. a float covariance with κ = 1e12 is no longer positive definite).
  std::optional<std::string> skipped;

  std::string id() const;
};

Case make_case(const CaseSpec& spec);

// The same samples with the first parameter block shared by all of them.
Batch<double> shared_batch(const Case& c);

// Exact conversion of a case's batch into the dtype of evaluation.
template <typename T>
Batch<T> cast_batch(const Batch<double>& b) {
  Batch<T> out;
  out.parameterization = b.parameterization;
  out.loc = b.loc.cast<T>();
  out.action = b.action.cast<T>();
  out.noise = b.noise.cast<T>();
  out.param = b.param.cast<T>();
  return out;
}

// The prescribed condition numbers of DESIGN §4.
inline const std::vector<double>& kappa_levels() {
  static const std::vector<double> k = {1e0, 1e2, 1e4, 1e6, 1e8, 1e10, 1e12};
  return k;
}

// splitmix64: decorrelated seeds from a base seed and a counter.
std::uint64_t mix_seed(std::uint64_t base, std::uint64_t counter);

}  // namespace scorebench::verification

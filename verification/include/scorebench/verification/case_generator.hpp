#pragma once
// Test cases for the gate: SPD matrices Σ = Q diag(λ) Qᵀ with Q Haar-random
// and a prescribed condition number κ(Σ) = λ_max/λ_min, an overall scale
// spread over four decades, actions in the bulk (ε ~ N(0, I)) or far in the
// tails (‖ε‖ = 10), any dimension, float or double, every parameterization.
// A case is a batch of B samples with one parameter block per sample (the
// shared-parameter view uses the first block). Every case is a pure function
// of its CaseSpec, whose seed is recorded with the results.

#include <array>
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

// The weights c_b of the weighted batch sum Σ_b c_b ∇log p_b:
//   positive  U(½, 3/2), the plain accumulation;
//   mixed     N(0, 1) with every fourth weight 0 (REINFORCE advantages);
//   centred   N(0, 1) minus their mean, so that Σ_b c_b ≈ 0 and the sum
//             cancels heavily (a baseline subtracted): ‖Σ c_b g_b‖ ≪ Σ |c_b| ‖g_b‖.
enum class WeightKind { positive, mixed, centred };
const char* name(WeightKind w);

// One sample of a batch made invalid on purpose, to see that a method names
// it (Result::errors) and still computes the others (DESIGN §6):
//   zero_diagonal      a diagonal entry of its parameter block set to 0 (L
//                      or σ: a zero scale; Σ or Λ: not positive definite);
//   negative_diagonal  the same entry negated;
//   nan_parameter      NaN in its parameter block (below the diagonal of a
//                      matrix when d ≥ 2, both triangles of Σ or Λ);
//   nan_loc            NaN in its loc, and so in its action;
//   nan_noise          NaN in its noise ε, its action left as it was: a
//                      method given the noise (every built-in: the driver
//                      checks what it is given) must name the sample; one
//                      given the action only (an external method) computes
//                      it (CaseReference::reference, `sees_noise`);
//   off_triangle       an entry above the diagonal of a d×d block changed
//                      (d ≥ 2; not for scale_diag): L not lower triangular,
//                      Σ or Λ not symmetric. The lower triangle, which the
//                      kernels read, stays valid, so only the parameter
//                      check finds it.
// The parameter kinds leave the shared-parameter modes valid (they use the
// first block, and the invalid sample is never the first).
enum class InvalidKind {
  none,
  zero_diagonal,
  negative_diagonal,
  nan_parameter,
  nan_loc,
  off_triangle,
  nan_noise
};
const char* name(InvalidKind k);
inline constexpr std::array<InvalidKind, 6> kInvalidKinds = {
    InvalidKind::zero_diagonal, InvalidKind::negative_diagonal, InvalidKind::nan_parameter,
    InvalidKind::nan_loc,       InvalidKind::off_triangle,      InvalidKind::nan_noise};

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
  WeightKind weights = WeightKind::positive;
  std::uint64_t seed = 0;
  InvalidKind invalid = InvalidKind::none;  // needs B ≥ 2
};

struct Case {
  CaseSpec spec;
  // Per-sample parameters (spec.batch blocks), loc (one column per sample),
  // action = loc + L ε rounded to the dtype, and ε itself. For f32 every value
  // is a float, held exactly in a double.
  Batch<double> batch;
  Vec<double> weights;  // c_b of the weighted-sum output (spec.weights)
  double kappa = 1;     // κ(Σ) of the stored parameters (largest over blocks)
  // Parameter blocks repeat with this period: min(B, kBlockPeriod), so that
  // a batch of hundreds of samples needs that many 50-digit factorizations.
  Index block_period = 1;
  // Set when the prescribed matrix does not survive rounding to the dtype
  // (e.g. a float covariance with κ = 1e12 is no longer positive definite).
  std::optional<std::string> skipped;
  // The sample spec.invalid made invalid (1 … B − 1, drawn from the seed),
  // or −1; and the evidence, e.g. "scale_tril(3,3) = 0".
  Index invalid_sample = -1;
  std::string invalid_evidence;

  // Whether the invalid sample is invalid in the shared-parameter modes too:
  // its own vectors are spoiled, not its parameter block.
  bool invalid_when_shared() const {
    return spec.invalid == InvalidKind::nan_loc || spec.invalid == InvalidKind::nan_noise;
  }
  // Whether the invalid sample's parameter block is the spoiled part.
  bool spoils_parameter() const { return spec.invalid != InvalidKind::none && !invalid_when_shared(); }
  std::string id() const;
};

// The number of distinct parameter blocks of a case at most (Case::block_period).
inline constexpr Index kBlockPeriod = 16;

Case make_case(const CaseSpec& spec);

// The spec of a case from its id() ("scale_tril/f64/d:2/kappa:1e+02/bulk/B:9/
// weights:mixed/seed:123", and "/invalid:<kind>" when it has an invalid sample): make_case of it reproduces
// the case exactly. Throws std::invalid_argument naming the part that does not parse.
CaseSpec parse_case_id(const std::string& id);

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

// A whole number 0 … 2⁶⁴ − 1 written in plain decimal digits ("-1", "",
// "1e3", "0x10" and "18446744073709551616" are not), as seeds are written.
std::optional<std::uint64_t> parse_whole_number(const std::string& text);

// splitmix64: decorrelated seeds from a base seed and a counter.
std::uint64_t mix_seed(std::uint64_t base, std::uint64_t counter);

}  // namespace scorebench::verification

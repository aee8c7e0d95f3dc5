#pragma once
// The statistical gate (DESIGN §4): one family of z-tests, with the
// family-wise false-alarm rate controlled by Holm at level alpha, made of
//
//   unbiasedness  every correct estimator × every case of gate_cases() ×
//                 every gradient coordinate: mean = exact closed form;
//   identities    for scale_tril and scale_diag: E[score] = 0 and
//                 E[s sᵀ] = F, the Fisher information (Cov[∇μ log p] = Σ⁻¹,
//                 and fisher_information() for the scale block).
//
// A correct implementation passes with probability ≥ 1 − alpha over the
// noise; the defaults use fixed seeds so CI is deterministic. The power of
// the gate is shown by running biased estimators through the same family.

#include <cstdint>
#include <string>
#include <vector>

#include "scorebench/mc/estimator.hpp"
#include "scorebench/mc/hypothesis.hpp"

namespace scorebench::mc {

struct GateOptions {
  std::uint64_t samples = 20000;             // per estimator and case
  std::uint64_t seed = 0x5c07eb3e7c4a11ULL;  // the fixed default
  double alpha = 0.01;                       // family-wise false-alarm rate
  std::string method = "analytic";           // the score for the score-function estimators
  int threads = 1;
};

struct GateCase {
  std::string label;  // "<cost>/<parameterization>"
  Problem problem;
};

// d = 2: five costs (square:1, exp_neg_square:0.5, cos:1, a quadratic with
// non-symmetric A, exp_linear) × {scale_tril, scale_diag}.
std::vector<GateCase> gate_cases();

// One estimator on every case: a z-test per coordinate, labelled
// "<estimator>[<method>]/<case>/<coordinate>". Seeds are derived from
// options.seed, the estimator and the case.
std::vector<ZTest> unbiasedness_tests(Estimator estimator, const std::string& method,
                                      const GateOptions& options);

// The score identities for `method` (z-tests labelled "identity[<method>]/...").
std::vector<ZTest> identity_tests(const std::string& method, const GateOptions& options);

// F = E[s sᵀ] for s = (∇μ log p, ∇scale log p) in the coordinates of
// coordinate_names(): Σ⁻¹ for the loc block, 0 across, and for the scale
//   scale_tril: F[(i,j),(k,l)] = (Σ⁻¹)ᵢₖ δⱼₗ + δᵢⱼδⱼₖδₖₗ / Lᵢᵢ²  (i ≥ j, k ≥ l)
//   scale_diag: F = diag(2/σᵢ²)
Mat<double> fisher_information(Parameterization p, const Mat<double>& scale);

// The whole family for the correct estimators and the identities, Holm applied.
std::vector<ZTest> gate_family(const GateOptions& options);

// An estimator under test (estimator, method), e.g. a mutant.
struct Candidate {
  Estimator estimator;
  std::string method;
  std::string label() const;
};

// The biased estimators the gate must reject: the score of the mis-written
// density, the constant-variance score (both under score_function), and
// pathwise with ε and a swapped.
std::vector<Candidate> mutant_candidates();

// Whether the gate rejects `candidate`: its tests take the place of the
// correct estimator of the same kind in the family (so m is unchanged), Holm
// is applied, and the candidate is rejected if any of its tests is. Returns
// the candidate's tests with the decisions.
std::vector<ZTest> candidate_tests(const Candidate& candidate, const GateOptions& options);

// False-alarm rate and power over many fresh seeds (`scorebench mc --calibrate`).
struct CalibrationOptions {
  GateOptions gate;
  int seeds = 100;  // runs, seeds gate.seed + 1, + 2, …
  std::vector<double> alphas = {0.01, 0.05, 0.1, 0.2};
};

struct CalibrationResult {
  int seeds = 0;
  int tests_per_family = 0;
  std::vector<double> alphas;
  std::vector<int> family_rejections;  // per alpha: runs in which the correct family was rejected
  double raw_rate_05 = 0;              // fraction of all raw p-values ≤ 0.05 (should be ≈ 0.05)
  double raw_rate_01 = 0;              // … ≤ 0.01
  std::vector<std::string> candidates;
  std::vector<int> candidate_rejections;  // per candidate: runs rejected at gate.alpha
  double seconds = 0;
};

CalibrationResult calibrate(const CalibrationOptions& options);

}  // namespace scorebench::mc

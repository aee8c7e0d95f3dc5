#pragma once
// The correctness gate: every method on every case of a sweep, in every mode
// (per-sample or shared parameters, per-sample gradients or the weighted
// sum), each output block held to the method's accuracy contract. The
// references are confirmed on the small cases by the 50-digit oracle, and
// the double-precision checks (Boost finite differences, complex step) are
// measured next to the methods, without a contract.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scorebench/method.hpp"
#include "scorebench/verification/accuracy.hpp"
#include "scorebench/verification/contract.hpp"
#include "scorebench/verification/double_checks.hpp"

namespace scorebench::verification {

enum class Sweep { quick, full };
inline const char* name(Sweep s) { return s == Sweep::quick ? "quick" : "full"; }

// quick: d ∈ {1, 2, 5, 16, 64}; full: d ∈ {1, 2, 3, 4, 8, 16, 32, 64, 128};
// both: every κ level (d = 1 has κ = 1 only), parameterization, dtype and
// action kind, batches of 9 samples, case seeds mixed from `seed`.
std::vector<CaseSpec> sweep_specs(Sweep sweep, std::uint64_t seed);

// Largest d a method is run at in a sweep (forward AD costs O(d⁵) per sample
// for a matrix parameter: d(d+1)/2 + 2d derivatives through an O(d³)
// Cholesky): autodiff_forward 16 in quick, 64 in full; others unlimited.
Index max_dim(const std::string& method, Sweep sweep);

struct VerifyOptions {
  Sweep sweep = Sweep::quick;
  std::uint64_t seed = 20240611;
  bool reference_checks = true;  // oracle vs reference on cases with d ≤ 4
  bool double_checks = true;     // fd_boost and complex_step on f64 cases with d ≤ 8 (16 in full)
  bool stop_at_first_violation = false;
  std::optional<Index> max_dim;  // cap every method's d (tests)
  // Called after each case: (case id, cases done, cases in the sweep).
  std::function<void(const std::string&, size_t, size_t)> progress;
};

struct CaseInfo {
  CaseSpec spec;
  std::string id;
  double kappa = 1;  // κ(Σ) of the stored parameters
  std::optional<std::string> skipped;
};

enum class Status { ok, violation, beyond_contract, refused };
const char* name(Status s);

struct Evaluation {
  size_t case_index = 0;
  std::string method;
  Mode mode;
  AccuracyContract contract;
  bool promised = false;
  double unit_bound = 0;  // c · d · κ^p · u
  Status status = Status::ok;
  std::string message;  // why refused, or the violation
  std::vector<BlockError> blocks;
  double worst_ratio() const;
};

struct ReferenceCheck {
  size_t case_index = 0;
  std::array<double, 4> digits{};  // oracle-vs-reference agreement per Block
};

struct DoubleCheckResult {
  size_t case_index = 0;
  DoubleCheck check = DoubleCheck::finite_difference;
  std::array<double, 4> errors{};  // normwise relative error per Block
  double error_estimate = 0;       // fd_boost: Boost's own, relative
};

struct VerifyReport {
  Sweep sweep = Sweep::quick;
  std::uint64_t seed = 0;
  std::vector<std::string> methods;
  std::vector<CaseInfo> cases;
  std::vector<Evaluation> evaluations;
  std::vector<std::string> violations;  // one message per violation
  std::vector<ReferenceCheck> reference_checks;
  std::vector<DoubleCheckResult> double_checks;
  double seconds = 0;
  bool ok() const { return violations.empty(); }
};

// The minimum agreement (significant digits) required of reference and oracle.
inline constexpr double kReferenceDigits = 25;

VerifyReport run_verification(const VerifyOptions& options, const std::vector<const Method*>& methods);

struct MutantResult {
  std::string name, description;
  bool killed = false;
  std::string case_id, mode, dtype, blocks;  // the first case that rejected it, and the failing blocks
  std::string message;
  size_t evaluations = 0;  // evaluations until the kill
};

// Each mutant through the gate until its first violation (quick sweep, d ≤ 5).
std::vector<MutantResult> run_mutants(const VerifyOptions& options,
                                      const std::vector<const Method*>& mutants);

}  // namespace scorebench::verification

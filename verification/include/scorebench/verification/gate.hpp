#pragma once
// The correctness gate: every method on every case of a sweep, in every mode
// (per-sample or shared parameters, per-sample gradients or the weighted
// sum), each output block held to the method's accuracy contract. The
// references are confirmed on the small cases by the 50-digit oracle, and
// the double-precision checks (Boost finite differences, complex step) are
// measured next to the methods, without a contract.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scorebench/method.hpp"
#include "scorebench/shard.hpp"
#include "scorebench/verification/accuracy.hpp"
#include "scorebench/verification/contract.hpp"
#include "scorebench/verification/double_checks.hpp"

namespace scorebench::verification {

enum class Sweep { quick, full, small };
inline const char* name(Sweep s) { return s == Sweep::quick ? "quick" : s == Sweep::full ? "full" : "small"; }

// quick: d ∈ {1, 2, 5, 16, 64}; full: d ∈ {1, 2, 3, 4, 8, 16, 32, 64, 128};
// both: every κ level (d = 1 has κ = 1 only), parameterization, dtype and
// action kind, the weight kinds in turn, batches of 9 samples, case seeds
// mixed from `seed`. small: one case per parameterization and dtype with
// d ≤ 4 and κ, action and weights drawn from the seed (the seed sweeps).
std::vector<CaseSpec> sweep_specs(Sweep sweep, std::uint64_t seed);

// Batch sizes the quick and full sweeps take in turn: every residue modulo
// every lane width a build has (f64: 2, 4, 8; f32: 4, 8, 16, for SSE2, AVX2
// and AVX-512: the variants of isa.hpp) and the driver's chunks of 8
// samples, a whole group, one more than a group, and a single sample.
inline constexpr std::array<Index, 17> kBatchSizes = {9,  1,  2,  3,  4,  5,  6,  7, 8,
                                                      10, 11, 12, 13, 14, 15, 16, 17};

// Cases appended to the quick and full sweeps for the kernels' paths that
// their regular cases do not reach (streaming stores, d on both sides of the
// kernels' thresholds, many chunks over several threads).
const std::vector<CaseSpec>& shape_cases();

// Cases with one invalid sample (InvalidKind), appended to the quick and
// full sweeps after the shape cases: every parameterization, dtype and kind,
// at batch sizes with the invalid sample inside a lane group or in a tail.
// The method must name that sample, give NaN for its per-sample entries,
// leave it out of a sum, and compute the others within its contract.
const std::vector<CaseSpec>& invalid_sample_cases();

// The thread count of a case's evaluations: 1, 2 or 3 by its seed (so that
// its id reproduces it; 3 threads over 2 chunks, or over 30: uneven). Each
// result with more than one thread is also required to be bit-identical to
// the one-thread result.
inline int threads_for_case(const CaseSpec& s) { return 1 + static_cast<int>(s.seed % 3); }

// Largest d a method is run at in a sweep (forward AD costs O(d⁵) per sample
// for a matrix parameter: d(d+1)/2 + 2d derivatives through an O(d³)
// Cholesky): a method that carries every derivative (autodiff_forward) 16 in
// quick, 64 in full; others unlimited.
Index max_dim(const Capabilities& facts, Sweep sweep);

// One of `count` disjoint parts of a sweep: the cases whose position i in
// the sweep has i % count == index (round robin, so that every shard gets
// every dimension). `scorebench merge` puts the parts back together.

struct VerifyOptions {
  Sweep sweep = Sweep::quick;
  std::uint64_t seed = 20240611;
  bool reference_checks = true;  // oracle vs reference on cases with d ≤ 4
  bool double_checks = true;     // fd_boost and complex_step on f64 cases with d ≤ 8 (16 in full)
  bool stop_at_first_violation = false;
  std::optional<Index> max_dim;  // cap every method's d (tests)
  std::vector<CaseSpec> specs;   // when not empty: these cases instead of the sweep (--case)
  Shard shard;
  // Called after each case: (case id, cases done, cases in the sweep).
  std::function<void(const std::string&, size_t, size_t)> progress;
};

struct CaseInfo {
  CaseSpec spec;
  std::string id;
  double kappa = 1;  // κ(Σ) of the stored parameters
  std::optional<std::string> skipped;
  size_t sweep_index = 0;  // position in the sweep (sweep_specs), whatever the shard
};

enum class Status { ok, violation, beyond_contract, refused };
const char* name(Status s);

struct Evaluation {
  size_t case_index = 0;
  std::string method;
  Mode mode;
  AccuracyContract contract;
  bool promised = false;
  double unit_bound = 0;  // the largest block's bound before ρ (contract.hpp)
  int threads = 1;        // threads_for_case()
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
  Shard shard;
  std::vector<std::string> methods;
  std::vector<CaseInfo> cases;
  std::vector<Evaluation> evaluations;
  std::vector<std::string> violations;  // one message per violation
  // `scorebench check` only: findings about the answers file that belong to
  // no evaluation (an answer to no case line, a line without an id); each
  // is also in `violations`.
  std::vector<std::string> answer_findings;
  std::vector<ReferenceCheck> reference_checks;
  std::vector<DoubleCheckResult> double_checks;
  // The kernel paths the run took (kernels/path_coverage.hpp): every path,
  // with the number of chunks that took it.
  std::map<std::string, std::uint64_t> coverage;
  // Methods that declared their own scope and contract (declaring_method.hpp,
  // the external implementations): where each came from ("external: CMD")
  // and the contract it declared per parameterization.
  std::map<std::string, std::string> origins;
  std::map<std::pair<std::string, Parameterization>, AccuracyContract> declared_contracts;
  double seconds = 0;
  bool ok() const { return violations.empty(); }
};

// The contract `method` was held to in `report`: its declared one, else contract_for().
AccuracyContract contract_in(const VerifyReport& report, const std::string& method, Parameterization p);

// What a method is given for a case in a mode: the per-sample batch or its
// first block shared, in the dtype, and the request (the case's weights for
// a weighted sum). The gate's calls, the protocol's requests and the lines
// of a certified case set (case_set.hpp) are all made from these.
template <typename T>
Batch<T> mode_batch(const Case& c, const Mode& mode) {
  return cast_batch<T>(mode.shared ? shared_batch(c) : c.batch);
}
template <typename T>
Request<T> mode_request(const Case& c, const Mode& mode, int threads) {
  Request<T> request;
  request.output = mode.output;
  request.threads = threads;
  if (mode.output == Output::sum) request.weights = c.weights.template cast<T>();
  return request;
}

// The bound's shape of case `info` in `mode`: d, κ of the stored
// parameters, u of the dtype, B for a weighted sum.
BoundShape bound_shape(const CaseInfo& info, const Mode& mode);

// What a method gave for one evaluation, to be graded: its result (none
// when it threw, refused or broke the protocol), the message of the
// refusal or fault (`fault`: a fault that fails wherever it happens, e.g. a
// broken protocol or a missing answer), and further failing evidence
// (results that differ between thread counts), each line starting "\n    ".
template <typename T>
struct Answer {
  const Result<T>* result = nullptr;
  std::string message;
  bool fault = false;
  std::string failing;
};

// The grading step of the gate, shared by run_verification (which calls
// the method) and `scorebench check` (which reads answers given offline):
// every block measured against `ref` and held to `contract`'s bound, the
// status and the message naming the case, the mode and the failing blocks.
template <typename T>
Evaluation grade(const CaseInfo& info, size_t case_index, const std::string& method,
                 const AccuracyContract& contract, const Mode& mode, int threads, const Reference& ref,
                 const Answer<T>& answer);

// The minimum agreement (significant digits) required of reference and oracle.
inline constexpr double kReferenceDigits = 25;

VerifyReport run_verification(const VerifyOptions& options, const std::vector<const Method*>& methods);

// Kernel paths no case of the sweeps reaches yet, each with the reason:
// `verify --require-coverage` fails when any other path goes unexercised,
// and also when one of these is exercised (the list must then shrink).
struct CoverageGap {
  const char* path;
  const char* reason;
};
inline constexpr std::array<CoverageGap, 0> kCoverageGaps = {};

// The violations a reference check reports: one per block whose reference
// agrees with the oracle to fewer than kReferenceDigits digits.
std::vector<std::string> reference_violations(const CaseInfo& c, const ReferenceCheck& check);

struct MutantResult {
  std::string name, description;
  bool killed = false;
  std::string case_id, mode, dtype, blocks;  // the first case that rejected it, and the failing blocks
  std::string message;
  size_t evaluations = 0;  // evaluations until the kill
  // How far the killing evaluation exceeds its bound: its worst block's
  // error/bound (infinite for a structural violation or a refused case).
  double margin = 0;
};

// Each mutant through the gate until its first violation (quick sweep, d ≤ 5).
std::vector<MutantResult> run_mutants(const VerifyOptions& options,
                                      const std::vector<const Method*>& mutants);

}  // namespace scorebench::verification

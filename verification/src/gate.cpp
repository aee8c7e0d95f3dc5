#include "scorebench/verification/gate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>

#include "scorebench/kernels/path_coverage.hpp"
#include "scorebench/verification/declaring_method.hpp"
#include "scorebench/verification/external_fault.hpp"
#include "scorebench/verification/oracle.hpp"

namespace scorebench::verification {

const char* name(Status s) {
  switch (s) {
    case Status::ok: return "ok";
    case Status::violation: return "violation";
    case Status::beyond_contract: return "beyond_contract";
    case Status::refused: return "refused";
  }
  return "unknown";
}

double Evaluation::worst_ratio() const {
  double r = 0;
  for (const BlockError& b : blocks) r = std::max(r, b.ratio);
  return r;
}

std::vector<CaseSpec> sweep_specs(Sweep sweep, std::uint64_t seed) {
  std::vector<CaseSpec> specs;
  if (sweep == Sweep::small) {
    // One case per parameterization and dtype, its d ≤ 4, κ, action and
    // weights drawn from the seed.
    for (Dtype t : {Dtype::f64, Dtype::f32})
      for (Parameterization p : kAllParameterizations) {
        CaseSpec s;
        s.parameterization = p;
        s.dtype = t;
        s.seed = mix_seed(seed, specs.size());
        const std::uint64_t draw = mix_seed(s.seed, 0x5eed);
        s.dim = 1 + static_cast<Index>(draw % 4);
        s.kappa = s.dim == 1 ? 1 : kappa_levels()[(draw >> 8) % kappa_levels().size()];
        s.action = (draw >> 16) % 2 ? ActionKind::tail : ActionKind::bulk;
        s.weights = static_cast<WeightKind>((draw >> 24) % 3);
        specs.push_back(s);
      }
    return specs;
  }
  const std::vector<Index> dims = sweep == Sweep::quick ? std::vector<Index>{1, 2, 5, 16, 64}
                                                        : std::vector<Index>{1, 2, 3, 4, 8, 16, 32, 64, 128};
  for (Dtype t : {Dtype::f64, Dtype::f32})
    for (Parameterization p : kAllParameterizations)
      for (Index d : dims)
        for (double kappa : kappa_levels()) {
          if (d == 1 && kappa > 1) continue;  // κ = 1 in one dimension
          for (ActionKind a : {ActionKind::bulk, ActionKind::tail}) {
            CaseSpec s;
            s.parameterization = p;
            s.dtype = t;
            s.dim = d;
            s.kappa = kappa;
            s.action = a;
            // Every weight kind and batch size in turn, so that each (p, dtype)
            // meets them all.
            s.weights = static_cast<WeightKind>(specs.size() % 3);
            s.batch = kBatchSizes[specs.size() % kBatchSizes.size()];
            s.seed = mix_seed(seed, specs.size());
            specs.push_back(s);
          }
        }
  for (const auto* extra : {&shape_cases(), &invalid_sample_cases()})
    for (CaseSpec s : *extra) {
      s.weights = static_cast<WeightKind>(specs.size() % 3);
      s.seed = mix_seed(seed, specs.size());
      specs.push_back(s);
    }
  return specs;
}

const std::vector<CaseSpec>& invalid_sample_cases() {
  static const std::vector<CaseSpec> cases = [] {
    std::vector<CaseSpec> out;
    for (Dtype t : {Dtype::f64, Dtype::f32})
      for (Parameterization p : kAllParameterizations)
        for (InvalidKind k : kInvalidKinds) {
          if (k == InvalidKind::off_triangle && !is_matrix(p)) continue;  // σ has no off-diagonal
          if (k == InvalidKind::nan_noise) continue;                      // below
          CaseSpec s;
          s.parameterization = p;
          s.dtype = t;
          s.kappa = 1e2;
          s.invalid = k;
          // d and B in turn: whole lane groups with a tail (f64 9, 13; f32
          // 17, 21) or without (f64 16; f32 16, 32), for lanes of up to 8
          // doubles and 16 floats, and (f64 7: 4 + 2 + 1 with AVX2 or
          // AVX-512) whole and narrower groups in one chunk; d = 1, 2, 5 and
          // 16 about the fixed-size kernels.
          static constexpr std::array<Index, 4> dims = {5, 2, 16, 1}, f64_batches = {9, 16, 13, 7},
                                                f32_batches = {17, 16, 21, 32};
          const size_t n = out.size(), kind = n % 4, block = n / 4;
          s.dim = dims[(kind + block) % 4];
          s.batch = (t == Dtype::f64 ? f64_batches : f32_batches)[(kind + 2 * block + n / 16) % 4];
          if (k == InvalidKind::off_triangle) s.dim = std::max<Index>(s.dim, 2);
          out.push_back(s);
        }
    // Inside whole lane groups (B = 16 doubles, 32 floats: every sample in
    // a whole group of up to 8 doubles or 16 floats), what the rotation
    // above never puts there: a diagonal entry made 0 or negative where L is
    // loaded column by column (d = 16, a multiple of every lane width), which
    // only the column load's own minimum of Lᵢᵢ can find; and a NaN below the
    // diagonal where L is loaded entry by entry (d = 5, kernels::load_lanes;
    // the rotation has it at d = 16 only), which only load_lanes' own sum of
    // (Lᵢⱼ − Lᵢⱼ) over the lower triangle can find.
    for (Dtype t : {Dtype::f64, Dtype::f32})
      for (const auto& [k, d] : {std::pair{InvalidKind::zero_diagonal, Index(16)},
                                 {InvalidKind::negative_diagonal, Index(16)},
                                 {InvalidKind::nan_parameter, Index(5)}}) {
        CaseSpec s;
        s.parameterization = Parameterization::scale_tril;
        s.dtype = t;
        s.kappa = 1e2;
        s.invalid = k;
        s.dim = d;
        s.batch = t == Dtype::f64 ? 16 : 32;
        out.push_back(s);
      }
    // NaN in one sample's noise, for every (p, dtype); for scale_tril each
    // path a sample's noise can take: the fixed-size kernels (d = 2), the
    // lane groups loaded by columns (d = 16, B = 16 doubles or 32 floats:
    // the sample inside a whole group), whole groups with a tail (d = 5) and
    // σ-like d = 1.
    for (Dtype t : {Dtype::f64, Dtype::f32})
      for (Parameterization p : kAllParameterizations) {
        const bool f64 = t == Dtype::f64;
        std::vector<std::pair<Index, Index>> shapes = {{5, f64 ? 9 : 17}};
        if (p == Parameterization::scale_tril)
          shapes = {{2, f64 ? 13 : 21}, {16, f64 ? 16 : 32}, {5, f64 ? 9 : 17}, {1, f64 ? 7 : 16}};
        for (const auto& [d, b] : shapes) {
          CaseSpec s;
          s.parameterization = p;
          s.dtype = t;
          s.kappa = 1e2;
          s.invalid = InvalidKind::nan_noise;
          s.dim = d;
          s.batch = b;
          out.push_back(s);
        }
      }
    return out;
  }();
  return cases;
}

const std::vector<CaseSpec>& shape_cases() {
  static const std::vector<CaseSpec> cases = [] {
    const auto make = [](Parameterization p, Dtype t, Index d, Index batch) {
      CaseSpec s;
      s.parameterization = p;
      s.dtype = t;
      s.dim = d;
      s.kappa = 1e2;
      s.action = ActionKind::tail;
      s.batch = batch;
      return s;
    };
    using P = Parameterization;
    return std::vector<CaseSpec>{
        // Per-sample outputs beyond 16 MiB: the streaming stores of the lane
        // kernels (∇L: 520 × 64 × 64 doubles = 16.3 MiB; f32 needs 1025).
        make(P::scale_tril, Dtype::f64, 64, 520),
        make(P::covariance_matrix, Dtype::f64, 64, 520),
        // d just beyond the lane kernel's 64 (the scalar per-sample kernel)
        // and beyond the shared substitution's first 64-column block (17:
        // one f32 strip of 16 samples and a tail there), and just beyond the
        // 16 of the fixed-size kernels and of the recursive inverse's base
        // case (one uneven split).
        make(P::scale_tril, Dtype::f32, 65, 17),
        make(P::covariance_matrix, Dtype::f32, 17, 9),
        make(P::precision_matrix, Dtype::f64, 17, 9),
        // Chunks of more than 8 samples (B > 256: ⌈B/32⌉ = 10 per chunk, 30
        // chunks over 1, 2 or 3 threads), and the shared path's chunks.
        make(P::scale_tril, Dtype::f32, 3, 300),
        make(P::scale_diag, Dtype::f64, 3, 300),
        make(P::covariance_matrix, Dtype::f64, 2, 300),
    };
  }();
  return cases;
}

Index max_dim(const Capabilities& facts, Sweep sweep) {
  if (facts.carries_every_derivative) return sweep == Sweep::full ? 64 : 16;
  return std::numeric_limits<Index>::max();
}

namespace {

std::string format(const char* fmt, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, x);
  return buf;
}

std::string describe(const CaseInfo& c, const std::string& method, const Mode& mode) {
  return method + " " + std::string(name(c.spec.parameterization)) + " " + name(c.spec.dtype) +
         " d=" + std::to_string(c.spec.dim) + " κ=" + format("%.0e", c.spec.kappa) + " " +
         name(c.spec.action) + " " + mode.name() + " (case " + c.id + ")";
}

std::string describe(const BlockError& b) {
  std::string where = b.sample < 0 ? "sum" : "sample " + std::to_string(b.sample);
  return b.name + ": error " + format("%.3g", b.error) + " > bound " + format("%.3g", b.bound) + " (ratio " +
         format("%.3g", b.ratio) + "), worst entry " + where + " (" + std::to_string(b.row) + "," +
         std::to_string(b.col) + ") = " + format("%.17g", b.value) + " vs reference " +
         format("%.17g", b.reference);
}

template <typename T>
Result<T> call(const Method& m, const Case& c, const Mode& mode, int threads) {
  return m.evaluate(mode_batch<T>(c, mode), mode_request<T>(c, mode, threads));
}

// Bitwise equality of two results' outputs (NaNs equal when their bits are).
template <typename T>
bool same_bits(const Mat<T>& a, const Mat<T>& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(T) * static_cast<size_t>(a.size())) == 0);
}

// Empty, or which output of the `threads`-thread result differs from the
// one-thread result: the driver promises bit-identical results for any
// thread count (kernel_driver.hpp).
template <typename T>
std::string thread_difference(const Method& m, const Case& c, const Mode& mode, int threads,
                              const Result<T>& r) {
  if (threads == 1) return {};
  const Result<T> one = call<T>(m, c, mode, 1);
  std::string what;
  if (!same_bits<T>(r.log_prob, one.log_prob)) what += " log_prob";
  if (!same_bits<T>(r.grad_loc, one.grad_loc)) what += " grad_loc";
  if (!same_bits<T>(r.grad_action, one.grad_action)) what += " grad_action";
  if (!same_bits<T>(r.grad_param, one.grad_param)) what += " grad_param";
  if (r.errors.size() != one.errors.size()) what += " errors";
  if (what.empty()) return {};
  return "\n    results with " + std::to_string(threads) + " threads differ from 1 thread in" + what;
}

Evaluation evaluate(const Method& m, const Case& c, const CaseInfo& info, size_t index, const Mode& mode,
                    CaseReference& reference) {
  const AccuracyContract contract = contract_of(m, c.spec.parameterization);
  // An outside method has no thread count of scorebench's to honour, and is
  // given the action only (the protocol sends the noise when there is no
  // action); a built-in is given both.
  const bool declaring = dynamic_cast<const DeclaringMethod*>(&m) != nullptr;
  const Reference ref = reference.reference(mode, m.capabilities().requires_noise, !declaring);
  const int threads = declaring ? 1 : threads_for_case(c.spec);
  std::optional<Result<double>> r64;
  std::optional<Result<float>> r32;
  std::string message, failing;
  bool fault = false;
  try {
    if (c.spec.dtype == Dtype::f64) {
      r64 = call<double>(m, c, mode, threads);
      failing += thread_difference<double>(m, c, mode, threads, *r64);
    } else {
      r32 = call<float>(m, c, mode, threads);
      failing += thread_difference<float>(m, c, mode, threads, *r32);
    }
  } catch (const ExternalFault& ex) {
    // The implementation broke the protocol: its failure wherever it
    // happens (a NaN answer only where accuracy is promised).
    message = ex.what();
    fault = ex.always_fails();
    if (fault) failing += "\n    " + message;
  } catch (const std::exception& ex) {
    message = std::string("threw: ") + ex.what();
  }
  if (r32)
    return grade<float>(info, index, m.name(), contract, mode, threads, ref,
                        Answer<float>{&*r32, message, fault, failing});
  return grade<double>(info, index, m.name(), contract, mode, threads, ref,
                       Answer<double>{r64 ? &*r64 : nullptr, message, fault, failing});
}

// What grade() says of an invalid sample that the result does not name.
constexpr const char* kUnreportedInvalid = " but is not among the result's failed samples";

double relative_error(const Mat<mp50>& x, const Mat<mp50>& y) {
  const double n = static_cast<double>(y.norm());
  const double diff = static_cast<double>((x - y).norm());
  return n > 0 ? diff / n : diff;
}

Mat<mp50> one(const mp50& x) { return Mat<mp50>::Constant(1, 1, x); }

}  // namespace

BoundShape bound_shape(const CaseInfo& info, const Mode& mode) {
  return BoundShape{info.spec.dim, info.kappa, unit_roundoff(info.spec.dtype),
                    mode.output == Output::sum ? info.spec.batch : 0};
}

template <typename T>
Evaluation grade(const CaseInfo& info, size_t case_index, const std::string& method,
                 const AccuracyContract& contract, const Mode& mode, int threads, const Reference& ref,
                 const Answer<T>& answer) {
  Evaluation e;
  e.case_index = case_index;
  e.method = method;
  e.mode = mode;
  e.contract = contract;
  e.threads = threads;
  const Parameterization p = info.spec.parameterization;
  const BoundShape shape = bound_shape(info, mode);
  e.promised = e.contract.promises(p, info.spec.kappa, shape);
  e.unit_bound = e.contract.largest_unit_bound(p, shape);
  std::array<double, 4> unit_bounds{};
  for (Block b : kAllBlocks) unit_bounds[static_cast<size_t>(b)] = e.contract.unit_bound(p, b, shape);
  std::string failing = answer.failing;
  e.message = answer.message;
  const Index invalid = ref.invalid_sample;
  if (answer.result) {
    // The invalid sample must be among the failed samples; any other failed
    // sample is a refusal (its message, unless an exception said more).
    bool invalid_named = false;
    for (const SampleError& se : answer.result->errors) {
      if (se.sample == invalid)
        invalid_named = true;
      else if (e.message.empty())
        e.message = se.message;
    }
    if (invalid >= 0 && !invalid_named)
      failing += "\n    sample " + std::to_string(invalid) + " is invalid (" + ref.invalid_evidence + ")" +
                 kUnreportedInvalid;
    e.blocks = measure(*answer.result, ref, unit_bounds);
  }
  const bool refused = !e.message.empty() && !answer.fault;
  const std::string refusal = invalid < 0 ? ": refused a valid case: "
                              : answer.result
                                  ? ": refused a valid sample: "
                                  : ": refused the whole batch, whose only invalid sample is " +
                                        std::to_string(invalid) + " (" + ref.invalid_evidence + "): ";
  for (const BlockError& b : e.blocks) {
    if (!b.structure.empty()) {
      failing += "\n    " + b.name + ": " + b.structure;
    } else if (e.promised && !(b.ratio <= 1)) {
      failing += "\n    " + describe(b);
    }
  }
  if (!failing.empty() || (e.promised && refused)) {
    e.status = Status::violation;
    e.message = describe(info, e.method, mode) + (refused ? refusal + e.message : "") + failing;
  } else if (refused) {
    e.status = Status::refused;
  } else {
    e.status = e.promised ? Status::ok : Status::beyond_contract;
  }
  return e;
}

template Evaluation grade<double>(const CaseInfo&, size_t, const std::string&, const AccuracyContract&,
                                  const Mode&, int, const Reference&, const Answer<double>&);
template Evaluation grade<float>(const CaseInfo&, size_t, const std::string&, const AccuracyContract&,
                                 const Mode&, int, const Reference&, const Answer<float>&);

AccuracyContract contract_in(const VerifyReport& report, const std::string& method, Parameterization p) {
  const auto it = report.declared_contracts.find({method, p});
  return it == report.declared_contracts.end() ? contract_for(method, p) : it->second;
}

std::vector<std::string> reference_violations(const CaseInfo& c, const ReferenceCheck& check) {
  std::vector<std::string> out;
  for (Block b : kAllBlocks)
    if (check.digits[static_cast<size_t>(b)] < kReferenceDigits)
      out.push_back("reference " + c.id + ": " + block_name(b, c.spec.parameterization) +
                    " agrees with the oracle to " + format("%.1f", check.digits[static_cast<size_t>(b)]) +
                    " digits only (< " + format("%.0f", kReferenceDigits) + ")");
  return out;
}

VerifyReport run_verification(const VerifyOptions& options, const std::vector<const Method*>& methods) {
  const auto start = std::chrono::steady_clock::now();
  const coverage::Recording recording;
  const std::map<std::string, std::uint64_t> paths_before = coverage::snapshot();
  VerifyReport report;
  report.sweep = options.sweep;
  report.seed = options.seed;
  report.shard = options.shard;
  for (const Method* m : methods) {
    report.methods.push_back(m->name());
    if (const auto* d = dynamic_cast<const DeclaringMethod*>(m)) {
      report.origins[m->name()] = d->origin();
      for (Parameterization p : kAllParameterizations)
        report.declared_contracts[{m->name(), p}] = d->contract(p);
    }
  }
  const std::vector<CaseSpec> specs =
      options.specs.empty() ? sweep_specs(options.sweep, options.seed) : options.specs;
  for (size_t index = 0; index < specs.size(); ++index) {
    const CaseSpec& spec = specs[index];
    if (options.max_dim && spec.dim > *options.max_dim) continue;
    if (!options.shard.takes(index)) continue;
    const Case c = make_case(spec);
    const size_t ci = report.cases.size();
    report.cases.push_back(CaseInfo{spec, c.id(), c.kappa, c.skipped, index});
    const CaseInfo& info = report.cases.back();
    if (options.progress) options.progress(info.id, index + 1, specs.size());
    if (c.skipped) continue;
    CaseReference reference(c);
    const Parameterization p = spec.parameterization;
    const Index cols = is_matrix(p) ? spec.dim : 1;
    const Vec<mp50> loc0 = to_mp(c.batch.loc.col(0)), action0 = to_mp(c.batch.action.col(0));
    const Mat<mp50> param0 = to_mp(c.batch.param.leftCols(cols));

    if (options.reference_checks && spec.dim <= 4) {
      // The closed forms against central differences of the generic log-density.
      const SampleReference s = sample_reference(p, loc0, action0, param0);
      const OracleGradient o = central_difference_oracle(p, loc0, action0, param0);
      ReferenceCheck rc;
      rc.case_index = ci;
      rc.digits = {agreeing_digits(one(o.log_prob), one(s.log_prob)), agreeing_digits(o.grad_loc, s.w),
                   agreeing_digits(o.grad_action, -s.w), agreeing_digits(o.grad_param, s.grad_param)};
      for (const std::string& v : reference_violations(info, rc)) report.violations.push_back(v);
      report.reference_checks.push_back(rc);
    }

    const Index dc_dim = options.sweep == Sweep::full ? 16 : 8;
    if (options.double_checks && spec.dtype == Dtype::f64 && spec.dim <= dc_dim) {
      const SampleReference s = sample_reference(p, loc0, action0, param0);
      for (DoubleCheck check : {DoubleCheck::finite_difference, DoubleCheck::complex_step}) {
        DoubleCheckResult r;
        r.case_index = ci;
        r.check = check;
        try {
          const DoubleGradient g = double_check_gradient(check, p, c.batch.loc.col(0), c.batch.action.col(0),
                                                         c.batch.param.leftCols(cols));
          r.errors = {relative_error(one(mp50(g.log_prob)), one(s.log_prob)),
                      relative_error(to_mp(g.grad_loc), s.w), relative_error(to_mp(g.grad_action), -s.w),
                      relative_error(to_mp(g.grad_param), s.grad_param)};
          r.error_estimate = g.error_estimate;
        } catch (const std::exception&) {
          r.errors.fill(std::numeric_limits<double>::infinity());
        }
        report.double_checks.push_back(r);
      }
    }

    for (const Method* m : methods) {
      if (spec.dim > max_dim(m->capabilities(), options.sweep)) continue;
      for (const Mode& mode : all_modes()) {
        if (!covers(*m, p, spec.dtype, mode)) continue;
        Evaluation e = evaluate(*m, c, info, ci, mode, reference);
        if (e.status == Status::violation) report.violations.push_back(e.message);
        report.evaluations.push_back(std::move(e));
        if (options.stop_at_first_violation && !report.violations.empty()) break;
      }
      if (options.stop_at_first_violation && !report.violations.empty()) break;
    }
    if (options.stop_at_first_violation && !report.violations.empty()) break;
  }
  for (const auto& [path, hits] : coverage::snapshot()) report.coverage[path] = hits - paths_before.at(path);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::vector<MutantResult> run_mutants(const VerifyOptions& options,
                                      const std::vector<const Method*>& mutants) {
  std::vector<MutantResult> out;
  VerifyOptions o = options;
  o.sweep = Sweep::quick;
  o.reference_checks = o.double_checks = false;
  o.stop_at_first_violation = true;
  if (!o.max_dim) o.max_dim = 5;
  o.progress = nullptr;
  for (const Method* m : mutants) {
    if (options.progress) options.progress(m->name(), out.size() + 1, mutants.size());
    const VerifyReport r = run_verification(o, {m});
    MutantResult mr;
    mr.name = m->name();
    mr.description = m->summary();
    mr.evaluations = r.evaluations.size();
    for (const Evaluation& e : r.evaluations) {
      if (e.status != Status::violation) continue;
      mr.killed = true;
      const CaseInfo& c = r.cases[e.case_index];
      mr.case_id = c.id;
      mr.mode = e.mode.name();
      mr.dtype = name(c.spec.dtype);
      for (const BlockError& b : e.blocks)
        if (!b.structure.empty() || (e.promised && !(b.ratio <= 1)))
          mr.blocks += (mr.blocks.empty() ? "" : ",") + b.name;
      if (mr.blocks.empty())
        mr.blocks = e.message.find(kUnreportedInvalid) != std::string::npos ? "(errors)" : "(refused)";
      mr.margin = e.worst_ratio();
      for (const BlockError& b : e.blocks)
        if (!b.structure.empty()) mr.margin = std::numeric_limits<double>::infinity();
      if (mr.blocks.front() == '(') mr.margin = std::numeric_limits<double>::infinity();
      mr.message = e.message;
      break;
    }
    out.push_back(std::move(mr));
  }
  return out;
}

}  // namespace scorebench::verification

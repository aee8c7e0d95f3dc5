#include "scorebench/mc/gate.hpp"

#include <chrono>
#include <map>

#include "scorebench/mc/find_method.hpp"
#include "scorebench/mc/moments.hpp"
#include "scorebench/mc/random.hpp"

namespace scorebench::mc {

namespace {

std::uint64_t derived_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  return SplitMix64::mix(SplitMix64::mix(seed ^ (a * SplitMix64::kGamma)) + b);
}

Mat<double> matrix(std::initializer_list<std::initializer_list<double>> rows) {
  Mat<double> m(static_cast<Index>(rows.size()), static_cast<Index>(rows.begin()->size()));
  Index i = 0;
  for (const auto& row : rows) {
    Index j = 0;
    for (double v : row) m(i, j++) = v;
    ++i;
  }
  return m;
}

Vec<double> vector2(double a, double b) { return (Vec<double>(2) << a, b).finished(); }

// The correct family's tests per estimator (in correct_estimators() order),
// then the identities.
struct Family {
  std::vector<std::vector<ZTest>> per_estimator;
  std::vector<ZTest> identities;
};

Family correct_family(const GateOptions& options) {
  Family f;
  for (Estimator e : correct_estimators())
    f.per_estimator.push_back(unbiasedness_tests(e, options.method, options));
  f.identities = identity_tests(options.method, options);
  return f;
}

// The family with the tests of estimator `slot` replaced by `replacement`
// (none when slot < 0), Holm applied; returns the replacement's tests.
std::vector<ZTest> spliced(const Family& f, int slot, std::vector<ZTest> replacement, double alpha,
                           std::vector<ZTest>* whole = nullptr) {
  std::vector<ZTest> all;
  for (int e = 0; e < static_cast<int>(f.per_estimator.size()); ++e) {
    const std::vector<ZTest>& part = e == slot ? replacement : f.per_estimator[static_cast<std::size_t>(e)];
    all.insert(all.end(), part.begin(), part.end());
  }
  all.insert(all.end(), f.identities.begin(), f.identities.end());
  holm(all, alpha);
  if (whole) *whole = all;
  if (slot < 0) return {};
  // The replacement's tests sit at the slot's offset.
  std::size_t offset = 0;
  for (int e = 0; e < slot; ++e) offset += f.per_estimator[static_cast<std::size_t>(e)].size();
  return std::vector<ZTest>(all.begin() + static_cast<std::ptrdiff_t>(offset),
                            all.begin() + static_cast<std::ptrdiff_t>(offset + replacement.size()));
}

int slot_of(Estimator e) {
  // A mutant takes the place of the correct estimator it imitates.
  if (e == Estimator::mutant_pathwise_swapped) e = Estimator::pathwise;
  const auto& all = correct_estimators();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i] == e) return static_cast<int>(i);
  return 0;
}

std::uint64_t estimator_index(Estimator e) { return static_cast<std::uint64_t>(slot_of(e)); }

}  // namespace

std::vector<GateCase> gate_cases() {
  const Vec<double> loc = vector2(0.5, -0.3);
  const Mat<double> tril = matrix({{0.8, 0.0}, {0.3, 1.2}});
  const Mat<double> diag = vector2(0.7, 1.3);
  const std::vector<Cost> costs = {
      parse_cost("square:1"),
      parse_cost("exp_neg_square:0.5"),
      parse_cost("cos:1"),
      parse_cost("quadratic", matrix({{1.0, 0.5}, {-0.2, 2.0}}), vector2(0.3, -1.0)),
      parse_cost("exp_linear", {}, {}, vector2(0.4, -0.3)),
  };
  std::vector<GateCase> cases;
  for (const Cost& c : costs)
    for (Parameterization p : {Parameterization::scale_tril, Parameterization::scale_diag})
      cases.push_back({c.name() + "/" + std::string(name(p)),
                       Problem{c, loc, p, p == Parameterization::scale_tril ? tril : diag}});
  return cases;
}

std::vector<ZTest> unbiasedness_tests(Estimator estimator, const std::string& method,
                                      const GateOptions& options) {
  std::vector<ZTest> tests;
  const std::vector<GateCase> cases = gate_cases();
  for (std::size_t c = 0; c < cases.size(); ++c) {
    EstimateOptions eo;
    eo.estimator = estimator;
    eo.method = method;
    eo.samples = options.samples;
    eo.seed = derived_seed(options.seed, estimator_index(estimator), c);
    eo.threads = options.threads;
    const Estimate est = estimate(cases[c].problem, eo);
    const std::string prefix = Candidate{estimator, method}.label() + "/" + cases[c].label + "/";
    for (std::size_t j = 0; j < est.names.size(); ++j) {
      const auto i = static_cast<Index>(j);
      const double tol = 64 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(est.exact(i)));
      tests.push_back(
          make_z_test(prefix + est.names[j], est.mean(i), est.exact(i), est.standard_error(i), tol));
    }
  }
  return tests;
}

Mat<double> fisher_information(Parameterization p, const Mat<double>& scale) {
  const Index d = scale.rows();
  const std::vector<std::string> names = coordinate_names(p, d);
  const Index k = static_cast<Index>(names.size());
  Mat<double> f = Mat<double>::Zero(k, k);
  if (p == Parameterization::scale_diag) {
    // Σ⁻¹ = diag(1/σ²); E[((ε²−1)/σ)²] = 2/σ²
    for (Index i = 0; i < d; ++i) {
      const double s2 = scale(i, 0) * scale(i, 0);
      f(i, i) = 1 / s2;
      f(d + i, d + i) = 2 / s2;
    }
    return f;
  }
  const Mat<double> l = scale.triangularView<Eigen::Lower>();
  const Mat<double> l_inv = l.triangularView<Eigen::Lower>().solve(Mat<double>::Identity(d, d));
  const Mat<double> sigma_inv = l_inv.transpose() * l_inv;
  f.topLeftCorner(d, d) = sigma_inv;
  // Scale coordinates in coordinate_names() order: (i, j) for j, then i ≥ j.
  std::vector<std::pair<Index, Index>> at;
  for (Index j = 0; j < d; ++j)
    for (Index i = j; i < d; ++i) at.emplace_back(i, j);
  for (std::size_t u = 0; u < at.size(); ++u)
    for (std::size_t v = 0; v < at.size(); ++v) {
      const auto [i, j] = at[u];
      const auto [kk, ll] = at[v];
      double value = j == ll ? sigma_inv(i, kk) : 0.0;
      if (i == j && j == kk && kk == ll) value += 1 / (l(i, i) * l(i, i));
      f(d + static_cast<Index>(u), d + static_cast<Index>(v)) = value;
    }
  return f;
}

std::vector<ZTest> identity_tests(const std::string& method_name, const GateOptions& options) {
  const Method& method = find_method(method_name);
  std::vector<ZTest> tests;
  const std::vector<GateCase> cases = gate_cases();
  // The first two cases carry the two parameterizations with their scales.
  for (std::size_t c = 0; c < 2; ++c) {
    const Problem& problem = cases[c].problem;
    const Parameterization p = problem.parameterization;
    const Index d = problem.dim();
    const std::vector<std::string> names = coordinate_names(p, d);
    const Index k = static_cast<Index>(names.size());
    const Mat<double> fisher = fisher_information(p, problem.scale);
    const Mat<double> l = p == Parameterization::scale_diag ? Mat<double>(problem.scale.col(0).asDiagonal())
                                                            : Mat<double>(problem.scale);
    std::vector<Moments> first(static_cast<std::size_t>(k)), second(static_cast<std::size_t>(k * k));
    const std::uint64_t seed = derived_seed(options.seed, 100, c);
    const Index batch_size = 1024;
    for (std::uint64_t start = 0; start < options.samples; start += batch_size) {
      const Index n = static_cast<Index>(std::min<std::uint64_t>(batch_size, options.samples - start));
      Batch<double> batch;
      batch.parameterization = p;
      batch.loc = problem.loc;
      batch.param = problem.scale;
      batch.noise.resize(d, n);
      fill_noise(seed, start, batch.noise);
      batch.action = (l.triangularView<Eigen::Lower>() * batch.noise).colwise() + problem.loc;
      const Result<double> r = method.evaluate(batch, Request<double>{Output::grads, {}});
      r.throw_if_failed();
      for (Index b = 0; b < n; ++b) {
        const Vec<double> s = flatten(p, r.grad_loc.col(b), r.grad_param_of(b));
        for (Index u = 0; u < k; ++u) {
          first[static_cast<std::size_t>(u)].add(s(u));
          for (Index v = u; v < k; ++v) second[static_cast<std::size_t>(u * k + v)].add(s(u) * s(v));
        }
      }
    }
    const double n = static_cast<double>(options.samples);
    const std::string prefix = "identity[" + method_name + "]/" + std::string(name(p)) + "/";
    for (Index u = 0; u < k; ++u) {
      const Moments& m = first[static_cast<std::size_t>(u)];
      tests.push_back(make_z_test(prefix + "E[score " + names[static_cast<std::size_t>(u)] + "]=0", m.mean,
                                  0.0, std::sqrt(m.variance() / n)));
      for (Index v = u; v < k; ++v) {
        const Moments& q = second[static_cast<std::size_t>(u * k + v)];
        tests.push_back(make_z_test(prefix + "Fisher(" + names[static_cast<std::size_t>(u)] + "," +
                                        names[static_cast<std::size_t>(v)] + ")",
                                    q.mean, fisher(u, v), std::sqrt(q.variance() / n)));
      }
    }
  }
  return tests;
}

std::vector<ZTest> gate_family(const GateOptions& options) {
  std::vector<ZTest> all;
  spliced(correct_family(options), -1, {}, options.alpha, &all);
  return all;
}

std::string Candidate::label() const { return std::string(name(estimator)) + "[" + method + "]"; }

std::vector<Candidate> mutant_candidates() {
  return {{Estimator::score_function, "mutant:misnormalised_density"},
          {Estimator::score_function, "mutant:constant_variance"},
          {Estimator::mutant_pathwise_swapped, "analytic"}};
}

std::vector<ZTest> candidate_tests(const Candidate& candidate, const GateOptions& options) {
  return spliced(correct_family(options), slot_of(candidate.estimator),
                 unbiasedness_tests(candidate.estimator, candidate.method, options), options.alpha);
}

CalibrationResult calibrate(const CalibrationOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  CalibrationResult out;
  out.seeds = options.seeds;
  out.alphas = options.alphas;
  out.family_rejections.assign(options.alphas.size(), 0);
  const std::vector<Candidate> candidates = mutant_candidates();
  for (const Candidate& c : candidates) out.candidates.push_back(c.label());
  out.candidate_rejections.assign(candidates.size(), 0);
  double raw_total = 0, raw_05 = 0, raw_01 = 0;
  for (int s = 1; s <= options.seeds; ++s) {
    GateOptions gate = options.gate;
    gate.seed = options.gate.seed + static_cast<std::uint64_t>(s);
    const Family f = correct_family(gate);
    std::vector<ZTest> all;
    spliced(f, -1, {}, gate.alpha, &all);
    out.tests_per_family = static_cast<int>(all.size());
    const double min_p = min_adjusted_p(all);
    for (std::size_t a = 0; a < options.alphas.size(); ++a)
      out.family_rejections[a] += min_p <= options.alphas[a] ? 1 : 0;
    for (const ZTest& t : all) {
      raw_total += 1;
      raw_05 += t.p_value <= 0.05 ? 1 : 0;
      raw_01 += t.p_value <= 0.01 ? 1 : 0;
    }
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const std::vector<ZTest> tests =
          spliced(f, slot_of(candidates[c].estimator),
                  unbiasedness_tests(candidates[c].estimator, candidates[c].method, gate), gate.alpha);
      bool rejected = false;
      for (const ZTest& t : tests) rejected = rejected || t.rejected;
      out.candidate_rejections[c] += rejected ? 1 : 0;
    }
  }
  out.raw_rate_05 = raw_05 / raw_total;
  out.raw_rate_01 = raw_01 / raw_total;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace scorebench::mc

// `scorebench mc --reproduce-figures | --policy-example | --calibrate`.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "json_io.hpp"
#include "limits.hpp"
#include "modes.hpp"
#include "output.hpp"
#include "scorebench/mc/estimator.hpp"
#include "scorebench/mc/figures.hpp"
#include "scorebench/mc/gate.hpp"
#include "scorebench/mc/policy.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::cli::mc_cli {

using nlohmann::ordered_json;

int run_figures(const McOptions& o) {
  if (o.out.empty()) throw UsageError("--reproduce-figures needs --out DIR");
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec || !std::filesystem::is_directory(o.out, ec))
    throw UsageError("--out " + o.out + ": cannot create the directory" + (ec ? ": " + ec.message() : ""));
  std::size_t runs = 0;  // (cost, k, estimator) points, each --samples samples of 2 coordinates
  for (const mc::FigureGrid& g : mc::figure_grids()) runs += g.ks.size() * mc::correct_estimators().size();
  check_work("--samples", static_cast<double>(o.samples), 2.0 * static_cast<double>(runs * o.samples),
             "--samples × " + std::to_string(runs) + " points × 2 coordinates", o.threads);
  mc::FigureOptions fo;
  fo.samples = o.samples;
  fo.seed = o.seed;
  fo.method = o.method;
  fo.threads = o.threads;
  const std::vector<mc::FigurePoint> points = mc::reproduce_figures(fo);
  const std::string csv_path = o.out + "/mc_figures.csv", json_path = o.out + "/mc_figures.json";
  std::ofstream csv(csv_path);
  mc::write_figures_csv(csv, points);
  ordered_json list = ordered_json::array();
  for (const mc::FigurePoint& p : points)
    list.push_back(ordered_json{{"family", p.family},
                                {"k", p.k},
                                {"estimator", p.estimator},
                                {"parameter", p.parameter},
                                {"exact_gradient", p.exact_gradient},
                                {"mean", p.mean},
                                {"variance", p.variance},
                                {"ci_low", p.ci_low},
                                {"ci_high", p.ci_high},
                                {"seconds_per_sample", p.seconds_per_sample},
                                {"work_normalised_variance", p.work_normalised_variance}});
  const ordered_json doc{{"setting",
                          {{"reference", "Mohamed, Rosca, Figurnov & Mnih (2020), JMLR 21(132), Figures 2-3"},
                           {"loc", 1.0},
                           {"scale", 1.0},
                           {"samples", o.samples},
                           {"seed", o.seed},
                           {"method", o.method},
                           {"confidence", fo.confidence}}},
                         {"points", list}};
  if (!csv || write_json(json_path, doc)) {
    std::cerr << "scorebench mc: cannot write into --out " << o.out << "\n";
    return 2;
  }
  // Console: variance of ∂μ and ∂σ at a few k per family.
  std::cout << "single-sample variance, mu = sigma = 1, N = " << o.samples << " per point (" << points.size()
            << " points -> " << csv_path << ", " << json_path << ")\n";
  std::cout << std::left << std::setw(16) << "cost" << std::setw(7) << "param" << std::right;
  for (mc::Estimator e : mc::correct_estimators()) std::cout << std::setw(34) << std::string(name(e));
  std::cout << "\n";
  for (std::size_t i = 0; i < points.size(); i += 8) {
    const double k = points[i].k;
    if (std::abs(k - std::round(k)) > 1e-12 ||
        (points[i].family == "cos" && static_cast<int>(k) % 2 == 0 && k != 0))
      continue;  // whole k only (and odd k for cos) in the console
    for (int param = 0; param < 2; ++param) {
      std::cout << std::left << std::setw(16) << (points[i].family + ":" + fmt(k)) << std::setw(7)
                << (param == 0 ? "mean" : "std") << std::right;
      for (std::size_t e = 0; e < 4; ++e) {
        const mc::FigurePoint& p = points[i + 2 * e + static_cast<std::size_t>(param)];
        std::cout << std::setw(34)
                  << (fmt(p.variance, 4) + " [" + fmt(p.ci_low, 3) + ", " + fmt(p.ci_high, 3) + "]");
      }
      std::cout << "\n";
    }
  }
  return 0;
}

int run_policy(const McOptions& o) {
  // 5 estimators × 3 states × 15 parameters per episode.
  check_work("--samples", static_cast<double>(o.samples), 225.0 * static_cast<double>(o.samples),
             "--samples × 5 estimators × 3 states × 15 parameters", 1);
  const mc::PolicyExample ex = mc::policy_example(o.samples, o.seed, o.method);
  std::cout << "policy: d = 2, 3 states, theta of " << ex.theta.size()
            << "; J(theta) = " << fmt(ex.expected_return, 10)
            << "; exact grad J vs 50-digit central differences: max rel. difference "
            << fmt(ex.max_relative_difference, 3) << "\n";
  std::cout << std::left << std::setw(10) << "theta" << std::right << std::setw(12) << "exact";
  for (const auto& e : ex.estimates) std::cout << std::setw(34) << mc::policy_estimator_name(e.estimator);
  std::cout << "\n";
  for (Index j = 0; j < ex.theta.size(); ++j) {
    std::cout << std::left << std::setw(10) << ex.names[static_cast<std::size_t>(j)] << std::right
              << std::setw(12) << fmt(ex.exact(j), 5);
    for (const auto& e : ex.estimates)
      std::cout << std::setw(34)
                << (fmt(e.mean(j), 5) + " (z " + fmt(e.z(j), 3) + ", var " + fmt(e.variance(j), 3) + ")");
    std::cout << "\n";
  }
  ordered_json estimates = ordered_json::array();
  for (const auto& e : ex.estimates)
    estimates.push_back(ordered_json{{"name", mc::policy_estimator_name(e.estimator)},
                                     {"mean", vector_json(e.mean)},
                                     {"variance", vector_json(e.variance)},
                                     {"stderr", vector_json(e.standard_error)},
                                     {"z", vector_json(e.z)},
                                     {"seconds_per_episode", e.seconds_per_episode}});
  const ordered_json doc{{"episodes", o.samples},
                         {"seed", o.seed},
                         {"method", o.method},
                         {"parameters", ex.names},
                         {"theta", vector_json(ex.theta)},
                         {"expected_return", ex.expected_return},
                         {"exact", vector_json(ex.exact)},
                         {"finite_difference_50_digit", vector_json(ex.finite_difference)},
                         {"max_relative_difference", ex.max_relative_difference},
                         {"estimators", estimates}};
  if (int rc = write_json(o.json, doc)) return rc;
  // A finding: the exact gradient disagrees with J, or full REINFORCE is biased.
  std::vector<mc::ZTest> tests;
  for (Index j = 0; j < ex.theta.size(); ++j)
    tests.push_back(mc::make_z_test(ex.names[static_cast<std::size_t>(j)], ex.estimates[0].mean(j),
                                    ex.exact(j), ex.estimates[0].standard_error(j)));
  return ex.max_relative_difference > 1e-12 || mc::holm(tests, o.alpha) > 0 ? 1 : 0;
}

int run_calibrate(const McOptions& o) {
  // One gate run draws about 400 single-sample coordinates per --samples
  // (10 cases × 8 estimators and mutants × 5 coordinates).
  check_work("--seeds", o.seeds, 400.0 * o.seeds * static_cast<double>(o.samples),
             "--seeds × --samples × 400", o.threads);
  mc::CalibrationOptions co;
  co.seeds = o.seeds;
  co.gate.samples = o.samples;
  co.gate.alpha = o.alpha;
  co.gate.method = o.method;
  co.gate.threads = o.threads;
  if (o.seed) co.gate.seed = o.seed;
  const mc::CalibrationResult r = mc::calibrate(co);
  std::cout << r.seeds << " runs of the gate (" << r.tests_per_family << " z-tests each, N = " << o.samples
            << " per estimator and case), " << fmt(r.seconds, 4) << " s\n";
  ordered_json rates = ordered_json::array();
  for (std::size_t a = 0; a < r.alphas.size(); ++a) {
    const double rate = static_cast<double>(r.family_rejections[a]) / r.seeds;
    std::cout << "  family-wise false alarms at alpha " << r.alphas[a] << ": " << r.family_rejections[a]
              << "/" << r.seeds << " = " << fmt(rate, 3) << "\n";
    rates.push_back(
        ordered_json{{"alpha", r.alphas[a]}, {"rejected_runs", r.family_rejections[a]}, {"rate", rate}});
  }
  std::cout << "  single tests with p <= 0.05: " << fmt(r.raw_rate_05, 4)
            << ", p <= 0.01: " << fmt(r.raw_rate_01, 4) << "\n";
  ordered_json power = ordered_json::array();
  for (std::size_t c = 0; c < r.candidates.size(); ++c) {
    const double rate = static_cast<double>(r.candidate_rejections[c]) / r.seeds;
    std::cout << "  power against " << r.candidates[c] << " at alpha " << o.alpha << ": "
              << r.candidate_rejections[c] << "/" << r.seeds << "\n";
    power.push_back(ordered_json{
        {"candidate", r.candidates[c]}, {"rejected_runs", r.candidate_rejections[c]}, {"rate", rate}});
  }
  const ordered_json doc{{"seeds", r.seeds},
                         {"samples", o.samples},
                         {"alpha", o.alpha},
                         {"tests_per_family", r.tests_per_family},
                         {"family_rejections", rates},
                         {"raw_rate_05", r.raw_rate_05},
                         {"raw_rate_01", r.raw_rate_01},
                         {"power", power},
                         {"seconds", r.seconds}};
  return write_json(o.json, doc);
}

}  // namespace scorebench::cli::mc_cli

// `scorebench mc`: Monte Carlo gradient estimators against closed forms
// (estimators/mc/README.md). Four modes:
//   one estimator   --estimator E --cost C --loc … (--scale-diag … | --scale-tril …) --samples N
//   --reproduce-figures --out DIR   Mohamed et al. (2020) Figs. 2–3 curves as CSV and JSON
//   --policy-example                the state-dependent covariance policy example
//   --calibrate --seeds R           false-alarm rate and power of the gate over R seeds

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <system_error>
#include <thread>

#include "command.hpp"
#include "json_io.hpp"
#include "scorebench/mc/estimator.hpp"
#include "scorebench/mc/figures.hpp"
#include "scorebench/mc/gate.hpp"
#include "scorebench/mc/policy.hpp"
#include "scorebench/resources.hpp"

namespace scorebench::cli {

namespace {

using nlohmann::ordered_json;
namespace mc = scorebench::mc;

struct McOptions {
  std::string estimator, cost, loc, scale_diag, scale_tril, cost_a, cost_b, cost_c, method = "analytic";
  std::string json, out;
  std::uint64_t samples = 10000, seed = 0;
  int threads = 1, seeds = 100;
  Index batch_size = 1024;
  double alpha = 0.01;
  bool details = false, figures = false, policy = false, calibrate = false;
};

struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

std::string fmt_count(double v) {
  std::ostringstream s;
  s << std::setprecision(20) << v;
  return s.str();
}

// ---- Limits (estimators/mc/README.md, "Limits") ------------------------------
// Sizes that cannot finish or fit are refused before any sampling, with the
// estimate; memory stays bounded by one round of batches (estimate()).

// Threads: at most 4 × the hardware threads (more only add switching; each
// thread holds a batch), and never more than 256.
int max_threads() {
  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(std::min(256u, 4 * hardware));
}

// The most work one run may plan, in single-sample gradient coordinates (one
// coordinate of one sample's estimate): 1e10 is at most about 40 minutes on
// one core of the 2-core x86-64-v3 CI machine at the rate below.
constexpr double kMaxWork = 1e10;
// Seconds per single-sample gradient coordinate on that machine, the slowest
// measured (`scorebench mc --details`: seconds_per_sample / coordinates, a
// busy machine): 45–115 ns at d = 1 and 2 (every estimator, analytic score),
// 45 ns (pathwise) to 235 ns (score_function) at d = 20 with scale_tril.
constexpr double kSecondsPerCoordinate = 250e-9;

std::string scientific(double v) {
  std::ostringstream s;
  s << std::setprecision(2) << v;
  return s.str();
}

// Refuses a run whose work (what × samples × per_sample coordinates) is
// beyond kMaxWork, naming the option and the estimate.
void check_work(const std::string& option, double value, double work, const std::string& what, int threads) {
  if (work <= kMaxWork) return;
  const double hours = work * kSecondsPerCoordinate / 3600 / std::max(1, threads);
  throw UsageError(option + " " + fmt_count(value) + ": the run would compute " + what + " = " +
                   scientific(work) + " single-sample gradient coordinates, more than the " +
                   scientific(kMaxWork) + " one run may (up to about " + scientific(hours) + " hours on " +
                   std::to_string(std::max(1, threads)) + " thread(s) of a 2-core CI machine)");
}

// --threads, --samples, --batch-size and --seeds in range for every mode.
void check_common(const McOptions& o) {
  if (o.threads < 1 || o.threads > max_threads())
    throw UsageError("--threads " + std::to_string(o.threads) + ": must be from 1 to " +
                     std::to_string(max_threads()) + " (4 × the " +
                     std::to_string(std::max(1u, std::thread::hardware_concurrency())) +
                     " hardware threads of this machine, at most 256)");
  if (o.samples < 2) throw UsageError("--samples " + std::to_string(o.samples) + ": must be at least 2");
  if (o.batch_size < 2)
    throw UsageError("--batch-size " + std::to_string(o.batch_size) + ": must be at least 2");
  if (o.seeds < 1) throw UsageError("--seeds " + std::to_string(o.seeds) + ": must be at least 1");
  if (!(o.alpha > 0 && o.alpha < 1))
    throw UsageError("--alpha " + fmt_count(o.alpha) + ": must be in (0, 1)");
}

// Memory of a single run: the problem's d×d matrices (Σ, its factor, the
// exact gradient: about 8 of them) and, per thread, one batch (noise,
// actions, the per-sample gradients and estimates: about 3 d² + 2k + 6d
// doubles a sample) plus one sample of the score method.
void check_memory(const McOptions& o, Parameterization p, Index d, Index k) {
  const double n = static_cast<double>(d), threads = o.threads;
  const double per_sample =
      (p == Parameterization::scale_diag ? 3 * n : 3 * n * n) + 2.0 * static_cast<double>(k) + 6 * n;
  const double bytes = 8 * n * n * 8 + threads * (static_cast<double>(o.batch_size) * per_sample * 8 +
                                                  score_sample_bytes(o.method, p, d, sizeof(double)));
  if (const auto excess = exceeds_memory(bytes, physical_memory_bytes()))
    throw UsageError("d = " + std::to_string(d) + ", --batch-size " + std::to_string(o.batch_size) +
                     ", --threads " + std::to_string(o.threads) + " (--method " + o.method +
                     "): the run needs " + *excess);
}

std::vector<double> parse_numbers(const std::string& option, const std::string& text) {
  std::vector<double> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    // strtod rather than std::stod: stod throws out_of_range on an
    // underflow (1e-400) as well as on an overflow (1e400).
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    std::size_t used = static_cast<std::size_t>(end - item.c_str());
    while (used < item.size() && item[used] == ' ') ++used;
    if (item.empty() || used != item.size())
      throw UsageError(option + ": '" + item + "' (entry " + std::to_string(out.size()) +
                       ") is not a number");
    if (errno == ERANGE && std::isinf(v))
      throw UsageError(option + ": '" + item + "' (entry " + std::to_string(out.size()) +
                       ") is beyond the range of a double");
    out.push_back(v);
  }
  if (out.empty()) throw UsageError(option + " is empty");
  return out;
}

Vec<double> parse_vector(const std::string& option, const std::string& text) {
  const std::vector<double> v = parse_numbers(option, text);
  return Eigen::Map<const Vec<double>>(v.data(), static_cast<Index>(v.size()));
}

// "r0;r1;…", each row comma-separated; a lower-triangular row may give only
// its first i + 1 entries.
Mat<double> parse_matrix(const std::string& option, const std::string& text, bool lower) {
  std::vector<std::vector<double>> rows;
  std::stringstream in(text);
  std::string row;
  while (std::getline(in, row, ';'))
    rows.push_back(parse_numbers(option + " row " + std::to_string(rows.size()), row));
  const Index d = static_cast<Index>(rows.size());
  Mat<double> m = Mat<double>::Zero(d, d);
  for (Index i = 0; i < d; ++i) {
    const auto& r = rows[static_cast<std::size_t>(i)];
    const Index n = static_cast<Index>(r.size());
    if (n != d && !(lower && n == i + 1))
      throw UsageError(option + ": row " + std::to_string(i) + " has " + std::to_string(n) +
                       " entries, expected " + std::to_string(d) +
                       (lower ? " (or " + std::to_string(i + 1) + ")" : ""));
    for (Index j = 0; j < n; ++j) m(i, j) = r[static_cast<std::size_t>(j)];
  }
  return m;
}

ordered_json matrix_json(const Mat<double>& m) {
  ordered_json rows = ordered_json::array();
  for (Index i = 0; i < m.rows(); ++i) {
    ordered_json row = ordered_json::array();
    for (Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    rows.push_back(row);
  }
  return rows;
}

ordered_json vector_json(const Vec<double>& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

// {"grad_loc": [d], "grad_scale_diag": [d] | "grad_scale_tril": [[d]×d]} of a coordinate vector.
ordered_json gradient_json(const mc::Problem& p, const Vec<double>& coordinates) {
  const Index d = p.dim();
  ordered_json j;
  j["grad_loc"] = vector_json(coordinates.head(d));
  const Mat<double> scale = mc::scale_block(p.parameterization, d, coordinates);
  if (p.parameterization == Parameterization::scale_diag)
    j["grad_scale_diag"] = vector_json(scale.col(0));
  else
    j["grad_scale_tril"] = matrix_json(scale);
  return j;
}

int write_json(const std::string& path, const ordered_json& doc) {
  if (path.empty()) return 0;
  std::ofstream out(path);
  if (!(out << dump_readable(doc))) {
    std::cerr << "scorebench mc: cannot write --json " << path << "\n";
    return 2;
  }
  return 0;
}

std::string fmt(double v, int precision = 6) {
  std::ostringstream s;
  s << std::setprecision(precision) << v;
  return s.str();
}

int run_single(const McOptions& o) {
  if (o.estimator.empty() || o.cost.empty() || o.loc.empty())
    throw UsageError(
        "--estimator, --cost and --loc are required (or one of --reproduce-figures, "
        "--policy-example, --calibrate)");
  const auto estimator = mc::parse_estimator(o.estimator);
  if (!estimator) throw UsageError("--estimator: unknown estimator '" + o.estimator + "'");
  if (o.scale_diag.empty() == o.scale_tril.empty())
    throw UsageError("give exactly one of --scale-diag and --scale-tril");
  mc::Problem p;
  p.loc = parse_vector("--loc", o.loc);
  if (!o.scale_diag.empty()) {
    p.parameterization = Parameterization::scale_diag;
    p.scale = parse_vector("--scale-diag", o.scale_diag);
  } else {
    p.parameterization = Parameterization::scale_tril;
    p.scale = parse_matrix("--scale-tril", o.scale_tril, true);
  }
  p.cost =
      mc::parse_cost(o.cost, o.cost_a.empty() ? Mat<double>() : parse_matrix("--cost-a", o.cost_a, false),
                     o.cost_b.empty() ? Vec<double>() : parse_vector("--cost-b", o.cost_b),
                     o.cost_c.empty() ? Vec<double>() : parse_vector("--cost-c", o.cost_c));
  const Index d = p.dim(), k = d + (p.parameterization == Parameterization::scale_diag ? d : d * (d + 1) / 2);
  check_memory(o, p.parameterization, d, k);
  // Forward-mode AD carries 2d + (the scale's entries) derivatives through
  // every operation of every sample.
  const double per_sample =
      static_cast<double>(k) * (o.method == "autodiff_forward" && mc::is_score_function(*estimator)
                                    ? static_cast<double>(k + d)
                                    : 1.0);
  check_work("--samples", static_cast<double>(o.samples), static_cast<double>(o.samples) * per_sample,
             "--samples × " + fmt_count(per_sample) +
                 (per_sample == static_cast<double>(k) ? " coordinates" : " coordinates × derivatives"),
             o.threads);
  mc::EstimateOptions eo;
  eo.estimator = *estimator;
  eo.method = o.method;
  eo.samples = o.samples;
  eo.seed = o.seed;
  eo.threads = o.threads;
  eo.batch_size = o.batch_size;
  const mc::Estimate e = mc::estimate(p, eo);

  // Holm over the coordinates of this run: the finding behind exit status 1.
  std::vector<mc::ZTest> tests;
  for (std::size_t j = 0; j < e.names.size(); ++j) {
    const auto i = static_cast<Index>(j);
    tests.push_back(mc::make_z_test(e.names[j], e.mean(i), e.exact(i), e.standard_error(i)));
    tests.back().z = e.z(i);
    tests.back().p_value = e.p_value(i);
  }
  const int rejected = mc::holm(tests, o.alpha);

  ordered_json doc;
  doc["estimator"] = o.estimator;
  doc["cost"] = p.cost.name();
  doc["samples"] = o.samples;
  doc["seed"] = o.seed;
  doc["exact"] = ordered_json{{"value", e.exact_value}};
  doc["exact"].update(gradient_json(p, e.exact));
  doc["mean"] = gradient_json(p, e.mean);
  doc["variance"] = gradient_json(p, e.variance);
  doc["stderr"] = gradient_json(p, e.standard_error);
  doc["z"] = gradient_json(p, e.z);
  if (o.details) {
    Vec<double> adjusted(static_cast<Index>(tests.size()));
    for (std::size_t j = 0; j < tests.size(); ++j) adjusted(static_cast<Index>(j)) = tests[j].adjusted_p;
    const Vec<double> half = 1.959963984540054 * e.variance_stderr;
    doc["details"] =
        ordered_json{{"method", mc::is_score_function(*estimator) ? o.method : ""},
                     {"threads", o.threads},
                     {"batch_size", o.batch_size},
                     {"seconds", e.seconds},
                     {"seconds_per_sample", e.seconds_per_sample()},
                     {"p_value", gradient_json(p, e.p_value)},
                     {"holm_adjusted_p", gradient_json(p, adjusted)},
                     {"variance_ci95_low", gradient_json(p, (e.variance - half).cwiseMax(0.0))},
                     {"variance_ci95_high", gradient_json(p, e.variance + half)},
                     {"work_normalised_variance", gradient_json(p, e.work_normalised_variance())}};
  }

  std::cout << o.estimator << (mc::is_score_function(*estimator) ? " [" + o.method + "]" : "") << "  cost "
            << p.cost.name() << "  N = " << o.samples << "  seed " << o.seed
            << "  E[f] = " << fmt(e.exact_value, 10) << "\n";
  std::cout << std::left << std::setw(18) << "coordinate" << std::right << std::setw(14) << "exact"
            << std::setw(14) << "mean" << std::setw(12) << "stderr" << std::setw(9) << "z" << std::setw(13)
            << "variance" << std::setw(26) << "variance 95% CI" << std::setw(14) << "var×s/sample"
            << "\n";
  for (std::size_t j = 0; j < e.names.size(); ++j) {
    const auto i = static_cast<Index>(j);
    const double half = 1.959963984540054 * e.variance_stderr(i);
    std::cout << std::left << std::setw(18) << e.names[j] << std::right << std::setw(14) << fmt(e.exact(i))
              << std::setw(14) << fmt(e.mean(i)) << std::setw(12) << fmt(e.standard_error(i), 3)
              << std::setw(9) << fmt(e.z(i), 3) << std::setw(13) << fmt(e.variance(i), 4) << std::setw(26)
              << ("[" + fmt(std::max(0.0, e.variance(i) - half), 4) + ", " + fmt(e.variance(i) + half, 4) +
                  "]")
              << std::setw(14) << fmt(e.work_normalised_variance()(i), 3) << "\n";
  }
  std::cout << fmt(e.seconds_per_sample() * 1e9, 4) << " ns per sample; Holm at alpha " << o.alpha << ": "
            << (rejected ? std::to_string(rejected) + " coordinate(s) disagree with the exact gradient"
                         : "consistent with the exact gradient")
            << "\n";
  if (int rc = write_json(o.json, doc)) return rc;
  return rejected ? 1 : 0;
}

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

}  // namespace

Command add_mc_command(CLI::App& app) {
  auto o = std::make_shared<McOptions>();
  CLI::App* mc =
      app.add_subcommand("mc", "Monte Carlo gradient estimators of grad E[f(a)], a ~ N(loc, Sigma)");
  std::vector<std::string> estimators;
  for (int i = 0; i < 5; ++i) estimators.emplace_back(mc::name(static_cast<mc::Estimator>(i)));
  mc->add_option("--estimator", o->estimator, "Estimator")->check(CLI::IsMember(estimators));
  mc->add_option("--cost", o->cost, "square:k, exp_neg_square:k, cos:k, quadratic, exp_linear");
  mc->add_option("--cost-a", o->cost_a, "quadratic: A as rows 'a00,a01;a10,a11'");
  mc->add_option("--cost-b", o->cost_b, "quadratic: b as 'b0,b1'");
  mc->add_option("--cost-c", o->cost_c, "exp_linear: c as 'c0,c1'");
  mc->add_option("--loc", o->loc, "Mean: 'v1,v2,...'");
  mc->add_option("--scale-diag", o->scale_diag, "Standard deviations: 's1,s2,...'");
  mc->add_option("--scale-tril", o->scale_tril, "Lower Cholesky factor: rows 'l00;l10,l11;...'");
  mc->add_option("--samples", o->samples, "Samples (episodes for --policy-example)")->capture_default_str();
  mc->add_option("--seed", o->seed, "Seed")->capture_default_str();
  mc->add_option("--method", o->method, "Score method for the score-function estimators (registry or mutant)")
      ->capture_default_str();
  mc->add_option("--threads", o->threads, "Threads (results do not depend on it)")->capture_default_str();
  mc->add_option("--batch-size", o->batch_size, "Batch: unit of work and leave-one-out pool")
      ->capture_default_str();
  mc->add_option("--alpha", o->alpha, "Family-wise level of the Holm tests")->capture_default_str();
  mc->add_option("--json", o->json, "Write the result as JSON");
  mc->add_flag("--details", o->details, "Add a 'details' object to the JSON (p-values, variance CI, timing)");
  mc->add_flag("--reproduce-figures", o->figures, "Mohamed et al. (2020) Figs. 2-3 curves into --out DIR");
  mc->add_option("--out", o->out, "Directory for --reproduce-figures");
  mc->add_flag("--policy-example", o->policy, "The state-dependent covariance policy example");
  mc->add_flag("--calibrate", o->calibrate,
               "Measure the gate's false-alarm rate and power over --seeds runs");
  mc->add_option("--seeds", o->seeds, "Runs for --calibrate")->capture_default_str();
  return {mc, [o] {
            try {
              if (o->figures + o->policy + o->calibrate > 1)
                throw UsageError("give at most one of --reproduce-figures, --policy-example, --calibrate");
              check_common(*o);
              if (o->figures) return run_figures(*o);
              if (o->policy) return run_policy(*o);
              if (o->calibrate) return run_calibrate(*o);
              return run_single(*o);
            } catch (const std::invalid_argument& e) {
              std::cerr << "scorebench mc: " << e.what() << "\n";
              return 2;
            } catch (const std::domain_error& e) {
              std::cerr << "scorebench mc: " << e.what() << "\n";
              return 2;
            } catch (const std::system_error& e) {
              // Below the --threads limit the system may still refuse a thread.
              std::cerr << "scorebench mc: cannot start " << o->threads << " threads: " << e.what() << "\n";
              return 2;
            }
          }};
}

}  // namespace scorebench::cli

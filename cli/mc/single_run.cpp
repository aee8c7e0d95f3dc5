// `scorebench mc --estimator E --cost C …`: one estimator against the closed form.

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
      static_cast<double>(k) *
      (registry().get(o.method).capabilities().carries_every_derivative && mc::is_score_function(*estimator)
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

}  // namespace scorebench::cli::mc_cli

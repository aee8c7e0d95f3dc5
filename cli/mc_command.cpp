// `scorebench mc`: Monte Carlo gradient estimators against closed forms
// (estimators/mc/README.md). Four modes:
//   one estimator   --estimator E --cost C --loc … (--scale-diag … | --scale-tril …) --samples N
//   --reproduce-figures --out DIR   Mohamed et al. (2020) Figs. 2–3 curves as CSV and JSON
//   --policy-example                the state-dependent covariance policy example
//   --calibrate --seeds R           false-alarm rate and power of the gate over R seeds

#include <iostream>
#include <memory>
#include <system_error>

#include "command.hpp"
#include "mc/limits.hpp"
#include "mc/modes.hpp"
#include "mc/options.hpp"
#include "scorebench/mc/estimator.hpp"

namespace scorebench::cli {

Command add_mc_command(CLI::App& app) {
  using namespace mc_cli;
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

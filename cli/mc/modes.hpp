#pragma once
// The four modes of `scorebench mc`; each returns the exit status and
// throws UsageError (exit 2) for an option it cannot use.
//   run_single     one estimator on one problem against its closed form
//   run_figures    Mohamed et al. (2020) Figs. 2–3 curves as CSV and JSON
//   run_policy     the state-dependent covariance policy example
//   run_calibrate  false-alarm rate and power of the gate over --seeds runs

#include "options.hpp"

namespace scorebench::cli::mc_cli {

int run_single(const McOptions& o);
int run_figures(const McOptions& o);
int run_policy(const McOptions& o);
int run_calibrate(const McOptions& o);

}  // namespace scorebench::cli::mc_cli

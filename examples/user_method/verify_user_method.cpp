// verify_user_method: the correctness gate of scorebench on `user_llt`,
// through the library API (scorebench/verification/gate.hpp), as
// `scorebench verify` runs it on a built-in method: generated cases,
// 50-digit references, per-block bounds of the method's accuracy contract
// (a user method is held to route `unknown`, c = 1, every κ).
//
//   verify_user_method [--quick | --small] [--seed S]
//
// Prints the worst error/bound per parameterization and dtype and every
// violation. Exit status: 0 within contract, 1 a violation, 2 usage.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <utility>

#include "scorebench/verification/gate.hpp"
#include "user_llt.hpp"

namespace v = scorebench::verification;

int main(int argc, char** argv) {
  v::VerifyOptions options;  // the quick sweep, the default seed
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      options.sweep = v::Sweep::quick;
    } else if (arg == "--small") {
      options.sweep = v::Sweep::small;
    } else if (arg == "--seed" && i + 1 < argc) {
      options.seed = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::cerr << "usage: verify_user_method [--quick | --small] [--seed S]\n";
      return 2;
    }
  }

  const auto method = user::make_user_llt();
  const v::VerifyReport report = v::run_verification(options, {method.get()});

  // The worst ratio error/bound per parameterization and dtype, over the
  // evaluations the contract covers.
  std::map<std::pair<std::string, std::string>, double> worst;
  std::map<std::string, size_t> by_status;
  for (const v::Evaluation& e : report.evaluations) {
    ++by_status[v::name(e.status)];
    if (!e.promised) continue;
    const v::CaseSpec& spec = report.cases[e.case_index].spec;
    double& w = worst[{std::string(scorebench::name(spec.parameterization)), v::name(spec.dtype)}];
    w = std::max(w, e.worst_ratio());
  }
  std::cout << method->name() << ": " << v::name(report.sweep) << " sweep, seed " << report.seed << ", "
            << report.cases.size() << " cases, " << report.evaluations.size() << " evaluations in "
            << report.seconds << " s\n";
  for (const auto& [status, n] : by_status) std::cout << "  " << status << ": " << n << "\n";
  std::cout << "  worst error/bound within the contract:\n";
  for (const auto& [key, ratio] : worst)
    std::cout << "    " << key.first << " " << key.second << ": " << ratio << "\n";
  const size_t shown = std::min<size_t>(report.violations.size(), 20);
  for (size_t i = 0; i < shown; ++i) std::cout << "VIOLATION " << report.violations[i] << "\n";
  if (shown < report.violations.size())
    std::cout << "... and " << report.violations.size() - shown << " more violations\n";
  std::cout << (report.ok() ? "PASS" : "FAIL") << ": " << report.violations.size() << " violations\n";
  return report.ok() ? 0 : 1;
}

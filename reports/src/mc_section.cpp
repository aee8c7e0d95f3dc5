// The Monte Carlo section: placeholder until the estimators' JSON schema lands.

#include "scorebench/reports/report_sections.hpp"

namespace scorebench::reports {

void add_mc_section(ReportContext& ctx, const nlohmann::json& mc) {
  (void)mc;
  ctx.note("the Monte Carlo JSON schema is not yet known to this report: estimator sections left out.");
}

}  // namespace scorebench::reports

// The accuracy section: placeholder until verification's JSON schema lands.

#include "scorebench/reports/report_sections.hpp"

namespace scorebench::reports {

ContractTable add_verify_section(ReportContext& ctx, const nlohmann::json& verify) {
  (void)verify;
  ctx.note("the verification JSON schema is not yet known to this report: accuracy section left out.");
  return {};
}

}  // namespace scorebench::reports

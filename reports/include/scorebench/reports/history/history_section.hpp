#pragma once
// The report's history section (`scorebench report --history FILE`): one
// small chart per row family (score/<method>/<parameterization>,
// mc/<estimator>/<cost>, roof/<kind>): the geometric mean over the family's
// rows of each row's value relative to its first recorded commit, against
// the commit, one line per machine, with the detected change points marked;
// then the table of every step found.

#include <string>

#include "scorebench/reports/report_context.hpp"

namespace scorebench::reports::history {

// The family of a benchmark row: its first three '/'-separated parts.
std::string row_family(const std::string& row);

// Throws StoreError (results_store.hpp) when the store cannot be read.
void add_history_section(ReportContext& ctx, const std::string& store_path);

}  // namespace scorebench::reports::history

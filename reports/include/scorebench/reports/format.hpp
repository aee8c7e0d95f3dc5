#pragma once
// Number formatting shared by the tables of `compare` and `report`.

#include <string>

namespace scorebench::reports {

// A duration given in nanoseconds, with a unit chosen for 3–4 significant
// digits: "812 ns", "3.41 µs", "12.0 ms".
std::string format_duration_ns(double ns);
// A count with an SI suffix: "950", "12.3 k", "4.56 M", "7.89 G".
std::string format_count(double value);
// printf-style %.{digits}g.
std::string format_general(double value, int digits = 3);
// A ratio as "1.234×".
std::string format_ratio(double ratio);
// A p-value: "0.0123", "<1e-6", "—" for NaN.
std::string format_p(double p);
// An implementation scorebench did not write: its method is named external.<name>.
bool is_external(const std::string& method);
// A method as the report's tables and legends show it: externals marked with
// "†" (the report lists the command that ran each).
std::string method_label(const std::string& method);
// `value` in a metric: durations for time metrics, counts otherwise.
std::string format_metric(double value, bool is_time);

}  // namespace scorebench::reports

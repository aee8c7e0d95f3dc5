#include "scorebench/reports/format.hpp"

#include <cmath>
#include <cstdio>

namespace scorebench::reports {

std::string format_general(double value, int digits) {
  if (std::isnan(value)) return "—";
  if (std::isinf(value)) return value > 0 ? "∞" : "−∞";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

std::string format_duration_ns(double ns) {
  if (!std::isfinite(ns)) return format_general(ns);
  const char* units[] = {"ns", "µs", "ms", "s"};
  int unit = 0;
  while (unit < 3 && std::abs(ns) >= 1000) {
    ns /= 1000;
    ++unit;
  }
  return format_general(ns, 3) + " " + units[unit];
}

std::string format_count(double value) {
  if (!std::isfinite(value)) return format_general(value);
  const char* suffixes[] = {"", " k", " M", " G", " T"};
  int s = 0;
  while (s < 4 && std::abs(value) >= 1000) {
    value /= 1000;
    ++s;
  }
  return format_general(value, s == 0 ? 6 : 4) + suffixes[s];
}

std::string format_ratio(double ratio) {
  if (!std::isfinite(ratio)) return format_general(ratio);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3f×", ratio);
  return buffer;
}

std::string format_p(double p) {
  if (std::isnan(p)) return "—";
  if (p < 1e-6) return "<1e-6";
  return format_general(p, 3);
}

std::string format_metric(double value, bool is_time) {
  return is_time ? format_duration_ns(value) : format_count(value);
}

bool is_external(const std::string& method) { return method.rfind("external.", 0) == 0; }

std::string method_label(const std::string& method) { return is_external(method) ? method + "†" : method; }

}  // namespace scorebench::reports

#include "scorebench/resources.hpp"

#include <unistd.h>

#include <cstdio>

namespace scorebench {

double physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0.0;
}

double score_sample_bytes(const Capabilities& method, Parameterization p, Index d, std::size_t scalar_bytes) {
  const double n = static_cast<double>(d), s = static_cast<double>(scalar_bytes);
  if (method.carries_every_derivative) {
    const double derivatives = 2 * n + (is_matrix(p) ? n * (n + 1) / 2 : n);
    const double variables = !is_matrix(p)                       ? 8 * n
                             : p == Parameterization::scale_tril ? n * n + 6 * n
                                                                 : 2 * n * n + 6 * n;
    return variables * (derivatives * s + 48);
  }
  return is_matrix(p) ? 8 * n * n * s + 64 * n * s : 16 * n * s;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024 && u < 6) {
    bytes /= 1024;
    ++u;
  }
  char text[48];
  std::snprintf(text, sizeof text, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return text;
}

std::optional<std::string> exceeds_memory(double bytes, double memory) {
  if (!(memory > 0) || bytes <= kMemoryShare * memory) return std::nullopt;
  return "about " + format_bytes(bytes) + ", more than half of the " + format_bytes(memory) +
         " of memory of this machine";
}

}  // namespace scorebench

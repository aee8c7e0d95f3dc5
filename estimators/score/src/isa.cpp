#include "scorebench/isa.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "beside_executable.hpp"

// Set by CMake (cmake/isa_variants.cmake): this build's level, its variants'
// levels (','-separated, lowest first), where the build tree keeps them and
// the relative path from the installed bindir to libexec/scorebench.
#ifndef SCOREBENCH_ISA_LEVEL
#define SCOREBENCH_ISA_LEVEL "unknown"
#endif
#ifndef SCOREBENCH_ISA_VARIANTS
#define SCOREBENCH_ISA_VARIANTS ""
#endif

namespace scorebench::isa {

const char* level() { return SCOREBENCH_ISA_LEVEL; }

std::vector<std::string> variants() {
  std::vector<std::string> out;
  std::istringstream list(SCOREBENCH_ISA_VARIANTS);
  for (std::string v; std::getline(list, v, ',');)
    if (!v.empty()) out.push_back(v);
  return out;
}

bool cpu_runs(std::string_view l) {
#if defined(__x86_64__)
  if (l == "x86-64") return true;
#if defined(__clang__)  // clang 14 names features, not levels (the levels' defining ones)
  const bool v2 = __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("popcnt");
  const bool v3 = v2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                  __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
  const bool v4 = v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                  __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
                  __builtin_cpu_supports("avx512vl");
#else
  const bool v2 = __builtin_cpu_supports("x86-64-v2"), v3 = __builtin_cpu_supports("x86-64-v3"),
             v4 = __builtin_cpu_supports("x86-64-v4");
#endif
  return (l == "x86-64-v2" && v2) || (l == "x86-64-v3" && v3) || (l == "x86-64-v4" && v4);
#else
  return l == level();
#endif
}

namespace {

[[maybe_unused]] bool is_executable(const std::filesystem::path& p) {
  std::error_code error;
  return std::filesystem::is_regular_file(p, error) && ::access(p.c_str(), X_OK) == 0;
}

// Where the variant `l` of this executable is: installed beside this one's
// prefix, else in the build tree.
std::optional<std::filesystem::path> variant_path([[maybe_unused]] const std::string& l,
                                                  [[maybe_unused]] std::string_view build_path) {
#if defined(SCOREBENCH_ISA_BUILD_DIR) && defined(SCOREBENCH_ISA_LIBEXEC_FROM_BINDIR)
  const std::filesystem::path name = std::filesystem::path(build_path).filename();
  const auto installed =
      detail::beside_executable(std::filesystem::path(SCOREBENCH_ISA_LIBEXEC_FROM_BINDIR) / l / "bin" / name);
  if (is_executable(installed)) return installed;
  const auto built = std::filesystem::path(SCOREBENCH_ISA_BUILD_DIR) / l / build_path;
  if (is_executable(built)) return built;
#endif
  return std::nullopt;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

}  // namespace

std::optional<std::string> run_best_variant(char** argv, std::string_view build_path) {
  const char* env = std::getenv("SCOREBENCH_ISA");
  const std::string asked = env && *env ? env : "auto";
  const std::vector<std::string> levels = variants();
  std::optional<std::filesystem::path> path;
  if (asked == "auto") {
    for (const std::string& l : levels)
      if (cpu_runs(l))
        if (auto p = variant_path(l, build_path)) path = p;
    if (!path) return std::nullopt;
  } else {
    const std::string prefix = "SCOREBENCH_ISA=" + asked + ": ";
    if (asked == level()) return std::nullopt;
    bool known = false;
    for (const std::string& l : levels) known |= l == asked;
    if (!known)
      return prefix + "this build has no such level (it is " + level() + ", with the variants " +
             joined(levels) + "; auto picks the highest this CPU runs)";
    if (!cpu_runs(asked)) return prefix + "this CPU does not run " + asked + " code";
    path = variant_path(asked, build_path);
    if (!path)
      return prefix + "the " + asked + " variant of " + std::string(build_path) +
             " is not built or installed";
  }
  ::execv(path->c_str(), argv);  // returns only on failure
  const std::string failed = "cannot run " + path->string() + ": " + std::strerror(errno);
  if (asked != "auto") return "SCOREBENCH_ISA=" + asked + ": " + failed;
  std::fprintf(stderr, "scorebench: %s; going on with the %s build\n", failed.c_str(), level());
  return std::nullopt;
}

}  // namespace scorebench::isa

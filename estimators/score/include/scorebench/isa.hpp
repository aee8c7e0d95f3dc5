#pragma once
// The instruction set a build is compiled for, and the switch to a variant
// compiled for a higher one, chosen at run time.
//
// The release build compiles everything for the x86-64 baseline (SSE2), so
// that it runs on any x86-64 CPU, and builds its executables again, whole,
// for each level of SCOREBENCH_ISA_VARIANTS (x86-64-v3: AVX2, FMA;
// cmake/isa_variants.cmake). A baseline executable calls
// run_best_variant() first: it replaces itself (execv) with the highest
// variant this CPU runs, so that every kernel, Eigen's own included, runs the
// widest vectors the CPU has, in a process whose code is all compiled for one
// level (no mixed lane widths, no Eigen alignment that differs between
// parts). SCOREBENCH_MARCH=<arch> compiles everything for one -march instead,
// with no variants.
//
//   SCOREBENCH_ISA unset or "auto"   the highest variant this CPU runs
//   SCOREBENCH_ISA=<level>           that level, or exit 2 naming why not

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scorebench::isa {

// The level this code is compiled for: "x86-64", "x86-64-v3", the
// SCOREBENCH_MARCH value, or the processor's name off x86-64.
const char* level();

// The levels of this build's variants, lowest first (empty in a variant, and
// in a SCOREBENCH_MARCH build).
std::vector<std::string> variants();

// Whether this CPU (and its operating system: the AVX state saved) runs code
// compiled for `level`: "x86-64", "x86-64-v2", "x86-64-v3" or "x86-64-v4".
bool cpu_runs(std::string_view level);

// First thing in main(): execs the variant of this executable that
// SCOREBENCH_ISA asks for (by default the highest this CPU runs), which
// never returns. Returns nullopt to go on in this process (the baseline is
// the best, or this is a variant already), or an error that names
// SCOREBENCH_ISA, its value and the reason. `build_path` is the executable's
// path below the build tree (e.g. "cli/scorebench"); installed, a variant is
// <prefix>/libexec/scorebench/<level>/bin/<its file name>.
std::optional<std::string> run_best_variant(char** argv, std::string_view build_path);

}  // namespace scorebench::isa

// The instruction set at run time (scorebench/isa.hpp): the baseline
// executable runs the highest variant this CPU runs, SCOREBENCH_ISA picks
// one, and a level the build or the CPU lacks is refused with exit 2 and a
// message that names the variable, its value and the reason.

#include <string>

#include "cli_test_support.hpp"
#include "scorebench/isa.hpp"

namespace scorebench::cli::testing {
namespace {

using IsaCli = CliTest;

// What `auto` must choose: the highest variant of this build the CPU runs.
std::string expected_auto_level() {
  std::string best = isa::level();
  for (const std::string& v : isa::variants())
    if (isa::cpu_runs(v)) best = v;
  return best;
}

TEST_F(IsaCli, RunsTheHighestVariantThisCpuRuns) {
  for (const std::string env : {"", "SCOREBENCH_ISA=auto", "SCOREBENCH_ISA="}) {
    const ProcessRun r = scorebench({"--isa"}, env);
    EXPECT_EQ(r.status, 0) << env << ": " << r.err;
    EXPECT_EQ(r.out, expected_auto_level() + "\n") << env;
  }
}

TEST_F(IsaCli, TheBaselineAndEveryVariantThisCpuRunsCanBeAskedFor) {
  const ProcessRun base = scorebench({"--isa"}, std::string("SCOREBENCH_ISA=") + isa::level());
  EXPECT_EQ(base.status, 0) << base.err;
  EXPECT_EQ(base.out, std::string(isa::level()) + "\n");
  for (const std::string& v : isa::variants()) {
    if (!isa::cpu_runs(v)) continue;
    const ProcessRun r = scorebench({"--isa"}, "SCOREBENCH_ISA=" + v);
    EXPECT_EQ(r.status, 0) << v << ": " << r.err;
    EXPECT_EQ(r.out, v + "\n");
    // The variant computes within its contracts: the small gate passes.
    const ProcessRun m = scorebench({"verify", "--small"}, "SCOREBENCH_ISA=" + v);
    EXPECT_EQ(m.status, 0) << v << ": " << m.err;
  }
}

TEST_F(IsaCli, AnUnknownLevelIsRefusedWithTheLevelsThereAre) {
  const ProcessRun r = scorebench({"methods"}, "SCOREBENCH_ISA=x86-64-v9");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("SCOREBENCH_ISA=x86-64-v9"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no such level"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(isa::level()), std::string::npos) << r.err;
}

TEST_F(IsaCli, ALevelTheCpuDoesNotRunIsRefused) {
  bool tried = false;
  for (const std::string& v : isa::variants()) {
    if (isa::cpu_runs(v)) continue;
    tried = true;
    const ProcessRun r = scorebench({"methods"}, "SCOREBENCH_ISA=" + v);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("this CPU does not run " + v), std::string::npos) << r.err;
  }
  if (!tried) GTEST_SKIP() << "this CPU runs every variant of this build";
}

TEST(Isa, CpuLevelsAreNested) {
  // Each level's instructions include the one below: a CPU that runs one runs
  // every lower one, and every x86-64 CPU runs the baseline.
  const char* levels[] = {"x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4"};
#if defined(__x86_64__)
  EXPECT_TRUE(isa::cpu_runs("x86-64"));
#endif
  for (int i = 1; i < 4; ++i)
    if (isa::cpu_runs(levels[i])) {
      EXPECT_TRUE(isa::cpu_runs(levels[i - 1])) << levels[i];
    }
  EXPECT_FALSE(isa::cpu_runs("x86-64-v9"));
}

}  // namespace
}  // namespace scorebench::cli::testing

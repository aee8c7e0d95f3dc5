// `scorebench --version`: the project's version (CMake's project(VERSION)),
// on stdout, exit 0, whatever else is on the command line's right.

#include "cli_test_support.hpp"

namespace scorebench::cli::testing {
namespace {

using VersionCli = CliTest;

TEST_F(VersionCli, PrintsTheProjectVersionAndExitsZero) {
  const ProcessRun r = scorebench({"--version"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "scorebench " SCOREBENCH_PROJECT_VERSION "\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(VersionCli, NeedsNoSubcommand) {
  // Every other use needs one subcommand (exit 2 without); --version does not.
  EXPECT_EQ(scorebench({}).status, 2);
  EXPECT_EQ(scorebench({"--version"}).status, 0);
}

}  // namespace
}  // namespace scorebench::cli::testing

// `scorebench compare` and `scorebench report` end to end: exit codes 0 / 1 / 2.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "scorebench/reports/subprocess.hpp"
#include "synthetic_runs.hpp"

namespace scorebench::reports {
namespace {

namespace fs = std::filesystem;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("scorebench_cli_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string file(const std::string& name, const nlohmann::json& j) {
    std::ofstream(dir_ / name) << j.dump();
    return (dir_ / name).string();
  }
  int run(std::vector<std::string> args) {
    args.insert(args.begin(), SCOREBENCH_EXE);
    return run_program(args, (dir_ / "log.txt").string());
  }
  std::string log() {
    std::ifstream in(dir_ / "log.txt");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

TEST_F(Cli, CompareExitsZeroOneOrTwo) {
  std::mt19937_64 rng(9);
  const auto base = testing::noisy_grid(rng, 10, 10, 0.02);
  const auto slow = testing::noisy_grid(rng, 10, 10, 0.02, {{3, 1.5}});
  const std::string a = file("a.json", testing::make_run(base)), b = file("b.json", testing::make_run(slow));
  EXPECT_EQ(run({"compare", a, a}), 0) << log();
  EXPECT_EQ(
      run({"compare", a, b, "--junit", (dir_ / "j.xml").string(), "--markdown", (dir_ / "m.md").string()}), 1)
      << log();
  EXPECT_TRUE(fs::exists(dir_ / "j.xml"));
  EXPECT_TRUE(fs::exists(dir_ / "m.md"));
  EXPECT_EQ(run({"compare", a}), 2);                                   // NEW missing
  EXPECT_EQ(run({"compare", a, (dir_ / "absent.json").string()}), 2);  // unreadable
  EXPECT_EQ(run({"compare", a, b, "--alpha", "2"}), 2);                // out of range
  EXPECT_EQ(run({"compare", a, b, "--metric", "cycles"}), 2);
}

TEST_F(Cli, CompareRefusesDifferentContextsUnlessForced) {
  nlohmann::json other = testing::default_context();
  other["library_build_type"] = "debug";
  const std::string a = file("a.json", testing::make_run({{"x", {1, 2, 3}}})),
                    b = file("b.json", testing::make_run({{"x", {1, 2, 3}}}, other));
  EXPECT_EQ(run({"compare", a, b}), 2);
  EXPECT_NE(log().find("library_build_type: 'release' vs 'debug'"), std::string::npos) << log();
  EXPECT_EQ(run({"compare", a, b, "--force"}), 0);
}

TEST_F(Cli, ReportExitsZeroOrTwoAndAlwaysWritesThePage) {
  const std::string bench = file("bench.json", testing::score_grid_run());
  EXPECT_EQ(run({"report", "--bench", bench, "--out", (dir_ / "r1").string(), "--gnuplot", "/nonexistent"}),
            0)
      << log();
  EXPECT_TRUE(fs::exists(dir_ / "r1" / "index.html"));
  EXPECT_EQ(run({"report", "--bench", (dir_ / "absent.json").string(), "--out", (dir_ / "r2").string()}), 2);
  EXPECT_TRUE(fs::exists(dir_ / "r2" / "report.md"));
  EXPECT_EQ(run({"report", "--bench", bench}), 2);  // --out is required
}

}  // namespace
}  // namespace scorebench::reports

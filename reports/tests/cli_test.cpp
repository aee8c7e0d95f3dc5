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

// Inputs that used to abort the binary (issue 13): a number beyond double
// range, a field of the wrong type, a directory. compare exits 2 (input
// error) naming the file, the key and the value.
TEST_F(Cli, CompareRejectsUnusableInputWithTheFileKeyAndValue) {
  const std::string good = file("good.json", testing::make_run({{"x", {1, 2, 3}}}));
  const auto text_file = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  };
  const std::string overflow =
      text_file("overflow.json", R"({"benchmarks": [{"name": "x", "real_time": 1e400, "cpu_time": 1}]})");
  const std::string unit5 = text_file(
      "unit5.json", R"({"benchmarks": [{"name": "x", "real_time": 1, "cpu_time": 1, "time_unit": 5}]})");
  const std::string unit_null =
      text_file("unitnull.json",
                R"({"benchmarks": [{"name": "x", "real_time": 1, "cpu_time": 1, "time_unit": null}]})");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {overflow, overflow + ": /benchmarks/0/real_time = 1e400 is beyond the range of a double"},
      {unit5, unit5 + ": benchmarks[0] (x): \"time_unit\" must be a string, got 5"},
      {unit_null, unit_null + ": benchmarks[0] (x): \"time_unit\" must be a string, got null"},
      {dir_.string(), "cannot read " + dir_.string() + ": it is a directory, not a file"},
  };
  for (const auto& [input, message] : cases) {
    EXPECT_EQ(run({"compare", good, input}), 2) << input;
    EXPECT_NE(log().find("scorebench compare: " + message), std::string::npos) << log();
    EXPECT_EQ(run({"compare", input, good}), 2) << input;
  }
}

// report: the same inputs leave their section out, the page is written and
// the command exits 2; wrongly typed verify and mc files too.
TEST_F(Cli, ReportLeavesOutUnusableInputsAndExitsTwo) {
  const auto text_file = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  };
  const std::string out = (dir_ / "r").string();
  struct Bad {
    std::string option, input, message;
  };
  const std::vector<Bad> cases = {
      {"--bench",
       text_file("b.json", R"({"benchmarks": [{"name": "x", "real_time": 1e400, "cpu_time": 1}]})"),
       "/benchmarks/0/real_time = 1e400 is beyond the range of a double"},
      {"--bench", dir_.string(), "it is a directory, not a file"},
      {"--verify",
       text_file("v.json",
                 R"({"schema": "scorebench.verify/1", "cases": [{"parameterization": 5, "dtype": "f64",
                 "kappa": 1}], "results": [{"case": 0, "method": "m", "status": "ok"}]})"),
       "verification JSON: cases[0]: \"parameterization\" must be a string, got 5"},
      {"--verify",
       text_file("v2.json", R"({"schema": "scorebench.verify/1", "cases": [], "results": [{"case": "0"}]})"),
       "verification JSON: results[0]: \"case\" must be a non-negative integer, got \"0\""},
      {"--mc", text_file("m.json", R"({"points": [{"family": 1, "k": 1, "estimator": "e", "parameter": "mean",
                 "variance": 1}]})"),
       "Monte Carlo JSON: points[0]: \"family\" must be a string, got 1"},
      {"--mc",
       text_file("m2.json", R"({"estimator": "e", "variance": {}, "exact": {"grad_loc": [[1, "x"]]}})"),
       "Monte Carlo JSON: exact.grad_loc holds \"x\", not a number"},
  };
  for (const Bad& b : cases) {
    fs::remove_all(out);
    EXPECT_EQ(run({"report", b.option, b.input, "--out", out, "--gnuplot", "/nonexistent"}), 2) << b.input;
    EXPECT_NE(log().find(b.message), std::string::npos) << b.message << "\n" << log();
    EXPECT_TRUE(fs::exists(fs::path(out) / "index.html"));
  }
}

}  // namespace
}  // namespace scorebench::reports

// Bad input never crashes, hangs or runs away (issue 13): the built binary on
// the inputs that used to abort it or run without bound. Each gives a message
// naming the file, the key or flag and the value, and the exit status the
// README documents: 2 for usage or an input that cannot be used at all, 1 for
// a failed eval case (the other cases are still computed).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "cli_test_support.hpp"
#include "scorebench/resources.hpp"

namespace scorebench::cli::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const char* kGoodCase =
    R"({"loc": [0.5, -1.0], "action": [1.25, 0.5], "scale_tril": [[2.0, 0.0], [0.5, 1.5]]})";

// A d-dimensional case with an identity parameter.
std::string identity_case(int d, const std::string& parameterization) {
  json c = {{"loc", std::vector<double>(static_cast<size_t>(d), 0.0)},
            {"action", std::vector<double>(static_cast<size_t>(d), 1.0)}};
  if (parameterization == "scale_diag") {
    c[parameterization] = std::vector<double>(static_cast<size_t>(d), 1.0);
  } else {
    json rows = json::array();
    for (int i = 0; i < d; ++i) {
      std::vector<double> row(static_cast<size_t>(d), 0.0);
      row[static_cast<size_t>(i)] = 1;
      rows.push_back(row);
    }
    c[parameterization] = rows;
  }
  return c.dump();
}

using EvalBadInput = CliTest;

TEST_F(EvalBadInput, ANumberBeyondDoubleRangeFailsOnlyItsCase) {
  const std::string input =
      write("cases.json", std::string("{\"cases\": [") + kGoodCase +
                              R"(, {"loc": [1e400, 0], "action": [1, 1], "scale_diag": [1, 1]},)" +
                              R"({"loc": [0], "action": [1], "scale_diag": [-1e999]}]})")
          .string();
  const ProcessRun run = scorebench({"eval", "--method", "analytic", "--input", input});
  EXPECT_EQ(run.status, 1) << run.err;
  const json out = json::parse(run.out);
  ASSERT_EQ(out["results"].size(), 3u);
  EXPECT_NEAR(out["results"][0]["grad_loc"][0].get<double>(), 1.0 / 24, 1e-15);
  EXPECT_EQ(out["results"][1]["error"], "loc[0] = 1e400 is beyond the range of a double");
  EXPECT_EQ(out["results"][2]["error"], "scale_diag[0] = -1e999 is beyond the range of a double");
  EXPECT_THAT(run.err, HasSubstr("case 1: loc[0] = 1e400 is beyond the range of a double"));
}

TEST_F(EvalBadInput, ADirectoryAnEndlessDeviceAndDeepNestingAreUnusable) {
  const std::string dir = path("").string();
  struct Bad {
    std::string input, message;
  };
  const std::vector<Bad> cases = {
      {dir, "scorebench eval: --input: cannot read " + dir + ": it is a directory, not a file"},
      {"/dev/zero",
       "scorebench eval: --input: cannot read /dev/zero: it is larger than 256 MiB, the most a JSON input "
       "may "
       "hold"},
      {write("deep.json", "{\"cases\": " + std::string(70, '[') + std::string(70, ']') + "}").string(),
       "nested deeper than 64 levels"},
  };
  for (const Bad& b : cases) {
    const ProcessRun run = scorebench({"eval", "--method", "analytic", "--input", b.input});
    EXPECT_EQ(run.status, 2) << b.input << "\n" << run.err;
    EXPECT_THAT(run.err, HasSubstr(b.message));
    EXPECT_EQ(run.out, "");
  }
  const ProcessRun to_dir = scorebench(
      {"eval", "--method", "analytic", "--input",
       write("ok.json", std::string("{\"cases\": [") + kGoodCase + "]}").string(), "--output", dir});
  EXPECT_EQ(to_dir.status, 2);
  EXPECT_THAT(to_dir.err, HasSubstr("cannot write --output " + dir));
}

// autodiff_forward carries n = 2d + d(d+1)/2 derivatives through the d²
// entries of L: at d = 400, 162 400 variables × 81 000 derivatives × 8 bytes
// ≈ 98 GiB, beyond half of any CI machine. At d = 20 000 with a diagonal
// scale, 8d variables × 3d derivatives ≈ 72 GiB. Refused up front, the other
// case computed.
TEST_F(EvalBadInput, AutodiffForwardRefusesADimensionThatCannotFitAndComputesTheRest) {
  const std::string input =
      write("big.json", std::string("{\"cases\": [") + identity_case(400, "scale_tril") + "," + kGoodCase +
                            "," + identity_case(20000, "scale_diag") + "]}")
          .string();
  const ProcessRun run = scorebench({"eval", "--method", "autodiff_forward", "--input", input});
  EXPECT_EQ(run.status, 1) << run.err;
  const json out = json::parse(run.out);
  ASSERT_EQ(out["results"].size(), 3u);
  const std::string tril = out["results"][0]["error"], diag = out["results"][2]["error"];
  EXPECT_THAT(tril,
              HasSubstr("d = 400 is too large for autodiff_forward with scale_tril: one sample needs about "
                        "98.0 GiB, more than half of the "));
  EXPECT_THAT(tril, HasSubstr("O(d⁴) memory and O(d⁵) time for a matrix parameter"));
  EXPECT_THAT(
      diag,
      HasSubstr("d = 20000 is too large for autodiff_forward with scale_diag: one sample needs about "));
  EXPECT_NEAR(out["results"][1]["grad_loc"][0].get<double>(), 1.0 / 24, 1e-15);
  // The same cases are no problem for a method with O(d²) memory.
  const ProcessRun analytic = scorebench({"eval", "--method", "analytic", "--input", input});
  EXPECT_EQ(analytic.status, 0) << analytic.err;
}

const std::vector<std::string> kSingle = {"mc",    "--estimator", "pathwise",     "--cost", "square:1",
                                          "--loc", "0.5,-0.3",    "--scale-diag", "0.7,1.3"};

class McBadInput : public CliTest {
 protected:
  // scorebench with `base` (a single run by default) and `extra` appended.
  ProcessRun mc(std::vector<std::string> extra, std::vector<std::string> base = kSingle) const {
    base.insert(base.end(), extra.begin(), extra.end());
    return scorebench(base);
  }
};

TEST_F(McBadInput, SamplesThatCannotFinishAreRefusedWithTheEstimate) {
  for (const std::string samples : {"9223372036854775808", "4294967296"}) {
    const ProcessRun run = mc({"--samples", samples});
    EXPECT_EQ(run.status, 2) << samples << "\n" << run.err;
    EXPECT_THAT(run.err, HasSubstr("scorebench mc: --samples " + samples +
                                   ": the run would compute --samples × 4 coordinates = "));
    EXPECT_THAT(
        run.err,
        HasSubstr("single-sample gradient coordinates, more than the 1e+10 one run may (up to about "));
  }
  const ProcessRun figures =
      scorebench({"mc", "--reproduce-figures", "--out", path("fig").string(), "--samples", "1000000000"});
  EXPECT_EQ(figures.status, 2) << figures.err;
  EXPECT_THAT(figures.err,
              HasSubstr("--samples 1000000000: the run would compute --samples × 184 points × 2"));
  const ProcessRun policy = scorebench({"mc", "--policy-example", "--samples", "1000000000"});
  EXPECT_EQ(policy.status, 2) << policy.err;
  EXPECT_THAT(policy.err, HasSubstr("--samples 1000000000: the run would compute --samples × 5 estimators"));
  const ProcessRun calibrate = scorebench({"mc", "--calibrate", "--seeds", "1000000", "--samples", "20000"});
  EXPECT_EQ(calibrate.status, 2) << calibrate.err;
  EXPECT_THAT(calibrate.err, HasSubstr("--seeds 1000000: the run would compute --seeds × --samples × 400"));
}

TEST_F(McBadInput, FlagsOutOfRangeNameTheFlagAndTheValue) {
  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  const std::string most = std::to_string(std::min(256u, 4 * hardware));
  struct Bad {
    std::vector<std::string> args;
    std::string message;
    std::vector<std::string> base = kSingle;
  };
  const std::vector<Bad> cases = {
      {{"--threads", "1000000"}, "--threads 1000000: must be from 1 to " + most + " (4 × the "},
      {{"--threads", "0"}, "--threads 0: must be from 1 to " + most},
      {{"--samples", "1"}, "--samples 1: must be at least 2"},
      {{"--batch-size", "1"}, "--batch-size 1: must be at least 2"},
      {{"--batch-size", "-5"}, "--batch-size -5: must be at least 2"},
      {{"--alpha", "2"}, "--alpha 2: must be in (0, 1)"},
      {{"--calibrate", "--seeds", "0"}, "--seeds 0: must be at least 1", {"mc"}},
      {{"--loc", "1e400,0"},
       "--loc: '1e400' (entry 0) is beyond the range of a double",
       {"mc", "--estimator", "pathwise", "--cost", "square:1", "--scale-diag", "0.7,1.3"}},
      {{"--reproduce-figures", "--out", "/dev/null/figures"},
       "--out /dev/null/figures: cannot create the directory",
       {"mc"}},
  };
  for (const Bad& b : cases) {
    const ProcessRun run = mc(b.args, b.base);
    EXPECT_EQ(run.status, 2) << b.message << "\n" << run.err;
    EXPECT_THAT(run.err, HasSubstr(b.message));
  }
}

// A scale of 25 000 entries (as long as a shell command line allows): Σ and
// the exact gradient are 25 000² doubles (4.7 GiB each, about 37 GiB in all by
// the model), beyond half of the CI machine's 24 GiB. Refused before anything
// is allocated.
TEST_F(McBadInput, ADimensionThatCannotFitIsRefusedWithTheEstimate) {
  const int d = 25000;
  if (physical_memory_bytes() > 2 * 8.0 * 8 * d * d) GTEST_SKIP() << "this machine has room for d = " << d;
  std::string zeros, ones;
  for (int i = 0; i < d; ++i) {
    zeros += i ? ",0" : "0";
    ones += i ? ",1" : "1";
  }
  const ProcessRun run = scorebench({"mc", "--estimator", "pathwise", "--cost", "square:1", "--loc", zeros,
                                     "--scale-diag", ones, "--samples", "100"});
  EXPECT_EQ(run.status, 2) << run.err;
  EXPECT_THAT(run.err,
              HasSubstr("scorebench mc: d = 25000, --batch-size 1024, --threads 1 (--method analytic): "
                        "the run needs about "));
  EXPECT_THAT(run.err, HasSubstr("more than half of the "));
  // A batch that cannot fit anywhere, at d = 2.
  const ProcessRun batch = mc({"--batch-size", "100000000000"});
  EXPECT_EQ(batch.status, 2) << batch.err;
  EXPECT_THAT(batch.err,
              HasSubstr("d = 2, --batch-size 100000000000, --threads 1 (--method analytic): the run "
                        "needs about "));
}

}  // namespace
}  // namespace scorebench::cli::testing

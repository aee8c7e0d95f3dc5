// `scorebench eval` end to end: the built binary on temporary JSON files.
// Exit status 0 / 1 / 2 as documented, every result written in input order
// (a failed case as {"error": ...}), --dtype float, --output, and numbers
// that round-trip: each printed double parses back to exactly the double the
// library computes for the same case in this process (the CLI run at this
// process's instruction-set level).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "cli_test_support.hpp"
#include "json_io.hpp"
#include "scorebench/isa.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::cli::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// One case of every parameterization, d = 2 and d = 3 (the hand-derived
// d = 2 example of the estimators tests and a 3-d one), given by action.
const char* kCases = R"({"cases": [
  {"loc": [0.5, -1.0], "action": [1.25, 0.5], "scale_tril": [[2.0, 0.0], [0.5, 1.5]]},
  {"loc": [0.5, -1.0], "action": [1.25, 0.5], "covariance_matrix": [[4.0, 1.0], [1.0, 2.5]]},
  {"loc": [0.1, 0.2, 0.3], "action": [-0.7, 1.1, 0.05],
   "precision_matrix": [[2.0, 0.3, -0.2], [0.3, 1.5, 0.1], [-0.2, 0.1, 0.8]]},
  {"loc": [0.5, -1.0, 3.0], "action": [1.25, 0.5, 2.0], "scale_diag": [2.0, 1.5, 0.25]}
]})";

// The same cases given by noise (for reparameterization).
const char* kNoiseCases = R"({"cases": [
  {"loc": [0.5, -1.0], "noise": [0.375, 0.875], "scale_tril": [[2.0, 0.0], [0.5, 1.5]]},
  {"loc": [0.5, -1.0], "noise": [0.375, 0.875], "covariance_matrix": [[4.0, 1.0], [1.0, 2.5]]},
  {"loc": [0.1, 0.2, 0.3], "noise": [-0.7, 1.1, 0.05],
   "precision_matrix": [[2.0, 0.3, -0.2], [0.3, 1.5, 0.1], [-0.2, 0.1, 0.8]]},
  {"loc": [0.5, -1.0, 3.0], "noise": [0.375, 1.0, -4.0], "scale_diag": [2.0, 1.5, 0.25]}
]})";

// Every number of a printed result equals, bit for bit, the library's
// result for the same case (float results widened to double, as printed).
template <typename T>
void expect_bit_exact(const Method& m, const json& c, const json& printed) {
  const Result<T> r = m.evaluate(batch_from_case<T>(c), Request<T>{});
  ASSERT_TRUE(r.ok());
  const auto same = [](double printed_value, T computed) {
    const double widened = static_cast<double>(computed);
    return std::memcmp(&printed_value, &widened, sizeof(double)) == 0;
  };
  EXPECT_TRUE(same(printed["log_prob"].get<double>(), r.log_prob(0))) << printed["log_prob"];
  const Index d = r.dim();
  for (Index i = 0; i < d; ++i) {
    EXPECT_TRUE(same(printed["grad_loc"][static_cast<size_t>(i)].get<double>(), r.grad_loc(i, 0)));
    EXPECT_TRUE(same(printed["grad_action"][static_cast<size_t>(i)].get<double>(), r.grad_action(i, 0)));
  }
  const json& g = printed[gradient_name(r.parameterization)];
  const auto gp = r.grad_param_of(0);
  for (Index i = 0; i < d; ++i) {
    if (!is_matrix(r.parameterization)) {
      EXPECT_TRUE(same(g[static_cast<size_t>(i)].get<double>(), gp(i, 0)));
      continue;
    }
    for (Index j = 0; j < d; ++j)  // a list of rows: g[i][j] is entry (i, j)
      EXPECT_TRUE(same(g[static_cast<size_t>(i)][static_cast<size_t>(j)].get<double>(), gp(i, j)))
          << "(" << i << "," << j << ")";
  }
}

class Eval : public CliTest {};

// The CLI at this process's instruction-set level (isa.hpp): the results
// compared bit for bit come from code compiled for one level (a variant's
// FMA and lane widths round differently from the baseline's).
std::string same_instruction_set() { return std::string("SCOREBENCH_ISA=") + isa::level(); }

TEST_F(Eval, EveryMethodSucceedsWithExitZeroAndRoundTripsBitExactly) {
  const json action_cases = json::parse(kCases), noise_cases = json::parse(kNoiseCases);
  const auto actions = write("cases.json", kCases), noises = write("noise_cases.json", kNoiseCases);
  for (const Method* m : registry().methods()) {
    if (!m->capabilities().available) continue;
    SCOPED_TRACE(m->name());
    const bool noise = m->capabilities().requires_noise;
    const ProcessRun run =
        scorebench({"eval", "--method", m->name(), "--input", (noise ? noises : actions).string()},
                   same_instruction_set());
    ASSERT_EQ(run.status, 0) << run.err;
    const json out = json::parse(run.out);
    EXPECT_EQ(out["method"], m->name());
    EXPECT_EQ(out["dtype"], "double");
    const json& cases = (noise ? noise_cases : action_cases)["cases"];
    ASSERT_EQ(out["results"].size(), cases.size());
    const char* keys[] = {"grad_scale_tril", "grad_covariance_matrix", "grad_precision_matrix",
                          "grad_scale_diag"};
    for (size_t k = 0; k < cases.size(); ++k) {
      const json& r = out["results"][k];
      EXPECT_FALSE(r.contains("error")) << r;
      EXPECT_TRUE(r.contains(keys[k])) << "result " << k << " out of order: " << r;
      expect_bit_exact<double>(*m, cases[k], r);
    }
  }
}

TEST_F(Eval, DtypeFloatPrintsTheFloatResults) {
  const json cases = json::parse(kCases);
  const ProcessRun run = scorebench({"eval", "--method", "cholesky_solve", "--dtype", "float", "--input",
                                     write("cases.json", kCases).string()},
                                    same_instruction_set());
  ASSERT_EQ(run.status, 0) << run.err;
  const json out = json::parse(run.out);
  EXPECT_EQ(out["dtype"], "float");
  ASSERT_EQ(out["results"].size(), 4u);
  for (size_t k = 0; k < 4; ++k)
    expect_bit_exact<float>(registry().get("cholesky_solve"), cases["cases"][k], out["results"][k]);
  // Float results differ from the double ones (they are not the double
  // results relabelled) but agree to float precision.
  const json dbl = json::parse(
      scorebench({"eval", "--method", "cholesky_solve", "--input", path("cases.json").string()}).out);
  const double lp_f = out["results"][2]["log_prob"], lp_d = dbl["results"][2]["log_prob"];
  EXPECT_NE(lp_f, lp_d);
  EXPECT_NEAR(lp_f, lp_d, 1e-5 * std::abs(lp_d));
}

TEST_F(Eval, DtypeFloatOutOfRangeIsACaseError) {
  const std::string text = R"({"cases": [{"loc": [1e300], "action": [1], "scale_diag": [1]},
                                          {"loc": [1], "action": [4], "scale_diag": [2]}]})";
  const fs::path input = write("cases.json", text);
  const ProcessRun run =
      scorebench({"eval", "--method", "analytic", "--dtype", "float", "--input", input.string()});
  EXPECT_EQ(run.status, 1);
  const json out = json::parse(run.out);
  EXPECT_EQ(out["results"][0]["error"], "loc[0] = 1e+300 is out of the range of float");
  EXPECT_NEAR(out["results"][1]["grad_scale_diag"][0].get<double>(), 5.0 / 8, 1e-6);
}

TEST_F(Eval, OneFailingCaseGivesExitOneAndEveryResult) {
  const std::string text = R"({"cases": [
    {"loc": [0.5, -1.0], "action": [1.25, 0.5], "scale_tril": [[2.0, 0.0], [0.5, 1.5]]},
    {"loc": [0.0, 0.0], "action": [1.0, 1.0], "covariance_matrix": [[1.0, 2.0], [2.0, 1.0]]},
    {"loc": [1.0], "action": [4.0], "scale_diag": [2.0]},
    {"loc": [1.0], "action": [4.0]}
  ]})";
  const ProcessRun run =
      scorebench({"eval", "--method", "analytic", "--input", write("cases.json", text).string()});
  EXPECT_EQ(run.status, 1);
  const json out = json::parse(run.out);
  ASSERT_EQ(out["results"].size(), 4u);
  EXPECT_EQ(
      out["results"][1],
      json({{"error", "covariance_matrix is not positive definite: Cholesky pivot 1 is -3 (must be > 0)"}}));
  EXPECT_THAT(out["results"][3]["error"].get<std::string>(), HasSubstr("a case needs exactly one of"));
  // The good cases are still computed (hand-derived in the estimators
  // tests): ∇L₀₀ = −31/64 for case 0; d = 1, μ = 1, a = 4, σ = 2 gives
  // ∇σ = (ε² − 1)/σ = 5/8 for case 2.
  EXPECT_NEAR(out["results"][0]["grad_scale_tril"][0][0].get<double>(), -31.0 / 64, 1e-15);
  EXPECT_NEAR(out["results"][2]["grad_scale_diag"][0].get<double>(), 5.0 / 8, 1e-15);
  EXPECT_THAT(run.err, HasSubstr("case 1: covariance_matrix is not positive definite"));
  EXPECT_THAT(run.err, HasSubstr("case 3: a case needs exactly one of"));
}

TEST_F(Eval, ReparameterizationWithoutNoiseFailsThatCase) {
  const ProcessRun run =
      scorebench({"eval", "--method", "reparameterization", "--input", write("cases.json", kCases).string()});
  EXPECT_EQ(run.status, 1);
  const json out = json::parse(run.out);
  ASSERT_EQ(out["results"].size(), 4u);
  for (const json& r : out["results"])
    EXPECT_THAT(r["error"].get<std::string>(), HasSubstr("method reparameterization needs noise"));
}

TEST_F(Eval, OutputFileReceivesTheDocument) {
  const fs::path input = write("cases.json", kCases), output = path("results.json");
  const ProcessRun run =
      scorebench({"eval", "--method", "analytic", "--input", input.string(), "--output", output.string()});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "");
  const ProcessRun to_stdout = scorebench({"eval", "--method", "analytic", "--input", input.string()});
  EXPECT_EQ(read_file(output), to_stdout.out);
  EXPECT_EQ(json::parse(read_file(output))["results"].size(), 4u);
}

TEST_F(Eval, UnusableInputGivesExitTwoAndNoResults) {
  struct Bad {
    std::string what;
    std::vector<std::string> args;
    std::string message;
  };
  const std::string good = write("cases.json", kCases).string();
  const std::vector<Bad> cases = {
      {"missing file",
       {"--method", "analytic", "--input", path("missing.json").string()},
       "--input: cannot read"},
      {"not JSON",
       {"--method", "analytic", "--input", write("bad.json", "{\"cases\": [").string()},
       "is not JSON"},
      {"top level is a list",
       {"--method", "analytic", "--input", write("list.json", "[]").string()},
       "input must be an object {\"cases\": [...]}"},
      {"no cases key",
       {"--method", "analytic", "--input", write("nokey.json", "{\"case\": []}").string()},
       "input must be an object {\"cases\": [...]}"},
      {"cases not a list",
       {"--method", "analytic", "--input", write("obj.json", "{\"cases\": {}}").string()},
       "input must be an object {\"cases\": [...]}"},
      {"unknown method", {"--method", "no_such_method", "--input", good}, "--method"},
      {"unknown dtype", {"--method", "analytic", "--dtype", "half", "--input", good}, "--dtype"},
      {"no input option", {"--method", "analytic"}, "--input"},
  };
  for (const Bad& b : cases) {
    std::vector<std::string> args{"eval"};
    args.insert(args.end(), b.args.begin(), b.args.end());
    const ProcessRun run = scorebench(args);
    EXPECT_EQ(run.status, 2) << b.what << "\n" << run.err;
    EXPECT_THAT(run.err, HasSubstr(b.message)) << b.what;
    EXPECT_EQ(run.out.find("\"results\""), std::string::npos) << b.what;
  }
}

TEST_F(Eval, EmptyCaseListSucceeds) {
  const ProcessRun run = scorebench(
      {"eval", "--method", "analytic", "--input", write("empty.json", "{\"cases\": []}").string()});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(json::parse(run.out)["results"], json::array());
}

TEST_F(Eval, BundledExampleRuns) {
  // examples/eval_cases.json: five good cases and one indefinite covariance.
  const ProcessRun run =
      scorebench({"eval", "--method", "analytic", "--input", SCOREBENCH_EXAMPLES_DIR "/eval_cases.json"});
  EXPECT_EQ(run.status, 1) << run.err;
  const json out = json::parse(run.out);
  ASSERT_EQ(out["results"].size(), 6u);
  // w = Σ⁻¹r = [1/24, 7/12] (hand-derived in the estimators tests).
  EXPECT_NEAR(out["results"][0]["grad_loc"][0].get<double>(), 1.0 / 24, 1e-15);
  EXPECT_NEAR(out["results"][0]["grad_loc"][1].get<double>(), 7.0 / 12, 1e-15);
  EXPECT_TRUE(out["results"][5].contains("error"));
}

}  // namespace
}  // namespace scorebench::cli::testing

// `scorebench mc` run as a user runs it: single estimator runs against
// closed forms computed here (not by scorebench), the exit status of the
// statistical gate on a correct and on a wrong estimator, results that do
// not depend on --threads, and the policy and figure modes end to end.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_test_support.hpp"

namespace scorebench::cli::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class McCli : public CliTest {
 protected:
  // One run with --json; its exit status and the JSON.
  std::pair<ProcessRun, json> run(std::vector<std::string> args, const std::string& name = "mc.json") const {
    args.insert(args.begin(), "mc");
    args.push_back("--json");
    args.push_back(path(name).string());
    const ProcessRun r = scorebench(args);
    const std::string text = read_file(path(name));
    return {r, text.empty() ? json() : json::parse(text)};
  }
};

// f(a) = Σᵢ (aᵢ − 1)², a ~ N(μ, diag σ²): E f = Σ (μᵢ − 1)² + σᵢ², ∂/∂μᵢ = 2(μᵢ − 1), ∂/∂σᵢ = 2σᵢ.
TEST_F(McCli, PathwiseMatchesTheClosedFormOfASquare) {
  const auto [r, j] = run({"--estimator", "pathwise", "--cost", "square:1", "--loc", "0.5,-1", "--scale-diag",
                           "0.7,1.3", "--samples", "20000", "--seed", "3"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("consistent with the exact gradient"));
  const double mu[] = {0.5, -1}, sigma[] = {0.7, 1.3};
  EXPECT_NEAR(j["exact"]["value"].get<double>(), 0.25 + 0.49 + 4 + 1.69, 1e-12);
  for (int i = 0; i < 2; ++i) {
    const auto k = static_cast<std::size_t>(i);
    EXPECT_NEAR(j["exact"]["grad_loc"][k].get<double>(), 2 * (mu[i] - 1), 1e-12);
    EXPECT_NEAR(j["exact"]["grad_scale_diag"][k].get<double>(), 2 * sigma[i], 1e-12);
    for (const char* key : {"grad_loc", "grad_scale_diag"}) {
      const double stderr_ = j["stderr"][key][k].get<double>();
      EXPECT_GT(stderr_, 0);
      EXPECT_LT(std::abs(j["mean"][key][k].get<double>() - j["exact"][key][k].get<double>()), 5 * stderr_);
    }
  }
}

// f(a) = exp(cᵀa), a = μ + Lε: E f = exp(cᵀμ + ½‖Lᵀc‖²), ∇μ = c E f, ∇L = E f · tril(c (Lᵀc)ᵀ).
TEST_F(McCli, EveryCorrectEstimatorPassesOnAnExponentialWithAFullFactor) {
  const double c[] = {0.3, -0.2}, l[2][2] = {{0.7, 0}, {0.2, 1.3}}, mu[] = {0.5, -1};
  const double ltc[] = {l[0][0] * c[0] + l[1][0] * c[1], l[1][1] * c[1]};
  const double value = std::exp(c[0] * mu[0] + c[1] * mu[1] + 0.5 * (ltc[0] * ltc[0] + ltc[1] * ltc[1]));
  for (const char* e :
       {"score_function", "score_function_baseline", "score_function_optimal_baseline", "pathwise"}) {
    const auto [r, j] = run({"--estimator", e, "--cost", "exp_linear", "--cost-c", "0.3,-0.2", "--loc",
                             "0.5,-1", "--scale-tril", "0.7;0.2,1.3", "--samples", "20000"});
    EXPECT_EQ(r.status, 0) << e << ": " << r.err << r.out;
    ASSERT_TRUE(j.is_object()) << e;
    EXPECT_NEAR(j["exact"]["value"].get<double>(), value, 1e-12) << e;
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_NEAR(j["exact"]["grad_loc"][i].get<double>(), c[i] * value, 1e-12) << e;
      for (std::size_t k = 0; k <= i; ++k)
        EXPECT_NEAR(j["exact"]["grad_scale_tril"][i][k].get<double>(), value * c[i] * ltc[k], 1e-12) << e;
    }
  }
}

TEST_F(McCli, AWrongEstimatorIsRejectedWithExitStatusOne) {
  const auto [r, j] = run({"--estimator", "mutant_pathwise_swapped", "--cost", "square:1", "--loc", "0.5,-1",
                           "--scale-diag", "0.7,1.3", "--samples", "20000"});
  EXPECT_EQ(r.status, 1) << r.err << r.out;
  EXPECT_THAT(r.out, HasSubstr("disagree with the exact gradient"));
}

TEST_F(McCli, ResultsDoNotDependOnTheThreadsAndFollowTheSeed) {
  const std::vector<std::string> base = {"--estimator",  "score_function_baseline",
                                         "--cost",       "cos:1",
                                         "--loc",        "0.2,0.1,-0.4",
                                         "--scale-diag", "0.5,1,1.5",
                                         "--samples",    "5000",
                                         "--batch-size", "256",
                                         "--seed",       "11"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const auto one = run(with({"--threads", "1"}), "t1.json").second;
  const auto two = run(with({"--threads", "2"}), "t2.json").second;
  const auto three = run(with({"--threads", "3"}), "t3.json").second;
  ASSERT_TRUE(one.is_object());
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, three);
  std::vector<std::string> other = base;
  other.back() = "12";
  EXPECT_NE(run(other, "s12.json").second["mean"], one["mean"]);
}

TEST_F(McCli, ThePolicyExampleAgreesWithItsFiftyDigitFiniteDifference) {
  const auto [r, j] = run({"--policy-example", "--samples", "200"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  ASSERT_TRUE(j.contains("max_relative_difference")) << j.dump();
  EXPECT_LT(j["max_relative_difference"].get<double>(), 1e-8);
  EXPECT_TRUE(j.contains("estimators"));
}

TEST_F(McCli, TheFiguresAreWrittenForEveryCostAndEstimator) {
  const ProcessRun r =
      scorebench({"mc", "--reproduce-figures", "--out", path("fig").string(), "--samples", "500"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  const json j = json::parse(read_file(path("fig") / "mc_figures.json"));
  std::set<std::string> families, estimators;
  for (const json& p : j["points"]) {
    families.insert(p["family"].get<std::string>());
    estimators.insert(p["estimator"].get<std::string>());
    EXPECT_GE(p["variance"].get<double>(), 0);
  }
  EXPECT_EQ(families, (std::set<std::string>{"square", "exp_neg_square", "cos"}));
  EXPECT_GE(estimators.size(), 3u);
}

}  // namespace
}  // namespace scorebench::cli::testing

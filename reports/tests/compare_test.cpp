#include "scorebench/reports/compare.hpp"

#include <gtest/gtest.h>

#include <random>

#include "synthetic_runs.hpp"

namespace scorebench::reports {
namespace {

using testing::make_run;
using testing::noisy_grid;

BenchmarkRun run_of(const std::map<std::string, std::vector<double>>& times,
                    nlohmann::json context = testing::default_context()) {
  return parse_benchmark_run(make_run(times, std::move(context)), "synthetic");
}

TEST(BenchmarkRun, GroupsRepetitionsAndIgnoresAggregates) {
  const BenchmarkRun run =
      parse_benchmark_run(make_run({{"a", {1, 2, 3}}}, testing::default_context(), "us"), "x.json");
  ASSERT_EQ(run.benchmarks.size(), 1u);
  EXPECT_EQ(run.benchmarks[0].cpu_ns, (std::vector<double>{1, 2, 3}));  // µs converted to ns
  EXPECT_EQ(median_of(run.benchmarks[0], "cpu_time"), 2);
}

TEST(BenchmarkRun, AggregatesOnlyRunUsesTheMedianAsOneSample) {
  nlohmann::json j = make_run({{"a", {1, 2, 3}}});
  nlohmann::json only = nlohmann::json::array();
  for (auto& e : j["benchmarks"])
    if (e["run_type"] == "aggregate") only.push_back(e);
  j["benchmarks"] = only;
  const BenchmarkRun run = parse_benchmark_run(j, "agg.json");
  ASSERT_EQ(run.benchmarks.size(), 1u);
  EXPECT_TRUE(run.benchmarks[0].from_aggregate);
  EXPECT_EQ(run.benchmarks[0].cpu_ns, (std::vector<double>{1e9}));
}

TEST(BenchmarkRun, RejectsNonBenchmarkJsonNamingTheSource) {
  try {
    parse_benchmark_run(nlohmann::json{{"cases", 1}}, "verify.json");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("verify.json"), std::string::npos);
  }
  nlohmann::json j = make_run({{"a", {1, 2}}});
  j["benchmarks"][1].erase("cpu_time");
  try {
    parse_benchmark_run(j, "b.json");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("benchmarks[1]"), std::string::npos) << e.what();
  }
  j["benchmarks"][1]["cpu_time"] = 1;
  j["benchmarks"][1]["time_unit"] = "fortnights";
  EXPECT_THROW(parse_benchmark_run(j, "b.json"), std::invalid_argument);
}

TEST(Compare, IdenticalRunsHaveNoRegression) {
  std::mt19937_64 rng(1);
  const auto grid = noisy_grid(rng, 20, 10, 0.03);
  const Comparison c = compare_runs(run_of(grid), run_of(grid), {});
  EXPECT_EQ(c.count(Verdict::regression), 0u);
  EXPECT_EQ(c.count(Verdict::unchanged), 20u);
  for (const auto& r : c.rows) EXPECT_EQ(r.ratio, 1);
}

TEST(Compare, FindsExactlyTheOneBenchmarkSlowedDownByHalf) {
  std::mt19937_64 rng(2);
  const auto base = noisy_grid(rng, 20, 10, 0.03);
  const auto slow = noisy_grid(rng, 20, 10, 0.03, {{7, 1.5}});
  const Comparison c = compare_runs(run_of(base), run_of(slow), {});
  ASSERT_EQ(c.count(Verdict::regression), 1u);
  for (const auto& r : c.rows) {
    if (r.verdict != Verdict::regression) continue;
    EXPECT_EQ(r.name, "score/analytic/scale_tril/per_sample/grads/f64/d:8/batch:64");
    EXPECT_NEAR(r.ratio, 1.5, 0.05);
    EXPECT_LT(r.ci_low, 1.5);
    EXPECT_GT(r.ci_high, 1.5);
    EXPECT_LT(r.p_holm, 0.05);
  }
  const Comparison back = compare_runs(run_of(slow), run_of(base), {});
  EXPECT_EQ(back.count(Verdict::regression), 0u);
  EXPECT_EQ(back.count(Verdict::improvement), 1u);
}

TEST(Compare, PureNoiseKeepsTheFamilyWiseFalseAlarmRateBelowAlpha) {
  // Threshold 0 so that only the test and Holm's correction stand between
  // noise and a false alarm; uncorrected, P(any of 20) would be ≈ 0.64.
  std::mt19937_64 rng(3);
  CompareOptions options;
  options.threshold = 0;
  int alarms = 0;
  const int trials = 200;
  for (int t = 0; t < trials; ++t) {
    const Comparison c =
        compare_runs(run_of(noisy_grid(rng, 20, 10, 0.05)), run_of(noisy_grid(rng, 20, 10, 0.05)), options);
    alarms += c.count(Verdict::regression) + c.count(Verdict::improvement) > 0;
  }
  // α = 0.05 plus three binomial standard errors: 0.096.
  EXPECT_LE(double(alarms) / trials, 0.096);
}

TEST(Compare, SignificantChangeBelowTheThresholdIsNotARegression) {
  std::mt19937_64 rng(4);
  const auto base = noisy_grid(rng, 4, 15, 0.002);
  const auto slower = noisy_grid(rng, 4, 15, 0.002, {{0, 1.03}});
  const Comparison loose = compare_runs(run_of(base), run_of(slower), {});  // 5 %
  EXPECT_EQ(loose.count(Verdict::regression), 0u);
  CompareOptions strict;
  strict.threshold = 0.01;
  EXPECT_EQ(compare_runs(run_of(base), run_of(slower), strict).count(Verdict::regression), 1u);
}

TEST(Compare, WarnsWhenRepetitionsAreTooFewForHolm) {
  std::mt19937_64 rng(5);
  const Comparison c = compare_runs(run_of(noisy_grid(rng, 100, 3, 0.01)),
                                    run_of(noisy_grid(rng, 100, 3, 0.01, {{0, 3.0}})), {});
  EXPECT_EQ(c.count(Verdict::regression), 0u);  // 3 + 3 repetitions cannot beat α/100
  ASSERT_EQ(c.warnings.size(), 1u);
  // 100 · 2/C(14, 7) = 0.058 ≥ α but 100 · 2/C(16, 8) = 0.016 < α: eight repetitions.
  EXPECT_NE(c.warnings[0].find("at least 8 repetitions"), std::string::npos) << c.warnings[0];
}

TEST(Compare, SingleRepetitionAndMissingBenchmarksAreReportedNotTested) {
  const Comparison c =
      compare_runs(run_of({{"a", {1}}, {"b", {1, 2}}}), run_of({{"a", {2}}, {"c", {1, 2}}}), {});
  ASSERT_EQ(c.rows.size(), 3u);
  EXPECT_EQ(c.rows[0].verdict, Verdict::not_testable);
  EXPECT_NE(c.rows[0].note.find("repetitions"), std::string::npos);
  EXPECT_EQ(c.rows[1].verdict, Verdict::only_in_base);
  EXPECT_EQ(c.rows[2].verdict, Verdict::only_in_new);
}

TEST(Compare, InstructionCountsAreComparedByThresholdAlone) {
  const auto instructions = [](double n) {
    return parse_benchmark_run(
        make_run({{"k", {1}}}, testing::default_context(), "ns", {{"instructions", n}}), "i.json");
  };
  CompareOptions options;
  options.metric = "instructions";
  options.threshold = 0.01;
  const Comparison same = compare_runs(instructions(1e6), instructions(1e6), options);
  EXPECT_EQ(same.count(Verdict::unchanged), 1u);
  const Comparison more = compare_runs(instructions(1e6), instructions(1.02e6), options);
  EXPECT_EQ(more.count(Verdict::regression), 1u);
  EXPECT_NEAR(more.rows[0].ratio, 1.02, 1e-12);
  const Comparison absent = compare_runs(instructions(1e6), run_of({{"k", {1}}}), options);
  EXPECT_EQ(absent.count(Verdict::not_testable), 1u);
}

TEST(Compare, RejectsOptionsOutOfRange) {
  const BenchmarkRun r = run_of({{"a", {1, 2}}});
  CompareOptions o;
  o.alpha = 0;
  EXPECT_THROW(compare_runs(r, r, o), std::invalid_argument);
  o = {};
  o.threshold = -1;
  EXPECT_THROW(compare_runs(r, r, o), std::invalid_argument);
  o = {};
  o.metric = "cycles";
  EXPECT_THROW(compare_runs(r, r, o), std::invalid_argument);
}

TEST(ContextDifferences, NamesWhatDiffersAndIgnoresVolatileKeys) {
  nlohmann::json a = testing::default_context(), b = a;
  b["date"] = "2027-01-01";
  b["load_avg"] = {3, 3, 3};
  b["host_name"] = "elsewhere";
  b["mhz_per_cpu"] = 2100;
  EXPECT_TRUE(context_differences(a, b, "time").empty());
  b["library_build_type"] = "debug";
  b["eigen_version"] = "3.3.9";
  b["num_cpus"] = 8;
  const std::vector<std::string> d = context_differences(a, b, "time");
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0], "eigen_version: '3.4.0' vs '3.3.9'");
  EXPECT_EQ(d[1], "library_build_type: 'release' vs 'debug'");
  EXPECT_EQ(d[2], "num_cpus: 2 vs 8");
  // Instruction counts do not depend on the core count or clock.
  EXPECT_EQ(context_differences(a, b, "instructions").size(), 1u);
  b.erase("eigen_version");
  EXPECT_EQ(context_differences(a, b, "time")[0], "eigen_version: '3.4.0' vs (absent)");
}

TEST(CompareOutput, MarkdownAndJUnitNameTheRegression) {
  std::mt19937_64 rng(6);
  auto base = noisy_grid(rng, 3, 10, 0.01);
  auto slow = noisy_grid(rng, 3, 10, 0.01, {{1, 1.5}});
  base["weird<&>\"name"] = {1, 2, 3};
  slow["weird<&>\"name"] = {1, 2, 3};
  const Comparison c = compare_runs(run_of(base), run_of(slow), {});
  const std::string md = render_markdown(c, "base.json", "new.json");
  EXPECT_NE(md.find("1 regression(s)"), std::string::npos);
  EXPECT_NE(md.find("| `score/analytic/scale_tril/per_sample/grads/f64/d:2/batch:64` |"), std::string::npos);
  EXPECT_LT(md.find("d:2/batch:64"), md.find("d:1/batch:64"));  // regressions first
  const std::string xml = render_junit(c);
  std::size_t cases = 0;
  for (std::size_t at = xml.find("<testcase"); at != std::string::npos; at = xml.find("<testcase", at + 1))
    ++cases;
  EXPECT_EQ(cases, 4u);
  EXPECT_NE(xml.find("failures=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("<failure type=\"regression\""), std::string::npos);
  EXPECT_NE(xml.find("weird&lt;&amp;&gt;&quot;name"), std::string::npos);
  EXPECT_EQ(xml.find("weird<"), std::string::npos);
}

}  // namespace
}  // namespace scorebench::reports

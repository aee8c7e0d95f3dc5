// The history's change-point detection on synthetic series with known steps
// and on noise only, and the results store's schema handling.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "scorebench/reports/history/change_points.hpp"
#include "scorebench/reports/history/results_store.hpp"
#include "scorebench/reports/history/series.hpp"

namespace scorebench::reports::history {
namespace {

namespace fs = std::filesystem;

// A timing series as a noisy CI machine produces it: `commits` commits, 3
// runs each, log-normal noise of 1 % per run, and one run in 20 an outlier
// 5–15 % slow (another process on the machine); from commit `at` on the
// true value is multiplied by `step`.
RowSeries timing_series(std::uint64_t seed, std::size_t commits, std::size_t at, double step) {
  boost::random::mt19937_64 rng(seed);
  boost::random::normal_distribution<double> noise(0, 0.01);
  boost::random::uniform_01<double> u;
  RowSeries s{"ci", "score/analytic/scale_tril/per_sample/grads/f64/d:8/batch:1", "real_time", {}};
  for (std::size_t c = 0; c < commits; ++c) {
    CommitPoint p{"c" + std::to_string(c), "2026-01-01T00:00:00Z", {}};
    for (int r = 0; r < 3; ++r) {
      double v = 500 * (c >= at ? step : 1) * std::exp(noise(rng));
      if (u(rng) < 0.05) v *= 1.05 + 0.1 * u(rng);
      p.values.push_back(v);
    }
    s.points.push_back(p);
  }
  return s;
}

struct Power {
  int exact = 0, near = 0, covered = 0, extra = 0;
};

Power detect(double step, int trials) {
  Power p;
  for (int t = 0; t < trials; ++t) {
    const RowSeries s = timing_series(1000 + static_cast<std::uint64_t>(t), 60, 35, step);
    const std::vector<Step> steps = find_steps(s, StepOptions{});
    if (steps.size() > 1) ++p.extra;
    for (const Step& st : steps) {
      const long off = static_cast<long>(st.point) - 35;
      if (off == 0) ++p.exact;
      if (std::abs(off) <= 1) {
        ++p.near;
        if (st.low <= step && step <= st.high) ++p.covered;
      }
    }
  }
  std::cout << "step " << step << ": " << p.exact << "/" << trials << " at the commit, " << p.near
            << " within one, interval covers the size " << p.covered << ", extra change points " << p.extra
            << "\n";
  return p;
}

TEST(ChangePoints, FindsTwentyPercentStepsAtTheirCommit) {
  const Power p = detect(1.20, 20);
  EXPECT_EQ(p.exact, 20);
  EXPECT_GE(p.covered, 18);
  EXPECT_LE(p.extra, 1);
}

TEST(ChangePoints, FindsFivePercentSteps) {
  const Power p = detect(1.05, 20);
  EXPECT_GE(p.exact, 18);
  EXPECT_GE(p.covered, 17);
  EXPECT_LE(p.extra, 1);
}

TEST(ChangePoints, FindsTwoPercentSteps) {
  const Power p = detect(1.02, 20);
  EXPECT_GE(p.near, 16);
  EXPECT_LE(p.extra, 2);
}

TEST(ChangePoints, FindsAnImprovementToo) {
  const std::vector<Step> steps = find_steps(timing_series(7, 40, 20, 0.9), StepOptions{});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].point, 20u);
  EXPECT_LT(steps[0].ratio, 0.95);
  EXPECT_FALSE(is_regression(steps[0], "real_time", 0.05));
  EXPECT_TRUE(is_regression(steps[0], "samples_per_second", 0.05));
}

// Noise only: at α = 0.05 per series, about 5 % of the series may show a
// false alarm; 400 series, so more than 33 (the binomial mean + 3 sd) fails.
TEST(ChangePoints, FalseAlarmRateOnNoiseIsAtMostAlpha) {
  int alarms = 0;
  for (int t = 0; t < 400; ++t)
    alarms +=
        find_steps(timing_series(5000 + static_cast<std::uint64_t>(t), 40, 40, 1), StepOptions{}).empty() ? 0
                                                                                                          : 1;
  std::cout << "noise only, one series per family: " << alarms << " of 400 with a false alarm\n";
  EXPECT_LE(alarms, 33);
}

// Families of 25 noise-only series tested together (analyse()): the chance
// that a family shows any change point is at most α = 0.05; 80 families,
// more than 10 (mean 4 + 3 sd) fails.
TEST(ChangePoints, FamilyWiseFalseAlarmRateOnNoiseIsAtMostAlpha) {
  int families_with_alarm = 0;
  for (int f = 0; f < 80; ++f) {
    std::vector<RowSeries> family;
    for (int r = 0; r < 25; ++r) {
      RowSeries s = timing_series(90000 + static_cast<std::uint64_t>(f * 25 + r), 30, 30, 1);
      s.row += "/" + std::to_string(r);
      family.push_back(s);
    }
    bool alarm = false;
    for (const AnalysedSeries& a : analyse(family, StepOptions{})) alarm = alarm || !a.steps.empty();
    families_with_alarm += alarm ? 1 : 0;
  }
  std::cout << "noise only, families of 25 series: " << families_with_alarm << " of 80 with a false alarm\n";
  EXPECT_LE(families_with_alarm, 10);
}

// Instruction counts are deterministic: a one-commit step is found at its
// commit, with its exact size, and nothing else is.
TEST(ChangePoints, InstructionStepIsFoundExactly) {
  RowSeries s{"ci", "score/analytic/covariance_matrix/shared/sum/f64/d:16/batch:32", "instructions", {}};
  for (int c = 0; c < 30; ++c)
    s.points.push_back({"c" + std::to_string(c), "", {c < 17 ? 123456.0 : 124444.0}});
  const std::vector<Step> steps = find_steps(s, StepOptions{});
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].point, 17u);
  EXPECT_EQ(steps[0].last_before, "c16");
  EXPECT_EQ(steps[0].first_after, "c17");
  EXPECT_NEAR(steps[0].ratio, 124444.0 / 123456.0, 1e-12);
  EXPECT_TRUE(is_regression(steps[0], "instructions", 0.005));
  EXPECT_FALSE(is_regression(steps[0], "instructions", 0.01));
}

TEST(ChangePoints, TwoStepsInOneSeries) {
  RowSeries s{"ci", "row", "instructions", {}};
  for (int c = 0; c < 45; ++c)
    s.points.push_back({"c" + std::to_string(c), "", {c < 15 ? 1000.0 : c < 30 ? 1100.0 : 1050.0}});
  const std::vector<Step> steps = find_steps(s, StepOptions{});
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].point, 15u);
  EXPECT_EQ(steps[1].point, 30u);
}

TEST(ChangePoints, ConstantAndShortSeriesHaveNone) {
  EXPECT_TRUE(detect_change_points(std::vector<double>(30, 2.0), {}).empty());
  EXPECT_TRUE(detect_change_points({1.0, 5.0, 9.0}, {}).empty());
  EXPECT_TRUE(detect_change_points({}, {}).empty());
}

TEST(ChangePoints, RejectsBadInput) {
  EXPECT_THROW(detect_change_points({1, NAN, 2}, {}), std::invalid_argument);
  ChangePointOptions o;
  o.alpha = 0;
  EXPECT_THROW(detect_change_points({1, 2}, o), std::invalid_argument);
  o = {};
  o.family_size = 0;
  EXPECT_THROW(detect_change_points({1, 2}, o), std::invalid_argument);
}

class StoreTest : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("scorebench_store_" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  static RunRecord run(const std::string& commit, double value) {
    RunRecord r;
    r.kind = "benchmark";
    r.commit = commit;
    r.commit_date = "2026-01-0" + commit.substr(commit.size() - 1) + "T00:00:00Z";
    r.machine = "m";
    r.context = "{}";
    r.content_hash = "h" + std::to_string(value);
    r.measurements = {
        {"row/a", "real_time", 0, value}, {"row/a", "real_time", 1, value + 2}, {"row/b", "real_time", 0, 7}};
    return r;
  }
};

TEST_F(StoreTest, RecordsAndReadsSeriesInCommitOrder) {
  ResultsStore store((dir / "s.db").string());
  EXPECT_TRUE(store.record(run("c2", 20)).inserted);
  EXPECT_TRUE(store.record(run("c1", 10)).inserted);
  const auto series = store.series({"real_time", "a$", ""});
  ASSERT_EQ(series.size(), 1u);
  ASSERT_EQ(series[0].points.size(), 2u);
  EXPECT_EQ(series[0].points[0].commit, "c1");
  EXPECT_EQ(series[0].points[0].values, std::vector<double>{11});  // median of the repetitions
  EXPECT_EQ(series[0].points[1].values, std::vector<double>{21});
}

TEST_F(StoreTest, RecordingTheSameRunTwiceChangesNothing) {
  ResultsStore store((dir / "s.db").string());
  const RecordOutcome first = store.record(run("c1", 10));
  const RecordOutcome again = store.record(run("c1", 10));
  EXPECT_FALSE(again.inserted);
  EXPECT_EQ(again.run_id, first.run_id);
  EXPECT_EQ(store.runs().size(), 1u);
  EXPECT_EQ(store.measurement_count(), 3u);
}

TEST_F(StoreTest, RefusesNewerSchemaOtherDatabasesAndNonDatabases) {
  const std::string path = (dir / "s.db").string();
  { ResultsStore store(path); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version = 2", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  try {
    ResultsStore store(path);
    FAIL() << "opened a schema-2 store";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer scorebench (schema 2)"), std::string::npos) << e.what();
  }
  const std::string other = (dir / "other.db").string();
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_THROW(ResultsStore{other}, StoreError);
  const std::string text = (dir / "text.db").string();
  std::ofstream(text) << "this is not a database, but it is long enough to have a header of sorts\n";
  EXPECT_THROW(ResultsStore{text}, StoreError);
  EXPECT_THROW(ResultsStore{dir.string()}, StoreError);
}

}  // namespace
}  // namespace scorebench::reports::history

// The check after each benchmark loop (fixture.hpp): the analytic result of
// the fixture's batch passes; one entry of one sample, in the last of the
// parts the per-sample reference is computed in, moved by twice the block's
// tolerance (tol · scale) fails and names the block, moved by half of it
// passes (the check is as tight as stated, no tighter); so for a weighted sum;
// a result of the wrong shape fails.

#include <gtest/gtest.h>

#include "../src/fixture.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::bench {
namespace {

// d = 64, B = 600: parts of 2²⁰ / (64·131 + 1) = 125 samples, the last one 100.
Config config(Parameterization p, bool sum) {
  Config c;
  c.method = "analytic";
  c.parameterization = p;
  c.sum = sum;
  c.d = 64;
  c.batch = 600;
  return c;
}

TEST(FixtureCheck, PassesTheAnalyticResultAndFailsOneWrongEntryInTheLastPart) {
  for (Parameterization p : {Parameterization::scale_tril, Parameterization::precision_matrix}) {
    const Fixture<double>& fx = fixture<double>(config(p, false));
    const Result<double> good = registry().get("analytic").evaluate(fx.batch, fx.request);
    EXPECT_EQ(check_against_reference(fx, good), std::nullopt) << name(p);

    const double tol = check_tolerance(64, false);
    for (const double times : {0.5, 2.0}) {
      Result<double> moved = good;
      moved.grad_param_of(580)(7, 3) += times * tol * fx.scale[3];
      const auto failure = check_against_reference(fx, moved);
      ASSERT_EQ(failure.has_value(), times > 1) << name(p) << " moved by " << times << " tol";
      if (failure) {
        EXPECT_NE(failure->find("grad_param"), std::string::npos) << *failure;
      }

      moved = good;
      moved.log_prob(599) -= times * tol * fx.scale[0];
      EXPECT_EQ(check_against_reference(fx, moved).has_value(), times > 1) << name(p);
    }

    Result<double> wrong = good;
    wrong.grad_action.conservativeResize(Eigen::NoChange, 599);
    const auto shape = check_against_reference(fx, wrong);
    ASSERT_TRUE(shape.has_value());
    EXPECT_NE(shape->find("wrong shape"), std::string::npos) << *shape;
  }
}

TEST(FixtureCheck, FailsAWrongWeightedSum) {
  const Fixture<float>& fx = fixture<float>(config(Parameterization::covariance_matrix, true));
  const Result<float> good = registry().get("analytic").evaluate(fx.batch, fx.request);
  EXPECT_EQ(check_against_reference(fx, good), std::nullopt);
  const double tol = check_tolerance(64, true);
  for (const double times : {0.5, 2.0}) {
    Result<float> moved = good;
    moved.grad_loc(5, 0) += static_cast<float>(times * tol * fx.scale[1]);
    const auto failure = check_against_reference(fx, moved);
    ASSERT_EQ(failure.has_value(), times > 1) << "moved by " << times << " tol";
    if (failure) {
      EXPECT_NE(failure->find("grad_loc"), std::string::npos) << *failure;
    }
  }
}

}  // namespace
}  // namespace scorebench::bench

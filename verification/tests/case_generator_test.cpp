#include "scorebench/verification/case_generator.hpp"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>

namespace scorebench::verification {
namespace {

CaseSpec spec(Parameterization p, Dtype t, Index d, double kappa, ActionKind a = ActionKind::bulk) {
  CaseSpec s;
  s.parameterization = p;
  s.dtype = t;
  s.dim = d;
  s.kappa = kappa;
  s.action = a;
  s.seed = 12345;
  return s;
}

TEST(CaseGenerator, IsReproducibleFromItsSeed) {
  const CaseSpec s = spec(Parameterization::covariance_matrix, Dtype::f64, 6, 1e4);
  const Case a = make_case(s), b = make_case(s);
  EXPECT_EQ(a.batch.param, b.batch.param);
  EXPECT_EQ(a.batch.action, b.batch.action);
  EXPECT_EQ(a.weights, b.weights);
  CaseSpec other = s;
  other.seed = 54321;
  EXPECT_NE(make_case(other).batch.param, a.batch.param);
}

TEST(CaseGenerator, HitsThePrescribedConditionNumber) {
  for (Parameterization p : kAllParameterizations)
    for (double kappa : kappa_levels()) {
      const Case c = make_case(spec(p, Dtype::f64, 8, kappa));
      ASSERT_FALSE(c.skipped) << c.id();
      EXPECT_NEAR(std::log10(c.kappa), std::log10(kappa), 0.01) << c.id();
      // Each block is SPD with the prescribed spectrum: check one directly.
      if (p == Parameterization::covariance_matrix) {
        const Mat<double> sigma = c.batch.param.leftCols(8);
        EXPECT_EQ(sigma, sigma.transpose()) << "the stored covariance is exactly symmetric";
        const Eigen::SelfAdjointEigenSolver<Mat<double>> e(sigma);
        EXPECT_NEAR(std::log10(e.eigenvalues()(7) / e.eigenvalues()(0)), std::log10(kappa), 0.01);
      }
    }
}

TEST(CaseGenerator, ScaleTrilIsLowerTriangularWithPositiveDiagonal) {
  const Case c = make_case(spec(Parameterization::scale_tril, Dtype::f64, 5, 1e6));
  for (Index k = 0; k < 3; ++k) {
    const Mat<double> l = c.batch.param.middleCols(5 * k, 5);
    EXPECT_TRUE(l.isLowerTriangular(0));
    EXPECT_GT(l.diagonal().minCoeff(), 0);
  }
}

TEST(CaseGenerator, TailActionsHaveNoiseOfNormTen) {
  const Case c = make_case(spec(Parameterization::scale_tril, Dtype::f64, 7, 1e2, ActionKind::tail));
  for (Index b = 0; b < 3; ++b) EXPECT_NEAR(c.batch.noise.col(b).norm(), 10.0, 1e-12);
  // action = loc + L ε
  const Mat<double> l = c.batch.param.leftCols(7);
  EXPECT_LT((c.batch.action.col(0) - c.batch.loc.col(0) - l * c.batch.noise.col(0)).norm(),
            1e-12 * c.batch.action.col(0).norm() + 1e-300);
}

TEST(CaseGenerator, FloatCasesHoldFloatValues) {
  const Case c = make_case(spec(Parameterization::precision_matrix, Dtype::f32, 6, 1e2));
  ASSERT_FALSE(c.skipped);
  for (const Mat<double>* m : {&c.batch.param, &c.batch.loc, &c.batch.action, &c.batch.noise})
    EXPECT_EQ(*m, m->cast<float>().cast<double>());
}

TEST(CaseGenerator, SkipsACovarianceThatRoundingToFloatMakesIndefinite) {
  const Case c = make_case(spec(Parameterization::covariance_matrix, Dtype::f32, 32, 1e12));
  ASSERT_TRUE(c.skipped.has_value());
  EXPECT_NE(c.skipped->find("not positive definite after rounding to f32"), std::string::npos) << *c.skipped;
}

}  // namespace
}  // namespace scorebench::verification

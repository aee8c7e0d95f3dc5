#include "scorebench/verification/accuracy.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "scorebench/verification/contract.hpp"
#include "scorebench/verification/double_checks.hpp"

namespace scorebench::verification {
namespace {

BlockReference reference_of(const Mat<double>& v, const Mat<double>& m) { return {to_mp(v), to_mp(m)}; }

TEST(Accuracy, NormwiseErrorWorstEntryAndRatio) {
  Mat<double> g(2, 4);  // two samples of a 2×2 scale_tril gradient
  g << 1, 0, 3, 0,      //
      2, 4, 1, 5;
  Mat<double> computed = g;
  computed(1, 2) += 1e-12;  // sample 1, entry (1, 0)
  computed(0, 0) += 1e-13;
  const BlockError e = measure_block<double>(Block::grad_param, Parameterization::scale_tril, false, computed,
                                             reference_of(g, g.cwiseAbs()), 1e-15);
  EXPECT_EQ(e.name, "grad_scale_tril");
  // The perturbations as stored (1 + 1e-12 is rounded; the differences are exact).
  const double expected = std::hypot(computed(1, 2) - g(1, 2), computed(0, 0) - g(0, 0)) / g.norm();
  EXPECT_NEAR(e.error, expected, 1e-12 * expected);
  EXPECT_EQ(e.sample, 1);
  EXPECT_EQ(e.row, 1);
  EXPECT_EQ(e.col, 0);
  EXPECT_DOUBLE_EQ(e.rho, 1.0);
  EXPECT_NEAR(e.ratio, e.error / 1e-15, 1e-9);
  EXPECT_TRUE(e.structure.empty());
}

TEST(Accuracy, CancellationWidensTheBoundByRho) {
  const Mat<double> g = Mat<double>::Constant(1, 1, 1e-3), m = Mat<double>::Constant(1, 1, 2.0);
  const BlockError e = measure_block<double>(Block::grad_param, Parameterization::scale_diag, false,
                                             Mat<double>::Constant(1, 1, 1e-3), reference_of(g, m), 1e-16);
  EXPECT_DOUBLE_EQ(e.rho, 2000.0);
  EXPECT_DOUBLE_EQ(e.bound, 2e-13);
}

TEST(Accuracy, NonZeroAboveTheDiagonalOfTheScaleTrilGradientIsAStructuralViolation) {
  Mat<double> g = Mat<double>::Identity(2, 2), computed = g;
  computed(0, 1) = 1e-300;
  const BlockError e = measure_block<double>(Block::grad_param, Parameterization::scale_tril, false, computed,
                                             reference_of(g, g), 1e-16);
  EXPECT_NE(e.structure.find("entry (0,1)"), std::string::npos) << e.structure;
}

TEST(Accuracy, NonFiniteOutputIsInfinitelyWrongAndLocated) {
  const Mat<double> g = Mat<double>::Ones(3, 2);
  Mat<double> computed = g;
  computed(2, 1) = NAN;
  const BlockError e = measure_block<double>(Block::grad_loc, Parameterization::scale_tril, false, computed,
                                             reference_of(g, g), 1e-16);
  EXPECT_TRUE(std::isinf(e.error));
  EXPECT_FALSE(e.ratio <= 1);
  EXPECT_EQ(e.sample, 1);
  EXPECT_EQ(e.row, 2);
}

TEST(Accuracy, WrongShapeIsAStructuralViolation) {
  const Mat<double> g = Mat<double>::Ones(3, 2);
  const BlockError e = measure_block<double>(Block::grad_loc, Parameterization::scale_tril, false,
                                             Mat<double>::Ones(3, 1), reference_of(g, g), 1e-16);
  EXPECT_NE(e.structure.find("shape 3x1, expected 3x2"), std::string::npos);
}

TEST(Contract, PromisesNothingWhereTheBoundExceedsOnePercent) {
  AccuracyContract c;
  c.c = 4;
  c.kappa_max = 1e10;
  EXPECT_DOUBLE_EQ(c.unit_bound(8, 1e4, 0x1p-53), 4 * 8 * 1e4 * 0x1p-53);
  EXPECT_TRUE(c.promises(8, 1e4, 1e4, 0x1p-53));
  EXPECT_FALSE(c.promises(8, 1e12, 1e12, 0x1p-53)) << "beyond kappa_max";
  EXPECT_FALSE(c.promises(64, 1e6, 1e6, 0x1p-24)) << "bound 4·64·1e6·6e-8 > 1e-2";
  c.kappa_power = 2;
  EXPECT_DOUBLE_EQ(c.unit_bound(2, 1e3, 1.0), 4 * 2 * 1e6);
}

// Complex step is exact to rounding when well conditioned; Boost's order-8
// finite difference gets most digits; both through the same log-density.
TEST(DoubleChecks, ComplexStepAndFiniteDifferencesAgreeWithTheReferenceWhenWellConditioned) {
  for (Parameterization p : kAllParameterizations) {
    CaseSpec s;
    s.parameterization = p;
    s.dim = 4;
    s.kappa = 10;
    s.seed = 11;
    const Case c = make_case(s);
    const Index cols = is_matrix(p) ? 4 : 1;
    const Mat<double> param = c.batch.param.leftCols(cols);
    const SampleReference r =
        sample_reference(p, to_mp(c.batch.loc.col(0)), to_mp(c.batch.action.col(0)), to_mp(param));
    const auto rel = [](const Mat<double>& x, const Mat<mp50>& y) {
      return static_cast<double>((to_mp(x) - y).norm() / y.norm());
    };
    const DoubleGradient cs =
        double_check_gradient(DoubleCheck::complex_step, p, c.batch.loc.col(0), c.batch.action.col(0), param);
    EXPECT_LT(rel(cs.grad_loc, r.w), 1e-13) << name(p);
    EXPECT_LT(rel(cs.grad_param, r.grad_param), 1e-13) << name(p);
    const DoubleGradient fd = double_check_gradient(DoubleCheck::finite_difference, p, c.batch.loc.col(0),
                                                    c.batch.action.col(0), param);
    EXPECT_LT(rel(fd.grad_loc, r.w), 1e-9) << name(p);
    EXPECT_LT(rel(fd.grad_param, r.grad_param), 1e-9) << name(p);
    EXPECT_GT(fd.error_estimate, 0) << "Boost's error estimate is reported";
  }
}

}  // namespace
}  // namespace scorebench::verification

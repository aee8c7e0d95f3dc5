#include "scorebench/verification/case_generator.hpp"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

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

TEST(CaseGenerator, ParsesItsOwnIdBackIntoTheSameCase) {
  CaseSpec s = spec(Parameterization::precision_matrix, Dtype::f32, 3, 1e8, ActionKind::tail);
  s.batch = 13;
  s.weights = WeightKind::centred;
  s.seed = 18446744073709551615ULL;
  const Case c = make_case(s);
  const CaseSpec back = parse_case_id(c.id());
  EXPECT_EQ(back.parameterization, s.parameterization);
  EXPECT_EQ(back.dtype, s.dtype);
  EXPECT_EQ(back.dim, s.dim);
  EXPECT_EQ(back.kappa, s.kappa);
  EXPECT_EQ(back.action, s.action);
  EXPECT_EQ(back.batch, s.batch);
  EXPECT_EQ(back.weights, s.weights);
  EXPECT_EQ(back.seed, s.seed);
  EXPECT_EQ(make_case(back).batch.action, c.batch.action);
}

// One sample spoiled as the kind says, from the seed, never the first; the
// id carries the kind and rebuilds the same case.
TEST(CaseGenerator, SpoilsOneSampleAsItsInvalidKindSays) {
  for (Parameterization p : kAllParameterizations)
    for (InvalidKind kind : kInvalidKinds) {
      if (kind == InvalidKind::off_triangle && !is_matrix(p)) continue;
      CaseSpec s = spec(p, Dtype::f32, 4, 1e2);
      s.invalid = kind;
      const Case c = make_case(s);
      SCOPED_TRACE(c.id());
      ASSERT_GE(c.invalid_sample, 1);
      ASSERT_LT(c.invalid_sample, s.batch);
      EXPECT_NE(c.invalid_evidence.find("sample " + std::to_string(c.invalid_sample)), std::string::npos);
      const CaseSpec back = parse_case_id(c.id());
      EXPECT_EQ(back.invalid, kind);
      EXPECT_EQ(make_case(back).invalid_sample, c.invalid_sample);
      const Index k = c.invalid_sample, cols = is_matrix(p) ? 4 : 1;
      // Exactly the invalid sample has a non-finite value, a diagonal entry
      // that is not positive (Σ, Λ: their diagonal too) or a block that is
      // not lower triangular (L) or not symmetric (Σ, Λ).
      for (Index b = 0; b < s.batch; ++b) {
        const Mat<double> block = c.batch.param.middleCols(b * cols, cols);
        const Vec<double> diagonal = cols == 1 ? Vec<double>(block.col(0)) : Vec<double>(block.diagonal());
        const bool off_triangle =
            cols > 1 &&
            (p == Parameterization::scale_tril
                 ? block.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().cwiseAbs().maxCoeff() > 0
                 : (block - block.transpose()).cwiseAbs().maxCoeff() > 1e-3);
        const bool bad = !block.allFinite() || !c.batch.loc.col(b).allFinite() ||
                         !c.batch.noise.col(b).allFinite() || (diagonal.array() <= 0).any() || off_triangle;
        EXPECT_EQ(bad, b == k) << "sample " << b;
      }
      if (p == Parameterization::scale_tril)  // L → S L S: a positive first column
        for (Index b = 0; b < s.batch; ++b) {
          if (b == k) continue;
          EXPECT_TRUE((c.batch.param.col(b * cols).array() > 0).all()) << "sample " << b;
        }
    }
  CaseSpec one = spec(Parameterization::scale_diag, Dtype::f64, 2, 1);
  one.batch = 1;
  one.invalid = InvalidKind::nan_loc;
  EXPECT_THROW(make_case(one), std::invalid_argument);
  CaseSpec diag = spec(Parameterization::scale_diag, Dtype::f64, 2, 1e2);
  diag.invalid = InvalidKind::off_triangle;  // σ has no entry off the diagonal
  EXPECT_THROW(make_case(diag), std::invalid_argument);
  CaseSpec scalar = spec(Parameterization::scale_tril, Dtype::f64, 1, 1e2);
  scalar.invalid = InvalidKind::off_triangle;  // nor has a 1×1 L
  EXPECT_THROW(make_case(scalar), std::invalid_argument);
}

TEST(CaseGenerator, RefusesAMalformedIdNamingThePart) {
  const std::string good = "scale_tril/f64/d:2/kappa:1e+02/bulk/B:9/weights:mixed/seed:7";
  EXPECT_NO_THROW(parse_case_id(good));
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"scale_tril/f64/d:2/kappa:1e+02/bulk/B:9/weights:mixed", "expected 8 parts"},
      {"cholesky/f64/d:2/kappa:1e+02/bulk/B:9/weights:mixed/seed:7", "unknown parameterization 'cholesky'"},
      {"scale_tril/f16/d:2/kappa:1e+02/bulk/B:9/weights:mixed/seed:7", "dtype 'f16'"},
      {"scale_tril/f64/d:-2/kappa:1e+02/bulk/B:9/weights:mixed/seed:7", "d '-2'"},
      {"scale_tril/f64/d:2/kappa:1e+03/bulk/B:9/weights:mixed/seed:7", "kappa '1e+03'"},
      {"scale_tril/f64/d:2/kappa:1e+02/far/B:9/weights:mixed/seed:7", "action 'far'"},
      {"scale_tril/f64/d:2/kappa:1e+02/bulk/B:0/weights:mixed/seed:7", "B 1 … 4096"},
      {"scale_tril/f64/d:2/kappa:1e+02/bulk/B:9/weights:some/seed:7", "weights 'some'"},
      {"scale_tril/f64/d:2/kappa:1e+02/bulk/B:9/weights:mixed/seed:18446744073709551616",
       "seed '18446744073709551616'"},
      {"scale_tril/f64/d:2/kappa:1e+02/bulk/B:9/weights:mixed/sed:7", "expected 'seed:…'"},
      {"scale_tril/f64/d:2/kappa:1e+02/bulk/B:9/weights:mixed/seed:7/invalid:huge", "invalid 'huge'"},
      {"scale_tril/f64/d:2/kappa:1e+02/bulk/B:9/weights:mixed/seed:7/broken:nan_loc", "expected 'invalid:…'"},
      {"scale_tril/f64/d:2/kappa:1e+02/bulk/B:1/weights:mixed/seed:7/invalid:nan_loc", "needs B >= 2"},
  };
  for (const auto& [id, evidence] : bad) {
    try {
      parse_case_id(id);
      ADD_FAILURE() << id << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(evidence), std::string::npos) << e.what();
    }
  }
}

// Weights of both signs, zeros, and a heavily cancelling (centred) set.
TEST(CaseGenerator, WeightKindsCoverSignsZerosAndCancellation) {
  CaseSpec s = spec(Parameterization::scale_tril, Dtype::f64, 2, 1);
  s.batch = 12;
  s.weights = WeightKind::positive;
  const Vec<double> pos = make_case(s).weights;
  EXPECT_GE(pos.minCoeff(), 0.5);
  EXPECT_LE(pos.maxCoeff(), 1.5);
  s.weights = WeightKind::mixed;
  const Vec<double> mixed = make_case(s).weights;
  EXPECT_LT(mixed.minCoeff(), 0);
  EXPECT_GT(mixed.maxCoeff(), 0);
  EXPECT_EQ(mixed(3), 0);
  EXPECT_EQ(mixed(7), 0);
  s.weights = WeightKind::centred;
  const Vec<double> centred = make_case(s).weights;
  EXPECT_LT(std::abs(centred.sum()), 1e-12 * centred.cwiseAbs().sum());
}

// The case generator draws through Boost.Random, whose output is fixed by
// the Boost sources: the same seed gives the same case with any standard
// library. (std::normal_distribution gives other numbers under libc++.)
TEST(CaseGenerator, DrawsTheSameNumbersWhateverTheStandardLibrary) {
  CaseSpec s = spec(Parameterization::scale_diag, Dtype::f64, 1, 1);
  s.seed = 1;
  const Case c = make_case(s);
  // Recomputed from boost::random::mt19937_64(1) by the generator's recipe
  // for d = 1: σ = √(10^U(−2, 2)), μ = σ·N(0, 1), ε = N(0, 1) (Boost's
  // ziggurat; std::normal_distribution gives other numbers).
  boost::random::mt19937_64 rng(1);
  boost::random::uniform_real_distribution<double> decades(-2.0, 2.0);
  const double sigma = std::sqrt(std::pow(10.0, decades(rng)));
  EXPECT_EQ(c.batch.param(0, 0), sigma);
  boost::random::normal_distribution<double> n1, n2;
  EXPECT_EQ(c.batch.loc(0, 0), std::sqrt(sigma * sigma) * n1(rng));
  EXPECT_EQ(c.batch.noise(0, 0), n2(rng));
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

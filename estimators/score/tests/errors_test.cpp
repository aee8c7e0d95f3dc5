// Every documented error path (DESIGN §6, validation.hpp), for every method:
// the exception type or the Result::errors entry, and the message naming
// the argument, the sample and the evidence. In a batch the failing samples
// are named and the others are still computed, and checked against a clean
// evaluation.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "test_support.hpp"

namespace scorebench::testing {
namespace {

using ::testing::HasSubstr;

// A valid 2-d batch of `n` samples with actions, in parameterization p.
Batch<double> small_batch(Parameterization p, Index n) {
  Batch<double> b;
  b.parameterization = p;
  b.loc = Mat<double>::Zero(2, n);
  b.action = Mat<double>::Ones(2, n);
  b.noise = Mat<double>::Ones(2, n);
  Mat<double> block(2, 2);
  switch (p) {
    case Parameterization::scale_tril: block << 2, 0, 0.5, 1.5; break;
    case Parameterization::covariance_matrix: block << 4, 1, 1, 2.5; break;
    case Parameterization::precision_matrix: block << 0.5, 0.25, 0.25, 1; break;
    case Parameterization::scale_diag: block = Mat<double>(Vec<double>::Constant(2, 1.5)); break;
  }
  b.param = block;
  return b;
}

template <typename E>
void expect_throws(const std::function<void()>& f, const std::vector<std::string>& parts,
                   const std::string& context) {
  try {
    f();
    ADD_FAILURE() << context << ": no exception";
  } catch (const E& e) {
    for (const std::string& part : parts) EXPECT_THAT(e.what(), HasSubstr(part)) << context;
  } catch (const std::exception& e) {
    ADD_FAILURE() << context << ": wrong exception type, message: " << e.what();
  }
}

// Each check of check_shapes, for every method.
TEST(ShapeErrors, EachCheckThrowsInvalidArgumentNamingTheArgument) {
  struct ShapeCase {
    std::string what;
    std::function<void(Batch<double>&, Request<double>&)> corrupt;
    std::vector<std::string> message;
  };
  const std::vector<ShapeCase> cases = {
      {"no rows in loc",
       [](Batch<double>& b, Request<double>&) {
         b.loc.resize(0, 1);
         b.action.resize(0, 1);
         b.noise.resize(0, 1);
       },
       {"loc has no rows", "at least 1"}},
      {"empty batch",
       [](Batch<double>& b, Request<double>&) {
         b.action.resize(2, 0);
         b.noise.resize(2, 0);
       },
       {"the batch is empty"}},
      {"neither action nor noise",
       [](Batch<double>& b, Request<double>&) {
         b.action.resize(0, 3);
         b.noise.resize(0, 0);
       },
       {"neither action nor noise is given"}},
      {"action rows",
       [](Batch<double>& b, Request<double>&) { b.action = Mat<double>::Ones(3, 3); },
       {"action has 3 rows but loc has 2"}},
      {"action columns",
       [](Batch<double>& b, Request<double>&) { b.action = Mat<double>::Ones(2, 2); },
       {"action has 2 columns but the batch has 3 samples"}},
      {"noise rows",
       [](Batch<double>& b, Request<double>&) { b.noise = Mat<double>::Ones(1, 3); },
       {"noise has 1 rows but loc has 2"}},
      {"noise columns",
       [](Batch<double>& b, Request<double>&) { b.noise = Mat<double>::Ones(2, 2); },
       {"noise has 2 columns but the batch has 3 samples"}},
      {"loc columns",
       [](Batch<double>& b, Request<double>&) { b.loc = Mat<double>::Zero(2, 2); },
       {"loc has 2 columns", "1 (shared) or one per sample (3)"}},
      {"param rows",
       [](Batch<double>& b, Request<double>&) { b.param = Mat<double>::Identity(3, 2); },
       {"covariance_matrix is 3×2", "expected 2×2 (shared) or 2×6 (one d×d block per sample)"}},
      {"param columns",
       [](Batch<double>& b, Request<double>&) { b.param = Mat<double>::Identity(2, 4); },
       {"covariance_matrix is 2×4"}},
      {"weights size",
       [](Batch<double>&, Request<double>& r) {
         r.output = Output::sum;
         r.weights = Vec<double>::Ones(2);
       },
       {"weights has 2 entries but the batch has 3 samples"}},
  };
  for (const Method* m : available_methods())
    for (const ShapeCase& c : cases) {
      Batch<double> b = small_batch(Parameterization::covariance_matrix, 3);
      Request<double> r;
      c.corrupt(b, r);
      expect_throws<std::invalid_argument>([&] { m->evaluate(b, r); }, c.message, m->name() + ": " + c.what);
    }
}

TEST(ShapeErrors, ScaleDiagParameterIsOneColumnPerBlock) {
  Batch<double> b = small_batch(Parameterization::scale_diag, 3);
  b.param = Mat<double>::Ones(2, 2);
  for (const Method* m : available_methods())
    expect_throws<std::invalid_argument>(
        [&] { m->evaluate(b, {}); },
        {"scale_diag is 2×2", "expected 2×1 (shared) or 2×3 (one column per sample)"}, m->name());
}

TEST(ShapeErrors, ReparameterizationNeedsNoise) {
  Batch<double> b = small_batch(Parameterization::scale_tril, 2);
  b.noise.resize(0, 0);
  const Method& m = registry().get("reparameterization");
  EXPECT_TRUE(m.capabilities().requires_noise);
  expect_throws<std::invalid_argument>(
      [&] { m.evaluate(b, {}); }, {"method reparameterization needs noise", "action = loc + L ε"}, m.name());
  for (const Method* other : available_methods())
    if (other->name() != "reparameterization") {
      EXPECT_NO_THROW(other->evaluate(b, {})) << other->name();
    }
}

TEST(ValueErrors, NonFiniteWeightsThrowDomainError) {
  const Batch<double> b = small_batch(Parameterization::scale_tril, 3);
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()})
    for (const Method* m : available_methods()) {
      Request<double> r{Output::sum, Vec<double>::Ones(3)};
      r.weights(1) = bad;
      expect_throws<std::domain_error>(
          [&] { m->evaluate(b, r); },
          {"weights[1] is " + std::string(std::isnan(bad) ? "nan" : "inf"), "weights must be finite"},
          m->name());
    }
}

// A per-sample value error: what to corrupt in sample 1 of a random batch of
// three, and the message expected in Result::errors.
struct ValueCase {
  std::string what;
  Parameterization p;
  bool from_noise;
  std::function<void(Batch<double>&)> corrupt;  // corrupts sample 1
  std::vector<std::string> message;
};

const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// Block of sample 1 (d = 3, per-sample parameters).
auto block1(Batch<double>& b) { return b.param.middleCols(b.block_cols(), b.block_cols()); }

std::vector<ValueCase> value_cases() {
  using P = Parameterization;
  Mat<double> not_pd(3, 3);  // pivots 1, 0.19, then 0.19 − 1.71²/0.19 = −15.2
  not_pd << 1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1;
  return {
      {"loc nan",
       P::scale_tril,
       false,
       [](Batch<double>& b) { b.loc(2, 1) = kNan; },
       {"sample 1: loc[2] is nan"}},
      {"action inf",
       P::covariance_matrix,
       false,
       [](Batch<double>& b) { b.action(0, 1) = -kInf; },
       {"sample 1: action[0] is -inf"}},
      {"noise nan",
       P::precision_matrix,
       true,
       [](Batch<double>& b) { b.noise(1, 1) = kNan; },
       {"sample 1: noise[1] is nan"}},
      {"scale_tril entry inf",
       P::scale_tril,
       false,
       [](Batch<double>& b) { block1(b)(2, 0) = kInf; },
       {"sample 1: scale_tril(2,0) is inf"}},
      {"covariance entry nan",
       P::covariance_matrix,
       false,
       [](Batch<double>& b) { block1(b)(0, 1) = kNan; },
       {"sample 1: covariance_matrix(0,1) is nan"}},
      {"precision entry nan",
       P::precision_matrix,
       false,
       [](Batch<double>& b) { block1(b)(1, 1) = kNan; },
       {"sample 1: precision_matrix(1,1) is nan"}},
      {"scale_diag entry inf",
       P::scale_diag,
       true,
       [](Batch<double>& b) { block1(b)(2, 0) = kInf; },
       {"sample 1: scale_diag[2] is inf"}},
      {"asymmetric covariance",
       P::covariance_matrix,
       false,
       [](Batch<double>& b) {
         auto a = block1(b);
         a(0, 2) = a(2, 0) + 1e-3;
       },
       {"sample 1: covariance_matrix is not symmetric: covariance_matrix(0,2) = ",
        "but covariance_matrix(2,0) = ", "(difference ", "> tolerance "}},
      {"asymmetric precision",
       P::precision_matrix,
       true,
       [](Batch<double>& b) {
         auto a = block1(b);
         a(1, 2) = a(2, 1) * 1.001;
       },
       {"sample 1: precision_matrix is not symmetric: precision_matrix(1,2)"}},
      {"covariance not positive definite",
       P::covariance_matrix,
       false,
       [not_pd](Batch<double>& b) { block1(b) = not_pd; },
       {"sample 1: covariance_matrix is not positive definite: Cholesky pivot 2 is -15.", "(must be > 0)"}},
      {"covariance not positive definite, from noise",
       P::covariance_matrix,
       true,
       [not_pd](Batch<double>& b) { block1(b) = not_pd; },
       {"sample 1: covariance_matrix is not positive definite: Cholesky pivot 2 is -15."}},
      {"precision not positive definite",
       P::precision_matrix,
       false,
       [not_pd](Batch<double>& b) { block1(b) = not_pd; },
       {"sample 1: precision_matrix is not positive definite: Cholesky pivot 2 is -15."}},
      {"covariance diagonal not positive",
       P::covariance_matrix,
       false,
       [](Batch<double>& b) { block1(b)(1, 1) = -0.5; },
       {"sample 1: covariance_matrix(1,1) = -0.5 is not positive, so covariance_matrix is not positive "
        "definite"}},
      {"scale_tril diagonal zero",
       P::scale_tril,
       false,
       [](Batch<double>& b) { block1(b)(2, 2) = 0; },
       {"sample 1: scale_tril(2,2) = 0 is not positive (the diagonal of L must be > 0)"}},
      {"scale_tril diagonal negative, from noise",
       P::scale_tril,
       true,
       [](Batch<double>& b) { block1(b)(0, 0) = -2; },
       {"sample 1: scale_tril(0,0) = -2 is not positive (the diagonal of L must be > 0)"}},
      {"scale_tril above the diagonal",
       P::scale_tril,
       false,
       [](Batch<double>& b) { block1(b)(0, 2) = 0.25; },
       {"sample 1: scale_tril(0,2) = 0.25 is above the diagonal: scale_tril must be lower triangular"}},
      {"scale_diag negative",
       P::scale_diag,
       false,
       [](Batch<double>& b) { block1(b)(1, 0) = -3; },
       {"sample 1: scale_diag[1] = -3 is not positive (a scale must be > 0)"}},
      {"scale_diag zero, from noise",
       P::scale_diag,
       true,
       [](Batch<double>& b) { block1(b)(0, 0) = 0; },
       {"sample 1: scale_diag[0] = 0 is not positive (a scale must be > 0)"}},
  };
}

// Sample 1 fails with its message; samples 0 and 2 equal a clean evaluation
// (grads), and the sum equals the clean sum with c₁ = 0.
TEST(ValueErrors, FailingSampleIsNamedAndOthersAreComputed) {
  std::mt19937_64 rng(31337);
  for (const ValueCase& c : value_cases()) {
    RandomBatch rb = random_batch(c.p, 3, 3, 10, /*shared=*/false, rng);
    Batch<double>& clean = rb.batch;
    if (c.from_noise)
      clean.action.resize(0, 0);
    else
      clean.noise.resize(0, 0);
    Batch<double> bad = clean;
    c.corrupt(bad);
    const Vec<double> weights = (Vec<double>(3) << 0.5, -2, 1.25).finished();
    const Vec<double> weights_without_1 = (Vec<double>(3) << 0.5, 0, 1.25).finished();
    for (const Method* m : available_methods()) {
      if (m->capabilities().requires_noise && !c.from_noise) continue;
      SCOPED_TRACE(m->name() + ": " + c.what);
      const Result<double> got = m->evaluate(bad, {});
      ASSERT_EQ(got.errors.size(), 1u);
      EXPECT_EQ(got.errors[0].sample, 1);
      for (const std::string& part : c.message) EXPECT_THAT(got.errors[0].message, HasSubstr(part));
      EXPECT_FALSE(got.ok());
      EXPECT_TRUE(std::isnan(got.log_prob(1)));
      EXPECT_TRUE(got.grad_loc.col(1).array().isNaN().all());
      EXPECT_TRUE(got.grad_param_of(1).array().isNaN().all());

      const Result<double> reference = m->evaluate(clean, {});
      const Bounds bounds = error_bounds(rb, {}, unit_roundoff<double>());
      for (Index b : {0, 2}) {
        Result<double> one = got, ref_one = reference;
        for (Result<double>* r : {&one, &ref_one}) {
          r->log_prob = Vec<double>::Constant(1, r->log_prob(b));
          r->grad_loc = Mat<double>(r->grad_loc.col(b));
          r->grad_action = Mat<double>(r->grad_action.col(b));
          r->grad_param = Mat<double>(r->grad_param_of(b));
          r->errors.clear();
        }
        EXPECT_TRUE(results_agree(one, ref_one, Bounds{{bounds.columns[static_cast<size_t>(b)]}}))
            << "sample " << b;
      }

      const Result<double> sum = m->evaluate(bad, {Output::sum, weights});
      ASSERT_EQ(sum.errors.size(), 1u);
      EXPECT_EQ(sum.errors[0].sample, 1);
      Result<double> sum_ok = sum;
      sum_ok.errors.clear();
      const Request<double> clean_sum{Output::sum, weights_without_1};
      EXPECT_TRUE(results_agree(sum_ok, m->evaluate(clean, clean_sum),
                                error_bounds(rb, clean_sum, unit_roundoff<double>())))
          << "sum without the failing sample";
    }
  }
}

// A parameter shared by the batch cannot be skipped: the whole call fails.
TEST(ValueErrors, SharedBadParameterThrowsDomainError) {
  Batch<double> b = small_batch(Parameterization::covariance_matrix, 4);
  b.param << 1, 2, 2, 1;  // pivot 1: 1 − 2² = −3
  for (const Method* m : available_methods())
    for (bool from_noise : {false, true}) {
      Batch<double> given = b;
      if (from_noise) given.action.resize(0, 0);
      if (m->capabilities().requires_noise && !from_noise) continue;
      expect_throws<std::domain_error>(
          [&] { m->evaluate(given, {}); },
          {"covariance_matrix (shared by all 4 samples): covariance_matrix is not "
           "positive definite: Cholesky pivot 1 is -3 (must be > 0)"},
          m->name() + (from_noise ? " from noise" : ""));
    }
  Batch<double> s = small_batch(Parameterization::scale_diag, 2);
  s.param(1, 0) = -1;
  for (const Method* m : available_methods())
    expect_throws<std::domain_error>(
        [&] { m->evaluate(s, {}); },
        {"scale_diag (shared by all 2 samples): scale_diag[1] = -1 is not positive (a scale must be > 0)"},
        m->name());
}

// With one sample its parameter is the shared one, so a bad parameter throws
// (naming sample 0) while a bad vector is reported in Result::errors.
TEST(ValueErrors, SingleSampleBadParameterThrowsAndBadVectorIsReported) {
  Batch<double> b = small_batch(Parameterization::scale_tril, 1);
  b.param(0, 1) = 1;
  for (const Method* m : available_methods())
    expect_throws<std::domain_error>([&] { m->evaluate(b, {}); },
                                     {"sample 0: scale_tril(0,1) = 1 is above the diagonal"}, m->name());
  Batch<double> v = small_batch(Parameterization::scale_tril, 1);
  v.loc(1, 0) = kNan;
  for (const Method* m : available_methods()) {
    const Result<double> r = m->evaluate(v, {});
    ASSERT_EQ(r.errors.size(), 1u) << m->name();
    EXPECT_EQ(r.errors[0].message, "sample 0: loc[1] is nan") << m->name();
  }
}

// Shared parameter, bad vectors in samples 0 and 2: both named, in order,
// sample 1 computed (the analytic matrix-shaped path must step aside).
TEST(ValueErrors, SharedParameterWithBadSamplesComputesTheRest) {
  std::mt19937_64 rng(5);
  for (Parameterization p : kAllParameterizations) {
    RandomBatch rb = random_batch(p, 3, 3, 10, /*shared=*/true, rng);
    Batch<double> bad = rb.batch;
    bad.action(1, 2) = kNan;
    bad.loc(0, 0) = kInf;
    bad.noise(1, 2) = kNan;
    for (const Method* m : available_methods()) {
      SCOPED_TRACE(m->name() + " " + std::string(name(p)));
      const Result<double> r = m->evaluate(bad, {});
      ASSERT_EQ(r.errors.size(), 2u);
      EXPECT_EQ(r.errors[0].sample, 0);
      EXPECT_EQ(r.errors[0].message, "sample 0: loc[0] is inf");
      EXPECT_EQ(r.errors[1].sample, 2);
      EXPECT_THAT(r.errors[1].message, HasSubstr("sample 2: "));
      const Result<double> clean = m->evaluate(rb.batch, {});
      EXPECT_NEAR(r.log_prob(1), clean.log_prob(1),
                  error_bounds(rb, {}, unit_roundoff<double>()).columns[1].log_prob);
      EXPECT_TRUE(r.grad_loc.col(1).isApprox(clean.grad_loc.col(1), 1e-12));
      EXPECT_TRUE(r.grad_param_of(1).isApprox(clean.grad_param_of(1), 1e-12));
      expect_throws<std::domain_error>(
          [&] { r.throw_if_failed(); },
          {"2 of the batch's samples failed:\n  sample 0: loc[0] is inf\n  sample 2: "}, "throw_if_failed");
      EXPECT_NO_THROW(clean.throw_if_failed());
    }
  }
}

// Rounding-level asymmetry (what a symmetric computation leaves behind) is
// accepted; the lower triangle is what counts.
TEST(ValueErrors, AsymmetryWithinToleranceIsAccepted) {
  const Batch<double> b = small_batch(Parameterization::covariance_matrix, 1);
  Batch<double> nudged = b;
  nudged.param(0, 1) = std::nextafter(b.param(0, 1), 2.0);
  for (const Method* m : available_methods()) {
    const Result<double> exact = m->evaluate(b, {});
    const Result<double> r = m->evaluate(nudged, {});
    EXPECT_TRUE(r.ok()) << m->name();
    EXPECT_NEAR(r.log_prob(0), exact.log_prob(0), 1e-14) << m->name();
  }
}

}  // namespace
}  // namespace scorebench::testing

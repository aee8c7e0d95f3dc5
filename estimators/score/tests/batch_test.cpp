// Batch semantics, for every method and parameterization: a batch equals a
// loop of single samples; a shared parameter equals per-sample parameters
// with the block repeated; the weighted sum equals Σ_b c_b × the per-sample
// gradients; a d×1 loc broadcasts like a repeated loc; a noise-given batch
// equals the action-given batch with a = μ + Lε. Agreement is to the bound of
// test_support.hpp (these differ only in rounding: matrix-shaped kernels,
// summation order, the rounding of a = μ + Lε).

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "test_support.hpp"

namespace scorebench::testing {
namespace {

constexpr Index kDim = 4, kBatch = 5;

class BatchSemantics : public ::testing::TestWithParam<Parameterization> {
 protected:
  std::mt19937_64 rng{static_cast<unsigned>(GetParam()) + 99};
};

// Column b of a batch (its own parameter block) as a batch of one.
Batch<double> single(const Batch<double>& batch, Index b) {
  Batch<double> s;
  s.parameterization = batch.parameterization;
  s.loc = batch.loc_of(b);
  if (batch.action.size()) s.action = batch.action.col(b);
  if (batch.noise.size()) s.noise = batch.noise.col(b);
  s.param = batch.param_of(b);
  return s;
}

// The per-sample results of a loop, assembled like a batch result.
Result<double> loop_of_singles(const Method& m, const Batch<double>& batch) {
  const Index n = batch.size(), d = batch.dim();
  Result<double> out = make_result<double>(batch.parameterization, Output::grads, d, n);
  for (Index b = 0; b < n; ++b) {
    const Result<double> r = m.evaluate(single(batch, b), Request<double>{});
    EXPECT_TRUE(r.ok());
    out.log_prob(b) = r.log_prob(0);
    out.grad_loc.col(b) = r.grad_loc.col(0);
    out.grad_action.col(b) = r.grad_action.col(0);
    out.grad_param_of(b) = r.grad_param_of(0);
  }
  return out;
}

Request<double> grads() { return {}; }

TEST_P(BatchSemantics, BatchEqualsLoopOfSingleSamples) {
  for (bool shared : {false, true}) {
    const RandomBatch rb = random_batch(GetParam(), kDim, kBatch, 100, shared, rng);
    const Bounds bounds = error_bounds(rb, grads(), unit_roundoff<double>());
    for (const Method* m : available_methods())
      EXPECT_TRUE(results_agree(m->evaluate(rb.batch, grads()), loop_of_singles(*m, rb.batch), bounds))
          << m->name() << (shared ? " shared" : " per-sample");
  }
}

TEST_P(BatchSemantics, SharedEqualsPerSampleWithRepeatedBlock) {
  const RandomBatch rb = random_batch(GetParam(), kDim, kBatch, 100, /*shared=*/true, rng);
  Batch<double> repeated = rb.batch;
  repeated.param = rb.batch.param.replicate(1, kBatch);
  ASSERT_FALSE(repeated.shared_param());
  for (const Method* m : available_methods())
    for (Output o : {Output::grads, Output::sum}) {
      const Request<double> req{o, {}};
      EXPECT_TRUE(results_agree(m->evaluate(rb.batch, req), m->evaluate(repeated, req),
                                error_bounds(rb, req, unit_roundoff<double>())))
          << m->name() << " " << name(o);
    }
}

// Σ_b c_b g_b from per-sample gradients, in long double.
Result<double> weighted_sum(const Result<double>& g, const Vec<double>& c) {
  Result<double> out = make_result<double>(g.parameterization, Output::sum, g.dim(), 1);
  const Index n = g.log_prob.size();
  long double lp = 0;
  Mat<long double> loc = Mat<long double>::Zero(g.dim(), 1), act = loc,
                   par = Mat<long double>::Zero(g.dim(), g.block_cols());
  for (Index b = 0; b < n; ++b) {
    const long double cb = c(b);
    lp += cb * g.log_prob(b);
    loc += cb * g.grad_loc.col(b).cast<long double>();
    act += cb * g.grad_action.col(b).cast<long double>();
    par += cb * g.grad_param_of(b).cast<long double>();
  }
  out.log_prob(0) = static_cast<double>(lp);
  out.grad_loc = loc.cast<double>();
  out.grad_action = act.cast<double>();
  out.grad_param = par.cast<double>();
  return out;
}

TEST_P(BatchSemantics, WeightedSumEqualsSumOfWeightedPerSampleGradients) {
  Vec<double> c(kBatch);
  c << 1.5, -0.75, 2.25, -3.0, 0.125;
  for (bool shared : {false, true}) {
    const RandomBatch rb = random_batch(GetParam(), kDim, kBatch, 100, shared, rng);
    for (const Method* m : available_methods()) {
      const Result<double> per_sample = m->evaluate(rb.batch, grads());
      for (const Vec<double>& weights : {c, Vec<double>(Vec<double>::Ones(kBatch))}) {
        const Request<double> sum{Output::sum, weights};
        const Result<double> got = m->evaluate(rb.batch, sum);
        EXPECT_EQ(got.log_prob.size(), 1);
        EXPECT_EQ(got.grad_param.cols(), rb.batch.block_cols());
        EXPECT_TRUE(results_agree(got, weighted_sum(per_sample, weights),
                                  error_bounds(rb, sum, unit_roundoff<double>())))
            << m->name() << (shared ? " shared" : " per-sample") << " weights " << weights.transpose();
      }
      // Empty weights mean every c_b = 1.
      const Result<double> unweighted = m->evaluate(rb.batch, Request<double>{Output::sum, {}});
      const Request<double> ones{Output::sum, Vec<double>::Ones(kBatch)};
      EXPECT_TRUE(results_agree(unweighted, weighted_sum(per_sample, ones.weights),
                                error_bounds(rb, ones, unit_roundoff<double>())))
          << m->name() << " unweighted sum";
    }
  }
}

TEST_P(BatchSemantics, SharedLocBroadcastsLikeRepeatedLoc) {
  for (bool shared : {false, true}) {
    RandomBatch rb = random_batch(GetParam(), kDim, kBatch, 100, shared, rng);
    Batch<double>& b = rb.batch;
    const Vec<double> mu = b.loc.col(0);
    b.loc = mu.replicate(1, kBatch);
    for (Index j = 0; j < kBatch; ++j)
      b.action.col(j) = mu + rb.covariance_of(j).l.triangularView<Eigen::Lower>() * b.noise.col(j);
    Batch<double> broadcast = b;
    broadcast.loc = mu;
    // The action-given and noise-given forms both keep their meaning.
    Batch<double> from_noise = broadcast;
    from_noise.action.resize(0, 0);
    for (const Method* m : available_methods())
      for (Output o : {Output::grads, Output::sum}) {
        const Request<double> req{o,
                                  o == Output::sum ? Vec<double>::LinSpaced(kBatch, -1, 2) : Vec<double>()};
        const Bounds bounds = error_bounds(rb, req, unit_roundoff<double>());
        const Result<double> repeated = m->evaluate(b, req);
        EXPECT_TRUE(results_agree(m->evaluate(broadcast, req), repeated, bounds))
            << m->name() << " " << name(o) << (shared ? " shared" : " per-sample");
        EXPECT_TRUE(results_agree(m->evaluate(from_noise, req), repeated, bounds))
            << m->name() << " from noise " << name(o) << (shared ? " shared" : " per-sample");
      }
  }
}

TEST_P(BatchSemantics, NoiseGivenEqualsActionGiven) {
  for (bool shared : {false, true}) {
    const RandomBatch rb = random_batch(GetParam(), kDim, kBatch, 100, shared, rng);
    Batch<double> actions = rb.batch, noises = rb.batch;
    actions.noise.resize(0, 0);  // a = μ + Lε formed by the test with L = chol Σ
    noises.action.resize(0, 0);
    for (Output o : {Output::grads, Output::sum}) {
      const Request<double> req{o, o == Output::sum ? Vec<double>::LinSpaced(kBatch, 2, -1) : Vec<double>()};
      const Bounds bounds = error_bounds(rb, req, unit_roundoff<double>());
      const Result<double> reference = registry().get("analytic").evaluate(actions, req);
      for (const Method* m : available_methods()) {
        EXPECT_TRUE(results_agree(m->evaluate(noises, req), reference, bounds))
            << m->name() << " from noise, " << name(o) << (shared ? " shared" : " per-sample");
        if (!m->capabilities().requires_noise) {
          EXPECT_TRUE(results_agree(m->evaluate(actions, req), reference, bounds))
              << m->name() << " from action, " << name(o) << (shared ? " shared" : " per-sample");
        }
      }
    }
  }
}

// Request::threads: the batch is cut into chunks that depend on B only, so
// every output, the weighted sum included, is bit-identical for any count.
TEST_P(BatchSemantics, ThreadCountDoesNotChangeAnyBit) {
  constexpr Index n = 45;  // several chunks
  for (bool shared : {false, true}) {
    const RandomBatch rb = random_batch(GetParam(), kDim, n, 100, shared, rng);
    for (const Method* m : available_methods())
      for (Output o : {Output::grads, Output::sum}) {
        Request<double> req{o, o == Output::sum ? Vec<double>::LinSpaced(n, -1, 2) : Vec<double>()};
        const Result<double> one = m->evaluate(rb.batch, req);
        for (int threads : {2, 3, 0}) {
          req.threads = threads;
          const Result<double> many = m->evaluate(rb.batch, req);
          EXPECT_TRUE(many.log_prob == one.log_prob && many.grad_loc == one.grad_loc &&
                      many.grad_action == one.grad_action && many.grad_param == one.grad_param)
              << m->name() << " " << name(o) << (shared ? " shared" : " per-sample")
              << " threads=" << threads;
        }
      }
  }
}

// evaluate_into(): the same numbers as evaluate(), whatever `out` held
// before (another shape, failed samples), and, for the kernel methods, the
// caller's storage kept when the size fits.
TEST_P(BatchSemantics, EvaluateIntoEqualsEvaluateWhateverTheBufferHeld) {
  constexpr Index n = 7;
  for (bool shared : {false, true}) {
    const RandomBatch rb = random_batch(GetParam(), kDim, n, 100, shared, rng);
    Batch<double> with_bad_sample = rb.batch;
    with_bad_sample.loc(1, 3) = std::numeric_limits<double>::quiet_NaN();
    const RandomBatch smaller = random_batch(GetParam(), kDim + 1, 2, 100, shared, rng);
    for (const Method* m : available_methods())
      for (Output o : {Output::grads, Output::sum}) {
        const Request<double> req{o, o == Output::sum ? Vec<double>::LinSpaced(n, -1, 2) : Vec<double>()};
        const std::string what =
            m->name() + " " + std::string(name(o)) + (shared ? " shared" : " per-sample");
        Result<double> out;
        m->evaluate_into(smaller.batch,
                         Request<double>{o, o == Output::sum ? Vec<double>::Ones(2) : Vec<double>()}, out);
        m->evaluate_into(with_bad_sample, req, out);
        ASSERT_EQ(out.errors.size(), 1u) << what;
        EXPECT_EQ(out.errors[0].sample, 3) << what;
        const double* storage = out.grad_param.data();
        m->evaluate_into(rb.batch, req, out);
        const Result<double> fresh = m->evaluate(rb.batch, req);
        EXPECT_TRUE(out.errors.empty()) << what << ": errors of the previous batch kept";
        EXPECT_EQ(out.output, o) << what;
        EXPECT_TRUE(out.log_prob == fresh.log_prob && out.grad_loc == fresh.grad_loc &&
                    out.grad_action == fresh.grad_action && out.grad_param == fresh.grad_param)
            << what;
        if (m->name() == "analytic") {
          EXPECT_EQ(out.grad_param.data(), storage) << what << ": storage reallocated";
        }
      }
  }
}

INSTANTIATE_TEST_SUITE_P(AllParameterizations, BatchSemantics, ::testing::ValuesIn(kAllParameterizations),
                         [](const auto& info) { return std::string(name(info.param)); });

}  // namespace
}  // namespace scorebench::testing

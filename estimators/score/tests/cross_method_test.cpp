// Every method against every other on random SPD cases of every
// parameterization, d ∈ {1, 2, 3, 5, 8, 16}, per-sample and shared
// parameters, per-sample gradients and weighted sums, to the bound
// c·d·κ(Σ)·u·S of test_support.hpp; and every method in float against its
// own double result to the same bound with u = 2⁻²⁴.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <tuple>

#include "test_support.hpp"

namespace scorebench::testing {
namespace {

constexpr Index kDims[] = {1, 2, 3, 5, 8, 16};
constexpr Index kBatch = 9;  // a whole SIMD group of the lane kernels (8 floats, 4 doubles) and a tail

using CrossParam = std::tuple<Parameterization, bool /*shared*/, Output>;

class CrossMethod : public ::testing::TestWithParam<CrossParam> {
 protected:
  Request<double> request(std::mt19937_64& rng) const {
    Request<double> r;
    r.output = std::get<2>(GetParam());
    if (r.output == Output::sum) {
      // Non-trivial weights of both signs.
      std::uniform_real_distribution<double> u(-2, 2);
      r.weights.resize(kBatch);
      for (Index b = 0; b < kBatch; ++b) r.weights(b) = u(rng);
    }
    return r;
  }
};

TEST_P(CrossMethod, EveryPairAgreesWithinConditioningBound) {
  const auto [p, shared, output] = GetParam();
  const auto methods = available_methods();
  if (methods.size() < 6)
    std::cout << "note: autodiff_reverse is unavailable in this build; comparing " << methods.size()
              << " methods\n";
  std::mt19937_64 rng(20240601 + static_cast<unsigned>(p) * 10 + shared);
  for (Index d : kDims) {
    for (double kappa : {1.0, 10.0, 1000.0}) {
      const RandomBatch rb = random_batch(p, d, kBatch, kappa, shared, rng);
      const Request<double> req = request(rng);
      const Bounds bounds = error_bounds(rb, req, unit_roundoff<double>());
      std::vector<Result<double>> results;
      for (const Method* m : methods) results.push_back(m->evaluate(rb.batch, req));
      for (size_t i = 0; i < methods.size(); ++i)
        for (size_t j = i + 1; j < methods.size(); ++j)
          EXPECT_TRUE(results_agree(results[i], results[j], bounds))
              << methods[i]->name() << " vs " << methods[j]->name() << " on " << describe(rb.batch, req)
              << " κ=" << kappa;
    }
  }
}

TEST_P(CrossMethod, FloatWithinFloatBoundOfDouble) {
  const auto [p, shared, output] = GetParam();
  std::mt19937_64 rng(777 + static_cast<unsigned>(p) * 10 + shared);
  for (Index d : kDims) {
    for (double kappa : {1.0, 10.0}) {
      const RandomBatch rb = random_batch(p, d, kBatch, kappa, shared, rng);
      const Request<double> req = request(rng);
      const Bounds bounds = error_bounds(rb, req, static_cast<double>(unit_roundoff<float>()));
      const Batch<float> fb = to_float(rb.batch);
      for (const Method* m : available_methods()) {
        const Result<float> single = m->evaluate(fb, to_float(req));
        const Result<double> reference = registry().get("analytic").evaluate(rb.batch, req);
        EXPECT_TRUE(results_agree(single, reference, bounds))
            << m->name() << " in float on " << describe(rb.batch, req) << " κ=" << kappa;
      }
    }
  }
}

// autodiff_reverse sends at most 2²¹ parameter entries through one torch
// graph: at d = 64, parts of 512 samples. A batch of 1 027 (parts 512, 512
// and 3) with one invalid sample in the second part: every output where
// analytic puts it, the invalid sample named, NaN in grads and left out of
// the sum (L and Σ: the parts are taken the same way for every parameterization).
TEST(AutodiffReverseParts, AgreeWithAnalytic) {
  const Method& torch_method = registry().get("autodiff_reverse");
  if (!torch_method.capabilities().available) GTEST_SKIP() << "autodiff_reverse is unavailable in this build";
  constexpr Index d = 64, n = 1027, spoiled = 700;
  for (Parameterization p : {Parameterization::scale_tril, Parameterization::covariance_matrix})
    for (bool shared : {false, true})
      for (Output output : {Output::grads, Output::sum}) {
        std::mt19937_64 rng(4242 + static_cast<unsigned>(p) * 10 + shared);
        RandomBatch rb = random_batch(p, d, n, 10.0, shared, rng);
        Request<double> req;
        req.output = output;
        if (output == Output::sum) {
          std::uniform_real_distribution<double> u(-2, 2);
          req.weights.resize(n);
          for (Index b = 0; b < n; ++b) req.weights(b) = u(rng);
        }
        const Bounds bounds =
            error_bounds(rb, req, unit_roundoff<double>());  // of the whole batch: no smaller
        rb.batch.action(3, spoiled) = std::numeric_limits<double>::quiet_NaN();
        Result<double> torch = torch_method.evaluate(rb.batch, req);
        Result<double> analytic = registry().get("analytic").evaluate(rb.batch, req);
        const std::string what = describe(rb.batch, req);
        ASSERT_EQ(torch.errors.size(), 1u) << what;
        EXPECT_EQ(torch.errors[0].sample, spoiled) << what << ": " << torch.errors[0].message;
        if (output == Output::grads) {
          EXPECT_TRUE(std::isnan(torch.log_prob(spoiled)) &&
                      torch.grad_param_of(spoiled).array().isNaN().all())
              << what;
          for (Result<double>* r : {&torch, &analytic}) {
            r->log_prob(spoiled) = 0;
            r->grad_loc.col(spoiled).setZero();
            r->grad_action.col(spoiled).setZero();
            r->grad_param_of(spoiled).setZero();
          }
        }
        torch.errors.clear();
        analytic.errors.clear();
        EXPECT_TRUE(results_agree(torch, analytic, bounds)) << what;
      }
}

std::string param_name(const ::testing::TestParamInfo<CrossParam>& info) {
  const auto [p, shared, output] = info.param;
  return std::string(name(p)) + (shared ? "_shared_" : "_per_sample_") + name(output);
}

INSTANTIATE_TEST_SUITE_P(AllParameterizations, CrossMethod,
                         ::testing::Combine(::testing::ValuesIn(kAllParameterizations), ::testing::Bool(),
                                            ::testing::Values(Output::grads, Output::sum)),
                         param_name);

}  // namespace
}  // namespace scorebench::testing

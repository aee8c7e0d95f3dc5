// Every method against every other on random SPD cases of every
// parameterization, d ∈ {1, 2, 3, 5, 8, 16}, per-sample and shared
// parameters, per-sample gradients and weighted sums, to the bound
// c·d·κ(Σ)·u·S of test_support.hpp; and every method in float against its
// own double result to the same bound with u = 2⁻²⁴.

#include <gtest/gtest.h>

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

// kernels::sum_log (kernels/log_prob.hpp): Σ log xᵢ as the logarithm of a
// running product that is kept within range by moving powers of two into an
// integer exponent. Every sequence below overflows or underflows a plain
// product; the pairs do so only if a factor outside the range is multiplied
// into a running product still inside it (1e70 · 1e300 in double) before it
// is scaled.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "scorebench/kernels/log_prob.hpp"

namespace scorebench {
namespace {

// sum_log of x, read with a stride (NaN between the entries it must skip),
// against Σ log xᵢ term by term in long double.
template <typename T>
void expect_sum_of_logs(const std::vector<T>& x, double rel) {
  long double expect = 0;
  for (T v : x) expect += std::log(static_cast<long double>(v));
  const double tol = rel * std::abs(static_cast<double>(expect));
  EXPECT_NEAR(kernels::sum_log(x.data(), Index(x.size()), 1), static_cast<double>(expect), tol);
  const Index step = 3;
  std::vector<T> strided(x.size() * size_t(step), std::numeric_limits<T>::quiet_NaN());
  for (size_t i = 0; i < x.size(); ++i) strided[i * size_t(step)] = x[i];
  EXPECT_NEAR(kernels::sum_log(strided.data(), Index(x.size()), step), static_cast<double>(expect), tol);
}

TEST(SumLog, EqualsTheSumOfLogsWithoutOverflowOrUnderflow) {
  for (const std::vector<double>& x : std::vector<std::vector<double>>{
           {1e300, 3e-300, 7e250, 2.5, 1e-310, 4e307, 0.5},
           {1e70, 1e300},                      // 1e370
           {1e-70, 1e-300},                    // 1e-370
           {1e70, 1e300, 1e-70, 1e-300, 3.0},  // up and down again
           {std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
            std::numeric_limits<double>::denorm_min()}}) {
    SCOPED_TRACE(::testing::PrintToString(x));
    expect_sum_of_logs(x, 1e-12);
  }
  for (const std::vector<float>& x :
       std::vector<std::vector<float>>{{1e30f, 3e-30f, 7e25f, 2.5f, 1e-40f, 3e38f},
                                       {1e9f, 1e30f},    // 1e39
                                       {1e-9f, 1e-38f},  // 1e-47
                                       {std::numeric_limits<float>::max(), std::numeric_limits<float>::max(),
                                        std::numeric_limits<float>::denorm_min()}}) {
    SCOPED_TRACE(::testing::PrintToString(x));
    expect_sum_of_logs(x, 1e-5);
  }
}

}  // namespace
}  // namespace scorebench

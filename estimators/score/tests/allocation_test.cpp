// The latency path allocates nothing: a policy that scores one state at a
// time calls the analytic scale_tril kernel with B = 1 in a loop, keeping one
// result buffer, and after the first call (which sizes that buffer and the
// thread's workspace) no call may reach the heap. Counted by replacing the
// global operator new in this test binary only.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "scorebench/registry.hpp"
#include "test_support.hpp"

namespace {
std::atomic<long> allocations{0};
}

void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace scorebench::testing {
namespace {

template <typename T>
long allocations_of_a_repeated_call(Index d, Output output) {
  std::mt19937_64 rng(static_cast<unsigned>(d));
  const RandomBatch rb = random_batch(Parameterization::scale_tril, d, 1, 10, false, rng);
  Batch<T> batch;
  batch.parameterization = Parameterization::scale_tril;
  batch.loc = rb.batch.loc.cast<T>();
  batch.action = rb.batch.action.cast<T>();
  batch.param = rb.batch.param.cast<T>();
  Request<T> request;
  request.output = output;
  request.weights = Vec<T>::Constant(1, T(-0.75));
  const Method& analytic = registry().get("analytic");
  Result<T> result;
  analytic.evaluate_into(batch, request, result);
  analytic.evaluate_into(batch, request, result);
  EXPECT_TRUE(result.ok());
  const long before = allocations.load();
  analytic.evaluate_into(batch, request, result);
  const long count = allocations.load() - before;
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(result.grad_param.allFinite());
  return count;
}

TEST(Latency, OneSampleScaleTrilAllocatesNothingAfterTheFirstCall) {
  // The counter sees allocations at all (a broken replacement would pass anything).
  const long before = allocations.load();
  {
    [[maybe_unused]] volatile auto* p = new Vec<double>(64);
    delete p;
  }
  ASSERT_GT(allocations.load(), before);
  // d ≤ 8 and 16: the fixed-size kernels; 5 and 12 between and beyond them.
  for (Index d : {1, 2, 5, 8, 12, 16})
    for (Output o : {Output::grads, Output::sum}) {
      EXPECT_EQ(allocations_of_a_repeated_call<double>(d, o), 0) << "f64 d=" << d << " " << name(o);
      EXPECT_EQ(allocations_of_a_repeated_call<float>(d, o), 0) << "f32 d=" << d << " " << name(o);
    }
}

}  // namespace
}  // namespace scorebench::testing

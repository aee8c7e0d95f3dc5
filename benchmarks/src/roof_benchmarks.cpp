// In-run machine roofs, so that every figure can be given as a ratio to the
// machine measured in the same run (DESIGN §5):
//
//   roof/gemm/n:<n>       C = A B with Eigen, n × n doubles, single thread;
//                         flops = 2n³, bytes = 3·8n² (A, B read, C written).
//   roof/triad/bytes:<n>  a = b + s·c over three double arrays of n/24 entries
//                         each (STREAM triad); bytes = n per sweep (two reads,
//                         one write; write-allocate not counted), flops = 2n/24.
//   roof/triad/bytes:<n>/threads:2   the same sweep split in two halves on the
//                         kernels' thread pool: the bandwidth that bounds a
//                         memory-bound row on two threads.
//
// samples_per_second counts products or sweeps.

#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <string>

#include "harness.hpp"
#include "scorebench/kernels/thread_pool.hpp"

namespace scorebench::bench {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void gemm(benchmark::State& state, long n) {
  const Eigen::MatrixXd a = Eigen::MatrixXd::Random(n, n), b = Eigen::MatrixXd::Random(n, n);
  Eigen::MatrixXd c(n, n);
  const auto start = Clock::now();
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  const double seconds = since(start);
  // One entry of C checked against its dot product.
  const double expect = a.row(n / 2).dot(b.col(n / 3));
  if (std::abs(c(n / 2, n / 3) - expect) > 1e-12 * static_cast<double>(n) * (1 + std::abs(expect))) {
    state.SkipWithError("gemm result is wrong");
    return;
  }
  const double x = static_cast<double>(n);
  set_rate_counters(state, seconds, 1, 2 * x * x * x, 3 * 8 * x * x);
  state.SetLabel("roof=gemm n=" + std::to_string(n));
}

void triad(benchmark::State& state, long bytes, int threads) {
  const Eigen::Index n = bytes / 24;
  Eigen::ArrayXd a(n), b(n), c(n);
  // Each part first touched by the thread that sweeps it.
  const Eigen::Index part = (n + threads - 1) / threads;
  const auto parts = [&](auto&& f) {
    parallel_for(threads, threads, [&](Eigen::Index t) {
      const Eigen::Index i0 = t * part, m = std::min(n, i0 + part) - i0;
      if (m > 0) f(i0, m);
    });
  };
  parts([&](Eigen::Index i0, Eigen::Index m) {
    a.segment(i0, m).setZero();
    b.segment(i0, m).setConstant(1.0);
    c.segment(i0, m).setConstant(2.0);
  });
  const double s = 3;
  const auto start = Clock::now();
  for (auto _ : state) {
    if (threads == 1)
      a = b + s * c;
    else
      parts([&](Eigen::Index i0, Eigen::Index m) {
        a.segment(i0, m) = b.segment(i0, m) + s * c.segment(i0, m);
      });
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  const double seconds = since(start);
  if (a(0) != 7.0 || a(n - 1) != 7.0) {
    state.SkipWithError("triad result is wrong");
    return;
  }
  set_rate_counters(state, seconds, 1, 2.0 * static_cast<double>(n), 24.0 * static_cast<double>(n));
  state.SetLabel("roof=triad bytes=" + std::to_string(bytes) + " threads=" + std::to_string(threads));
}

}  // namespace

void register_roof_benchmarks(const std::string& set) {
  const std::vector<long> n =
      set == "full" ? std::vector<long>{64, 128, 256, 512} : std::vector<long>{64, 256};
  for (long k : n)
    benchmark::RegisterBenchmark(("roof/gemm/n:" + std::to_string(k)).c_str(), gemm, k)
        ->Unit(benchmark::kMicrosecond);
  const std::vector<long> bytes = set == "full" ? std::vector<long>{1L << 20, 1L << 24, 1L << 28, 1L << 30}
                                                : std::vector<long>{1L << 20, 1L << 28};
  for (long k : bytes)
    benchmark::RegisterBenchmark(("roof/triad/bytes:" + std::to_string(k)).c_str(), triad, k, 1)
        ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark(("roof/triad/bytes:" + std::to_string(1L << 28) + "/threads:2").c_str(), triad,
                               1L << 28, 2)
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace scorebench::bench

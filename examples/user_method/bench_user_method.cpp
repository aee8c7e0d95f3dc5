// bench_user_method: Google Benchmark rows of `user_llt`, named as DESIGN §5
// names the score benchmarks, with the method's own name:
//
//   score/user_llt/<parameterization>/<per_sample|shared>/<grads|sum>/<f64|f32>/d:<d>/batch:<B>
//
// (README.md of this folder: why `user_llt` and not `external.user_llt`).
// The grid, a small version of the quick set of scorebench_benchmarks: every
// parameterization per-sample with per-sample gradients in double at d 4,
// 16, 64 and B 256; every sharing and output at d 8, B 16; float at d 8,
// B 16. The data are drawn as scorebench's benchmarks draw theirs: L lower
// with diagonal 1 + U(0,1) and off-diagonal N(0,1)/(2√d); μ, ε ~ N(0,1);
// a = μ + Lε; the parameter is L, Σ = L Lᵀ, Λ = Σ⁻¹ or σ = diag(L);
// weights U(½, 3/2). Counter items_per_second: samples per second.
//
// Every Google Benchmark flag works (--benchmark_filter, --benchmark_out, ...).

#include <benchmark/benchmark.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "scorebench/batch.hpp"
#include "scorebench/benchmark_name.hpp"
#include "scorebench/result.hpp"
#include "user_llt.hpp"

namespace {

using scorebench::Batch;
using scorebench::Index;
using scorebench::Mat;
using scorebench::Output;
using scorebench::Parameterization;
using scorebench::Request;
using scorebench::Result;

struct Row {
  Parameterization p;
  bool shared, sum, f32;
  Index d, batch;
};

std::string row_name(const std::string& method, const Row& r) {
  return scorebench::score_benchmark_name(scorebench::score_case(
      method, r.p, r.shared, r.sum ? scorebench::Output::sum : scorebench::Output::grads, r.f32, r.d,
      r.batch));
}

// One block of the row's parameterization from L.
Mat<double> param_block(Parameterization p, const Mat<double>& l) {
  const Mat<double> sigma = l * l.transpose();
  switch (p) {
    case Parameterization::scale_tril: return l;
    case Parameterization::covariance_matrix: return sigma;
    case Parameterization::precision_matrix: {
      Mat<double> lambda = sigma.llt().solve(Mat<double>::Identity(l.rows(), l.rows()));
      return (lambda + lambda.transpose()) / 2;  // exactly symmetric
    }
    case Parameterization::scale_diag: return l.diagonal();
  }
  return l;
}

template <typename T>
void make_data(const Row& r, Batch<T>& batch, Request<T>& request) {
  std::mt19937_64 rng(0x5eedu + static_cast<std::uint64_t>(r.d * 1000 + r.batch));
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  const Index d = r.d, n = r.batch, params = r.shared ? 1 : n;
  const Index cols = scorebench::is_matrix(r.p) ? d : 1;
  Mat<double> loc(d, n), action(d, n), param(d, cols * params);
  Mat<double> l = Mat<double>::Zero(d, d);
  for (Index k = 0; k < params; ++k) {
    for (Index j = 0; j < d; ++j) {
      l(j, j) = 1 + uniform(rng);
      for (Index i = j + 1; i < d; ++i) l(i, j) = normal(rng) / (2 * std::sqrt(static_cast<double>(d)));
    }
    param.middleCols(k * cols, cols) = param_block(r.p, l);
    for (Index b = k; b < (r.shared ? n : k + 1); ++b) {
      for (Index i = 0; i < d; ++i) loc(i, b) = normal(rng);
      Eigen::VectorXd eps(d);
      for (Index i = 0; i < d; ++i) eps(i) = normal(rng);
      action.col(b) = loc.col(b) + l * eps;
    }
  }
  batch.parameterization = r.p;
  batch.loc = loc.cast<T>();
  batch.action = action.cast<T>();
  batch.param = param.cast<T>();
  request.output = r.sum ? Output::sum : Output::grads;
  if (r.sum) {
    request.weights.resize(n);
    for (Index b = 0; b < n; ++b) request.weights(b) = static_cast<T>(0.5 + uniform(rng));
  }
}

template <typename T>
void run(benchmark::State& state, const scorebench::Method& method, const Row& r) {
  Batch<T> batch;
  Request<T> request;
  make_data(r, batch, request);
  Result<T> result = method.evaluate(batch, request);
  if (!result.errors.empty()) {
    state.SkipWithError("the method failed a sample of the benchmark's batch");
    return;
  }
  for (auto _ : state) {
    method.evaluate_into(batch, request, result);
    benchmark::DoNotOptimize(result.grad_param.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * r.batch);
}

std::vector<Row> grid() {
  std::vector<Row> rows;
  for (Parameterization p : scorebench::kAllParameterizations) {
    for (Index d : {4, 16, 64}) rows.push_back({p, false, false, false, d, 256});
    for (bool shared : {false, true})
      for (bool sum : {false, true})
        if (shared || sum) rows.push_back({p, shared, sum, false, 8, 16});
    rows.push_back({p, false, false, true, 8, 16});
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  const std::shared_ptr<scorebench::Method> method = user::make_user_llt();
  for (const Row& r : grid()) {
    const std::string name = row_name(method->name(), r);
    if (r.f32)
      benchmark::RegisterBenchmark(name.c_str(),
                                   [method, r](benchmark::State& s) { run<float>(s, *method, r); });
    else
      benchmark::RegisterBenchmark(name.c_str(),
                                   [method, r](benchmark::State& s) { run<double>(s, *method, r); });
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

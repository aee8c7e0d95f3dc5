// mc/<estimator>/<cost>/d:<d>/batch:<B>
//
// One Monte Carlo gradient estimate of ∇ E_{a∼N(μ, L Lᵀ)}[f(a)] per
// iteration: B samples in one batch, the score from `analytic`, the mean only
// (no variance statistics), one thread. μ = 0.1·(1, …, 1) and L as in the
// score fixtures. After the loop, one estimate with statistics over
// max(B, 4096) samples must agree with the exact gradient: every coordinate
// within 6 standard errors (a fixed seed, so the check is deterministic).
//
// Models, per sample: score-function estimators 3d² + 10d flops (the batch
// sum of the analytic score with a shared L, plus f), pathwise 2d² + 10d
// (L ε, tril(∇f εᵀ) accumulated, ∇f); bytes 8·(2d) per sample (noise in,
// action formed) plus the parameter 8·d² once.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "harness.hpp"

#ifdef SCOREBENCH_HAVE_MC
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>

#include "scorebench/mc/estimator.hpp"
#endif

namespace scorebench::bench {

#ifdef SCOREBENCH_HAVE_MC
namespace {

mc::Problem make_problem(const std::string& cost, long d) {
  mc::Problem p;
  p.cost = mc::parse_cost(cost);
  p.loc = Vec<double>::Constant(d, 0.1);
  p.parameterization = Parameterization::scale_tril;
  // Boost.Random: the same problem with any standard library.
  boost::random::mt19937_64 rng(static_cast<std::uint64_t>(d));
  boost::random::normal_distribution<double> normal;
  p.scale = Mat<double>::Zero(d, d);
  for (Index j = 0; j < d; ++j) {
    p.scale(j, j) = 1 + 0.5 * std::abs(normal(rng)) / (1 + static_cast<double>(j));
    for (Index i = j + 1; i < d; ++i) p.scale(i, j) = 0.5 * normal(rng) / std::sqrt(static_cast<double>(d));
  }
  return p;
}

void run_mc(benchmark::State& state, mc::Estimator e, const std::string& cost, long d, long batch) {
  const mc::Problem problem = make_problem(cost, d);
  mc::EstimateOptions o;
  o.estimator = e;
  o.samples = static_cast<std::uint64_t>(batch);
  o.batch_size = batch;
  o.statistics = false;
  double seconds = 0;
  try {
    const auto start = std::chrono::steady_clock::now();
    for (auto _ : state) {
      mc::Estimate est = mc::estimate(problem, o);
      benchmark::DoNotOptimize(est.mean.data());
      ++o.seed;
    }
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    o.samples = static_cast<std::uint64_t>(std::max<long>(batch, 4096));
    o.batch_size = std::min<long>(batch, 4096);
    o.statistics = true;
    o.seed = 12345;
    const mc::Estimate check = mc::estimate(problem, o);
    const double worst = check.z.cwiseAbs().maxCoeff();
    if (!(worst <= 6)) {
      std::ostringstream s;
      s << "estimate disagrees with the exact gradient: max |z| = " << worst << " > 6";
      state.SkipWithError(s.str().c_str());
      return;
    }
  } catch (const std::exception& ex) {
    state.SkipWithError((std::string("threw: ") + ex.what()).c_str());
    return;
  }
  const double x = static_cast<double>(d), b = static_cast<double>(batch);
  const double flops = b * ((mc::is_score_function(e) ? 3 : 2) * x * x + 10 * x);
  const double bytes = 8 * (x * x + 2 * x * b);
  set_rate_counters(state, seconds, b, flops, bytes);
  state.counters["d"] = x;
  state.counters["batch"] = b;
  state.SetLabel("estimator=" + std::string(mc::name(e)) + " cost=" + cost +
                 " method=analytic parameterization=scale_tril threads=1");
}

}  // namespace

bool register_mc_benchmarks(const std::string& set, ShardRows& shard) {
  const bool full = set == "full";
  const std::vector<long> dims = full ? std::vector<long>{1, 8, 32, 128} : std::vector<long>{8};
  const std::vector<long> batches = full ? std::vector<long>{256, 4096} : std::vector<long>{256};
  // exp(−k‖x‖²) with k = 1/d: per coordinate E f²/(E f)² = (1 + 2k)/√(1 + 4k),
  // which for k = 1 is 1.8^(d/2) over d coordinates (10⁶ at d = 32, 10¹⁶ at
  // d = 128). Then the mean of 4096 samples misses the events that carry the
  // expectation, its standard error is underestimated, and the check fails a
  // correct estimator; with k = 1/d the ratio stays near e^(2/d).
  const auto costs = [](long d) {
    std::ostringstream k;
    k << 1.0 / static_cast<double>(d);
    return std::vector<std::string>{"square:1", "exp_neg_square:" + k.str(), "cos:1"};
  };
  for (mc::Estimator e : mc::correct_estimators())
    for (long d : dims)
      for (const auto& cost : costs(d))
        for (long b : batches) {
          std::ostringstream name;
          name << "mc/" << mc::name(e) << "/" << cost << "/d:" << d << "/batch:" << b;
          if (!shard.takes(name.str())) continue;
          benchmark::RegisterBenchmark(name.str().c_str(), run_mc, e, cost, d, b)
              ->Unit(benchmark::kMicrosecond);
        }
  return true;
}
#else
bool register_mc_benchmarks(const std::string&, ShardRows&) { return false; }
#endif

}  // namespace scorebench::bench

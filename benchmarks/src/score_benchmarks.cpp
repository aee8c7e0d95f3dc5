// score/<method>/<parameterization>/<per_sample|shared>/<grads|sum>/<f64|f32>/d:<d>/batch:<B>[/threads:<n>]
//
// One call of Method::evaluate per iteration on a fixed batch (fixture.hpp),
// timed in wall-clock time (rates per wall-clock second); after the loop the last result is checked
// against the analytic reference and a mismatch is reported with
// SkipWithError instead of a time.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

#include "fixture.hpp"
#include "harness.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::bench {
namespace {

const long kDims[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
const long kBatches[] = {1, 16, 256, 4096};

std::string label(const Config& c) {
  std::ostringstream s;
  s << "method=" << c.method << " parameterization=" << name(c.parameterization)
    << " sharing=" << (c.sharing == Sharing::shared ? "shared" : "per_sample")
    << " output=" << (c.sum ? "sum" : "grads") << " precision=" << (c.f32 ? "f32" : "f64")
    << " threads=" << c.threads;
  return s.str();
}

template <typename T>
void run_score(benchmark::State& state, const Config& c) {
  const Fixture<T>& fx = fixture<T>(c);
  const Method& method = registry().get(c.method);
  Request<T> request = fx.request;
  request.threads = c.threads;
  set_library_threads(c.threads);
  Result<T> last;
  // Rows time the steady state of a caller that keeps one result buffer: an
  // untimed first call pages the buffer in (on this VM first-touch page
  // faults cost more than the d = 64 kernel itself).
  try {
    method.evaluate_into(fx.batch, request, last);
  } catch (const std::exception& e) {
    state.SkipWithError((std::string("threw: ") + e.what()).c_str());
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    for (auto _ : state) {
      method.evaluate_into(fx.batch, request, last);  // the caller keeps one result buffer
      benchmark::DoNotOptimize(last.grad_param.data());
      benchmark::ClobberMemory();
    }
  } catch (const std::exception& e) {
    state.SkipWithError((std::string("threw: ") + e.what()).c_str());
    return;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (auto failure = check_against_reference(fx, last)) {
    state.SkipWithError(failure->c_str());
    return;
  }
  set_rate_counters(state, seconds, static_cast<double>(c.batch), model_flops(c), model_bytes(c));
  state.counters["d"] = static_cast<double>(c.d);
  state.counters["batch"] = static_cast<double>(c.batch);
  state.SetLabel(label(c));
}

std::vector<std::string> method_names() {
  std::vector<std::string> out;
  for (const Method* m : registry().methods())
    if (m->capabilities().available) out.push_back(m->name());
  return out;
}

void add(std::vector<Config>& out, const std::vector<std::string>& methods,
         const std::vector<Parameterization>& params, const std::vector<Sharing>& sharings,
         const std::vector<bool>& sums, const std::vector<bool>& f32s, const std::vector<long>& dims,
         const std::vector<long>& batches, const std::vector<int>& threads) {
  for (const auto& m : methods)
    for (auto p : params)
      for (auto s : sharings)
        for (bool sum : sums)
          for (bool f32 : f32s)
            for (long d : dims)
              for (long b : batches)
                for (int t : threads) out.push_back({m, p, s, sum, f32, d, b, t});
}

}  // namespace

std::vector<Config> score_grid(const std::string& set) {
  using P = Parameterization;
  const std::vector<P> all_p(kAllParameterizations.begin(), kAllParameterizations.end());
  const std::vector<Sharing> both{Sharing::per_sample, Sharing::shared};
  const std::vector<std::string> all_m = method_names();
  const std::vector<long> all_d(std::begin(kDims), std::end(kDims)),
      all_b(std::begin(kBatches), std::end(kBatches));
  std::vector<Config> out;
  if (set == "full") {
    add(out, all_m, all_p, both, {false, true}, {false, true}, all_d, all_b, {1});
    // Threads over the batch: every method at B = 4096.
    add(out, all_m, all_p, both, {false, true}, {false}, {4, 8, 16, 32, 64, 128}, {4096}, {2});
  } else {
    // Cost growth in d for every method and parameterization.
    add(out, all_m, all_p, {Sharing::per_sample}, {false}, {false}, {4, 16, 64}, {256}, {1});
    // Every combination once, small.
    add(out, all_m, all_p, both, {false, true}, {false}, {8}, {16}, {1});
    add(out, all_m, all_p, both, {false}, {true}, {8}, {16}, {1});
  }
  // The rows of the performance targets (issue 5), in both sets; d = 128
  // only in the full set: its batch and result alone are 1 GiB (L and ∇L,
  // 128² × 4096 doubles each), the quick set's whole memory budget.
  add(out, {"analytic", "autodiff_reverse"}, {P::scale_tril}, {Sharing::per_sample}, {false}, {false},
      set == "full" ? std::vector<long>{2, 8, 32, 64, 128} : std::vector<long>{2, 8, 32, 64}, {4096}, {1});
  add(out, {"analytic"}, {P::scale_tril}, {Sharing::shared}, {true}, {false}, {64, 128, 256}, {4096}, {1});
  add(out, {"analytic"}, {P::covariance_matrix}, {Sharing::per_sample}, {false}, {false}, {64}, {1024}, {1});
  add(out, {"analytic"}, {P::scale_tril}, {Sharing::per_sample, Sharing::shared}, {false, true}, {false},
      {8, 32, 64}, {4096}, {1, 2});
  // Latency (issue 17): one sample and small batches, tracked against the
  // per-sample time at B = 4096; and the memory-bound per-sample rows in f32.
  add(out, {"analytic"}, {P::scale_tril}, {Sharing::per_sample}, {false}, {false, true}, {8},
      {1, 4, 16, 64, 4096}, {1});
  add(out, {"analytic"}, {P::scale_tril}, {Sharing::per_sample}, {false}, {true}, {32, 64}, {4096}, {1});
  // Keep the first occurrence of each name.
  std::set<std::string> seen;
  std::vector<Config> unique;
  for (const Config& c : out)
    if (seen.insert(benchmark_name(c)).second) unique.push_back(c);
  return unique;
}

void register_score_benchmarks(const std::string& set, std::vector<std::string>& capped, ShardRows& shard) {
  for (const Config& c : score_grid(set)) {
    const std::string why = cap_reason(c);
    if (!why.empty()) {
      capped.push_back(benchmark_name(c) + "  (" + why + ")");
      continue;
    }
    if (!shard.takes(benchmark_name(c))) continue;
    auto* b = c.f32 ? benchmark::RegisterBenchmark(benchmark_name(c).c_str(), run_score<float>, c)
                    : benchmark::RegisterBenchmark(benchmark_name(c).c_str(), run_score<double>, c);
    b->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace scorebench::bench

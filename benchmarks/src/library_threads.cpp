#include "harness.hpp"

#ifdef SCOREBENCH_HAVE_TORCH
#include <ATen/Parallel.h>
#include <torch/version.h>
#endif

namespace scorebench::bench {

void set_rate_counters(benchmark::State& state, double seconds, double samples, double flops, double bytes) {
  const double calls = static_cast<double>(state.iterations());
  const double per_second = seconds > 0 ? calls / seconds : 0;
  state.counters["samples_per_second"] = samples * per_second;
  state.counters["flops_per_second"] = flops * per_second;
  state.counters["bytes_per_second"] = bytes * per_second;
  state.counters["model_flops"] = flops;
  state.counters["model_bytes"] = bytes;
}

void set_library_threads(int threads) {
#ifdef SCOREBENCH_HAVE_TORCH
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
#else
  (void)threads;
#endif
}

std::string torch_version() {
#ifdef SCOREBENCH_HAVE_TORCH
  return TORCH_VERSION;
#else
  return "absent (autodiff_reverse unavailable)";
#endif
}

}  // namespace scorebench::bench

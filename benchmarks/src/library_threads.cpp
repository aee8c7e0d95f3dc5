#include <sys/resource.h>

#include "harness.hpp"
#include "scorebench/torch_module.hpp"

namespace scorebench::bench {

void set_rate_counters(benchmark::State& state, double seconds, double samples, double flops, double bytes) {
  const double calls = static_cast<double>(state.iterations());
  const double per_second = seconds > 0 ? calls / seconds : 0;
  state.counters["samples_per_second"] = samples * per_second;
  state.counters["flops_per_second"] = flops * per_second;
  state.counters["bytes_per_second"] = bytes * per_second;
  state.counters["model_flops"] = flops;
  state.counters["model_bytes"] = bytes;
  // The process's peak resident memory so far (MiB): the row that raises it
  // is the one whose fixture or buffers need it.
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// libtorch's intra-op threads, applied when its module is (or gets) loaded.
void set_library_threads(int threads) { set_torch_threads(threads); }

std::string torch_version() { return scorebench::torch_version(); }

}  // namespace scorebench::bench

// The Google Benchmark JSON reader (reports/src/benchmark_run.cpp), as
// `scorebench compare` and `scorebench report --bench` use it, with the
// medians every consumer takes.

#include "fuzz_harness.hpp"
#include "scorebench/reports/benchmark_run.hpp"
#include "scorebench/reports/json_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace scorebench;
  fuzz::expect_documented_errors_only([&] {
    const reports::BenchmarkRun run =
        reports::parse_benchmark_run(json_input::parse(fuzz::as_text(data, size), "run.json"), "run.json");
    for (const reports::BenchmarkEntry& e : run.benchmarks)
      for (const char* metric : {"real_time", "cpu_time", "instructions"}) reports::median_of(e, metric);
  });
  return 0;
}

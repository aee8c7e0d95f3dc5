// scorebench_benchmarks: the Google Benchmark harness (see ../README.md).
//
// Own flags, removed before Google Benchmark sees the rest:
//   --set=quick|full   which grid to register (default quick)
//   --list_capped      print the grid's left-out rows and why, then exit
//   --shard=I/N        only shard I of N of the score and Monte Carlo rows
//                      (also GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS); the roofs
//                      run in every shard; `scorebench merge` joins the shards
// Without --benchmark_min_time the harness uses 0.05 s (quick) or 0.1 s (full).

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <boost/version.hpp>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "harness.hpp"
#include "scorebench/heap.hpp"
#include "scorebench/isa.hpp"

int main(int argc, char** argv) {
  using namespace scorebench::bench;
  if (const auto error = scorebench::isa::run_best_variant(argv, "benchmarks/scorebench_benchmarks")) {
    std::cerr << "scorebench_benchmarks: " << *error << "\n";
    return 2;
  }
  std::string set = "quick";
  bool list_capped = false, has_min_time = false;
  std::optional<scorebench::Shard> shard;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--set=", 0) == 0) {
      set = a.substr(6);
      if (set != "quick" && set != "full") {
        std::cerr << "scorebench_benchmarks: --set must be quick or full, not '" << set << "'\n";
        return 2;
      }
      continue;
    }
    if (a == "--list_capped") {
      list_capped = true;
      continue;
    }
    if (a.rfind("--shard=", 0) == 0) {
      try {
        shard = scorebench::parse_shard(a.substr(8));
      } catch (const std::invalid_argument& e) {
        std::cerr << "scorebench_benchmarks: --shard: " << e.what() << "\n";
        return 2;
      }
      continue;
    }
    has_min_time |= a.rfind("--benchmark_min_time", 0) == 0;
    args.push_back(argv[i]);
  }
  std::string min_time = set == "full" ? "--benchmark_min_time=0.1" : "--benchmark_min_time=0.05";
  if (!has_min_time) args.push_back(min_time.data());

  // Results of hundreds of MB are allocated and freed every iteration:
  // iterations measure the kernels, not page faults.
  scorebench::keep_freed_memory();

  try {
    if (!shard) shard = scorebench::shard_from_environment();
  } catch (const std::invalid_argument& e) {
    std::cerr << "scorebench_benchmarks: " << e.what() << "\n";
    return 2;
  }
  std::vector<std::string> capped;
  ShardRows rows(shard.value_or(scorebench::Shard{}));
  register_roof_benchmarks(set);
  register_score_benchmarks(set, capped, rows);
  const bool have_mc = register_mc_benchmarks(set, rows);
  if (list_capped) {
    for (const auto& c : capped) std::cout << c << "\n";
    std::cout << capped.size() << " rows of the " << set << " set left out\n";
    return 0;
  }
  // scorebench's own build (Google Benchmark's library_build_type is that of
  // the Debian libbenchmark package): compare refuses runs that differ here.
  benchmark::AddCustomContext("scorebench_build_type", SCOREBENCH_BUILD_TYPE);
  benchmark::AddCustomContext("scorebench_isa", scorebench::isa::level());  // the variant running (isa.hpp)
  // Library versions: compare refuses runs that differ in any of them.
  benchmark::AddCustomContext("compiler", "g++ " __VERSION__);
  benchmark::AddCustomContext("eigen_version", std::to_string(EIGEN_WORLD_VERSION) + "." +
                                                   std::to_string(EIGEN_MAJOR_VERSION) + "." +
                                                   std::to_string(EIGEN_MINOR_VERSION));
  benchmark::AddCustomContext("boost_version", BOOST_LIB_VERSION);
  benchmark::AddCustomContext("torch_version", scorebench::bench::torch_version());
  benchmark::AddCustomContext("scorebench_set", set);
  if (rows.shard().count > 1) {
    // Which rows this shard holds, by their number in the unsharded run.
    std::string numbers;
    for (const auto& [name, i] : rows.rows())
      numbers += (numbers.empty() ? "" : " ") + std::to_string(i) + "=" + name;
    benchmark::AddCustomContext("scorebench_shard",
                                rows.shard().text() + " of " + std::to_string(rows.counted()));
    benchmark::AddCustomContext("scorebench_shard_rows", numbers);
  }
  benchmark::AddCustomContext("scorebench_capped_rows", std::to_string(capped.size()));
  benchmark::AddCustomContext("scorebench_mc", have_mc ? "yes" : "no (built without scorebench::mc)");
  benchmark::AddCustomContext("scorebench_check_tolerance",
                              "1024*d*u per output block (u = 2^-53 f64, 2^-24 f32)");
  benchmark::AddCustomContext(
      "scorebench_label_format",
      "space-separated key=value: method parameterization sharing output precision threads");

  int n = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cerr << "scorebench_benchmarks: peak resident memory " << usage.ru_maxrss / 1024 << " MiB\n";
  return 0;
}

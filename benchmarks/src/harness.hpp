#pragma once
// Registration of the benchmark sets (quick, full) and the settings the
// harness makes for the libraries it measures.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "models.hpp"

namespace scorebench::bench {

// The score configurations of a set, before caps.
std::vector<Config> score_grid(const std::string& set);

// Each appends the benchmarks it leaves out, with the reason, to `capped`.
void register_score_benchmarks(const std::string& set, std::vector<std::string>& capped);
void register_roof_benchmarks(const std::string& set);
// Registers nothing (and returns false) when the estimators were built without scorebench::mc.
bool register_mc_benchmarks(const std::string& set);

// The counters of every row, as rates per wall-clock second of the timed
// loop (`seconds` for `iterations` calls), plus the per-call models. Google
// Benchmark's own rate counters divide by the main thread's CPU time, which
// leaves out the worker threads; UseRealTime() would append "/real_time" to
// the names.
void set_rate_counters(benchmark::State& state, double seconds, double samples, double flops, double bytes);

// Intra-op threads of libtorch (autodiff_reverse): 1 on single-thread rows.
void set_library_threads(int threads);

// libtorch's version, or why it is absent (recorded in the run's context).
std::string torch_version();

}  // namespace scorebench::bench

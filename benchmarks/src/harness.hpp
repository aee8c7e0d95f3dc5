#pragma once
// Registration of the benchmark sets (quick, full) and the settings the
// harness makes for the libraries it measures.

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

#include "models.hpp"
#include "scorebench/shard.hpp"

namespace scorebench::bench {

// The rows of one shard (--shard=I/N): the score and Monte Carlo rows are
// numbered in registration order, capped rows left out, and shard I
// registers row i when i mod N = I; the roofs run in every shard, so that
// each shard's figures are ratios to the machine it ran on. `rows` keeps
// each registered row's number, for the run's context (scorebench merge
// puts the shards' rows back in this order).
class ShardRows {
 public:
  explicit ShardRows(Shard shard = {}) : shard_(shard) {}
  bool takes(const std::string& name) {
    const std::size_t i = next_++;
    if (!shard_.takes(i)) return false;
    rows_[name] = i;
    return true;
  }
  const Shard& shard() const { return shard_; }
  const std::map<std::string, std::size_t>& rows() const { return rows_; }
  std::size_t counted() const { return next_; }

 private:
  Shard shard_;
  std::size_t next_ = 0;
  std::map<std::string, std::size_t> rows_;
};

// The score configurations of a set, before caps.
std::vector<Config> score_grid(const std::string& set);

// Each appends the benchmarks it leaves out, with the reason, to `capped`.
void register_score_benchmarks(const std::string& set, std::vector<std::string>& capped, ShardRows& shard);
void register_roof_benchmarks(const std::string& set);
// Registers nothing (and returns false) when the estimators were built without scorebench::mc.
bool register_mc_benchmarks(const std::string& set, ShardRows& shard);

// The counters of every row, as rates per wall-clock second of the timed
// loop (`seconds` for `iterations` calls), plus the per-call models. Google
// Benchmark's own rate counters divide by the main thread's CPU time, which
// leaves out the worker threads; UseRealTime() would append "/real_time" to
// the names. Also records peak_rss_mib, the process's peak resident memory
// after the row.
void set_rate_counters(benchmark::State& state, double seconds, double samples, double flops, double bytes);

// Intra-op threads of libtorch (autodiff_reverse): 1 on single-thread rows.
void set_library_threads(int threads);

// libtorch's version, or why it is absent (recorded in the run's context).
std::string torch_version();

}  // namespace scorebench::bench

#pragma once
// Which dispatch branches of the fast kernels a run has taken: one counter
// per path (layout, op, lane width, tail, streaming, threads), incremented
// once per chunk that takes it (never per sample: the kernels' instruction
// counts do not move), and only while a coverage::Recording lives.
// `scorebench verify` records the counts of its sweep, lists them in its
// JSON, and `--require-coverage` fails a sweep that leaves a shipped path
// unexercised: a verdict is only as good as the cases behind it. A new
// kernel path is added here and hit where it is taken.
//
// Outside a recording a hit is one relaxed load of a flag no one writes: no
// locked add, which waits for the kernel's pending stores to drain (about
// 10 of the 90 ns of a one-sample call, f32 d = 8).

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>

#include "scorebench/kernels/simd.hpp"

namespace scorebench::coverage {

enum class Path : int {
  scale_tril_lanes_grads,         // per-sample L: a whole SIMD group in lanes, per-sample gradients
  scale_tril_lanes_column_load,   // ... L loaded by columns, the forward solve on the way (d ≥ 16)
  scale_tril_lanes_grad_columns,  // ... ∇L stored in blocks of G rows of a column (d a multiple of G)
  scale_tril_lanes_grad_flat,   // ... ∇L stored in blocks of G entries across columns, and a scattered tail
  scale_tril_lanes_sum,         // ... the weighted sum
  scale_tril_lanes_stream,      // ... ∇L streamed out (beyond 16 MiB)
  scale_tril_lanes_doubtful,    // ... a group with a doubtful lane, one sample at a time
  scale_tril_lanes_narrower,    // ... a group in a narrower packet (half the lanes or fewer) after the whole
                                // ones
  scale_tril_scalar_fixed_d,    // per-sample L one sample at a time, fixed-size kernel (d ≤ 8 or 16)
  scale_tril_scalar_dynamic_d,  // ... dynamic-size kernel (other d)
  scale_tril_scalar_tail,       // ... the samples after the last whole lane group of a chunk
  scale_tril_scalar_stream,     // ... ∇L formed in L2 and streamed out
  scale_tril_shared_samples,    // shared L, per-sample outputs by the fixed-size kernels
  spd_lanes_covariance,         // per-sample Σ: a whole group in lanes
  spd_lanes_precision,          // per-sample Λ: a whole group in lanes
  spd_lanes_sum,                // ... the weighted sum in lanes
  spd_lanes_stream,             // ... the gradient streamed out (beyond 16 MiB)
  spd_lanes_doubtful,           // ... a group with an invalid or indefinite lane, one at a time
  spd_lanes_narrower,           // ... a group in a narrower packet after the whole ones
  spd_scalar,                   // per-sample Σ or Λ one sample at a time (tails, doubtful groups)
  shared_columns_grads,         // shared parameter: the batch as matrix shapes, per-sample outputs
  shared_columns_sum,           // ... the weighted sum as one product per chunk
  shared_scale_tril_sum,        // ... tril(L⁻ᵀ S) − (Σc) diag(1/L) after the chunks
  shared_substitution_lanes,    // ... E = L⁻¹R with strips of 2 packets of samples in lanes
  shared_substitution_tail,     // ... the samples after the last whole strip, one at a time
  shared_substitution_blocks,   // ... d beyond one diagonal block: the product update below it
  driver_threads,               // the driver's chunks on more than one thread
  driver_one_sample,            // a batch of one sample by the kernel's checked per-sample path
  count
};

inline constexpr std::array<const char*, static_cast<size_t>(Path::count)> kPathNames = {
    "analytic/scale_tril/per_sample/lanes/grads",
    "analytic/scale_tril/per_sample/lanes/column_load",
    "analytic/scale_tril/per_sample/lanes/grads/column_blocks",
    "analytic/scale_tril/per_sample/lanes/grads/flat_blocks",
    "analytic/scale_tril/per_sample/lanes/sum",
    "analytic/scale_tril/per_sample/lanes/stream",
    "analytic/scale_tril/per_sample/lanes/doubtful_group",
    "analytic/scale_tril/per_sample/lanes/narrower_group",
    "analytic/scale_tril/per_sample/scalar/fixed_d",
    "analytic/scale_tril/per_sample/scalar/dynamic_d",
    "analytic/scale_tril/per_sample/scalar/lane_tail",
    "analytic/scale_tril/per_sample/scalar/stream",
    "analytic/scale_tril/shared/per_sample_outputs",
    "analytic/spd/per_sample/lanes/covariance_matrix",
    "analytic/spd/per_sample/lanes/precision_matrix",
    "analytic/spd/per_sample/lanes/sum",
    "analytic/spd/per_sample/lanes/stream",
    "analytic/spd/per_sample/lanes/doubtful_group",
    "analytic/spd/per_sample/lanes/narrower_group",
    "analytic/spd/per_sample/scalar",
    "analytic/shared/columns/grads",
    "analytic/shared/columns/sum",
    "analytic/shared/scale_tril/sum_solve",
    "analytic/shared/scale_tril/substitution/lanes",
    "analytic/shared/scale_tril/substitution/tail",
    "analytic/shared/scale_tril/substitution/blocks",
    "driver/threads",
    "driver/one_sample",
};

// Whether this build has the path: the narrower lane groups exist only where
// the target has a packet of T narrower than its widest one (with AVX2 or
// AVX-512; not with SSE2 alone, whose packets are its narrowest).
inline constexpr bool compiled(Path p) {
  constexpr bool narrower = simd::has_narrower_lanes<double> || simd::has_narrower_lanes<float>;
  return narrower || (p != Path::scale_tril_lanes_narrower && p != Path::spd_lanes_narrower);
}

inline std::array<std::atomic<std::uint64_t>, static_cast<size_t>(Path::count)>& counters() {
  static std::array<std::atomic<std::uint64_t>, static_cast<size_t>(Path::count)> c{};
  return c;
}

// How many Recordings are alive.
inline std::atomic<int>& recordings() {
  static std::atomic<int> n{0};
  return n;
}

// Counts hits from construction to destruction (and while any other
// Recording lives). Threads started after it see it.
class Recording {
 public:
  Recording() { recordings().fetch_add(1); }
  ~Recording() { recordings().fetch_sub(1); }
  Recording(const Recording&) = delete;
  Recording& operator=(const Recording&) = delete;
};

inline void hit(Path p) {
  if (recordings().load(std::memory_order_relaxed) > 0)
    counters()[static_cast<size_t>(p)].fetch_add(1, std::memory_order_relaxed);
}
inline void hit_if(bool taken, Path p) {
  if (taken) hit(p);
}

// Every path this build has, with its count so far.
inline std::map<std::string, std::uint64_t> snapshot() {
  std::map<std::string, std::uint64_t> out;
  for (size_t i = 0; i < kPathNames.size(); ++i)
    if (compiled(static_cast<Path>(i))) out[kPathNames[i]] = counters()[i].load();
  return out;
}

}  // namespace scorebench::coverage

#pragma once
// Non-temporal (streaming) stores for outputs much larger than the caches:
// the lines go to memory without first being read for ownership, so writing
// n bytes costs n bytes of traffic instead of 2n. Call store_fence() before
// another thread reads what was stored.

#include <algorithm>

#include "scorebench/eigen_types.hpp"
#include "scorebench/kernels/simd.hpp"

// Packets as template arguments lose an attribute GCC warns about
// (simd.hpp); nothing here depends on it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"

namespace scorebench::kernels {

// dst[0, n) = src[0, n), streamed when the target streams packets of T
// (simd::can_stream: AVX or AVX-512, dst aligned to the packet); a plain
// copy otherwise.
template <typename T>
void stream_copy(const T* src, Index n, T* dst) {
  if constexpr (simd::has_lanes<T>) {
    using P = simd::Packet<T>;
    if (simd::can_stream<P>(dst)) {
      constexpr Index G = simd::size<P>;
      const Index whole = n - n % G;
      for (Index k = 0; k < whole; k += G) simd::stream(dst + k, simd::loadu<P>(src + k));
      std::copy(src + whole, src + n, dst + whole);
      return;
    }
  }
  std::copy(src, src + n, dst);
}

inline void store_fence() { simd::store_fence(); }

}  // namespace scorebench::kernels

#pragma GCC diagnostic pop

#pragma once
// Non-temporal (streaming) stores for outputs much larger than the caches:
// the lines go to memory without first being read for ownership, so writing
// n bytes costs n bytes of traffic instead of 2n. Call store_fence() before
// another thread reads what was stored.

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "scorebench/eigen_types.hpp"

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace scorebench::kernels {

// dst[0, n) = src[0, n), streamed when T is float or double, AVX is on and
// dst is 32-byte aligned; a plain copy otherwise.
template <typename T>
void stream_copy(const T* src, Index n, T* dst) {
#if defined(__AVX__)
  constexpr Index per_store = Index(32 / sizeof(T));
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
    if (reinterpret_cast<std::uintptr_t>(dst) % 32 == 0) {
      const Index whole = n - n % per_store;
      for (Index k = 0; k < whole; k += per_store) {
        if constexpr (std::is_same_v<T, double>)
          _mm256_stream_pd(dst + k, _mm256_loadu_pd(src + k));
        else
          _mm256_stream_ps(dst + k, _mm256_loadu_ps(src + k));
      }
      std::copy(src + whole, src + n, dst + whole);
      return;
    }
  }
#endif
  std::copy(src, src + n, dst);
}

inline void store_fence() {
#if defined(__SSE2__)
  _mm_sfence();
#endif
}

}  // namespace scorebench::kernels

#pragma once
// The one SIMD vocabulary of the lane kernels (scale_tril_lanes.hpp,
// spd_lanes.hpp and the batch loops over them): a packet of G lanes of T and
// the operations those kernels use, nothing more. Every function takes the
// packet type P; simd::Packet<T> is the widest, Half<P> the next narrower.
//
// The backend is Eigen's packet primitives, which cover SSE, AVX, AVX-512,
// NEON and AltiVec with one interface. They are in Eigen::internal, an API
// Eigen does not promise to keep between releases, so this file is the only
// one that names it: a change of Eigen, or of backend, touches this file
// alone. The packet width is the widest the compile flags allow (4 doubles
// or 8 floats with -march=x86-64-v3).

#include <Eigen/Core>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "scorebench/eigen_types.hpp"

#if defined(__SSE2__)
#include <immintrin.h>
#endif

// Eigen's packet types carry a vector attribute that GCC drops (and warns
// about) when they are template arguments; Eigen silences the same warning
// in its own headers. Storage stays aligned through aligned_allocator.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"

namespace scorebench::simd {

namespace ei = Eigen::internal;

// The widest packet of T the compile flags allow.
template <typename T>
using Packet = typename ei::packet_traits<T>::type;

// A packet's scalar type and its lanes.
template <typename P>
using Scalar = typename ei::unpacket_traits<P>::type;
template <typename P>
inline constexpr int size = ei::unpacket_traits<P>::size;

// Lanes of the widest packet of T: G, 1 where T has no SIMD packet.
template <typename T>
inline constexpr int lanes = size<Packet<T>>;

template <typename T>
inline constexpr bool has_lanes = std::is_floating_point_v<T> && (lanes<T> > 1);

// The packet of half P's lanes (4 floats for 8 with AVX2, 8 for 16 with
// AVX-512), and whether the target has one of at least two lanes: a group
// of fewer samples than P's lanes then still runs side by side.
template <typename P>
using Half = typename ei::unpacket_traits<P>::half;
template <typename P>
inline constexpr bool has_half = size<P> >= 4 && 2 * size<Half<P>> == size<P>;
template <typename T>
inline constexpr bool has_narrower_lanes = has_half<Packet<T>>;

template <typename P>
using PacketVector = std::vector<P, Eigen::aligned_allocator<P>>;

// G packets of G lanes: a G×G block, block.packet[s] its row s.
template <typename P>
using Block = ei::PacketBlock<P, size<P>>;

// Every lane x.
template <typename P>
EIGEN_ALWAYS_INLINE P set1(Scalar<P> x) {
  return ei::pset1<P>(x);
}

// Lanes from memory: p[0 … G) (load: p aligned to the packet), or
// p[s·stride] for lane s (gather).
template <typename P>
EIGEN_ALWAYS_INLINE P load(const Scalar<P>* p) {
  return ei::pload<P>(p);
}
template <typename P>
EIGEN_ALWAYS_INLINE P loadu(const Scalar<P>* p) {
  return ei::ploadu<P>(p);
}
template <typename P>
EIGEN_ALWAYS_INLINE P gather(const Scalar<P>* p, Index stride) {
  return ei::pgather<Scalar<P>, P>(p, stride);
}

// Lanes to memory, the inverses of the loads.
template <typename P>
EIGEN_ALWAYS_INLINE void store(Scalar<P>* p, const P& v) {
  ei::pstore(p, v);
}
template <typename P>
EIGEN_ALWAYS_INLINE void storeu(Scalar<P>* p, const P& v) {
  ei::pstoreu(p, v);
}
template <typename P>
EIGEN_ALWAYS_INLINE void scatter(Scalar<P>* p, const P& v, Index stride) {
  ei::pscatter<Scalar<P>, P>(p, v, stride);
}

// Asks for the cache lines of p[0 … n) to be brought into L1 ahead of
// their loads; never faults, whatever p is.
template <typename T>
EIGEN_ALWAYS_INLINE void prefetch(const T* p, Index n) {
  constexpr Index per_line = 64 / Index(sizeof(T));
  for (Index k = 0; k < n; k += per_line) __builtin_prefetch(p + k, 0, 3);
}

// Whether the target has non-temporal stores of a whole packet P: AVX
// (32 bytes) or AVX-512 (64 bytes).
template <typename P>
inline constexpr bool streams =
#if defined(__AVX512F__)
    sizeof(P) == 64 ||
#endif
#if defined(__AVX__)
    sizeof(P) == 32 ||
#endif
    false;

// Whether stream() stores a packet P at p non-temporally: p aligned to it.
template <typename P>
EIGEN_ALWAYS_INLINE bool can_stream(const Scalar<P>* p) {
  return streams<P> && reinterpret_cast<std::uintptr_t>(p) % sizeof(P) == 0;
}

// p[0 … G) = v, non-temporally where can_stream<P>(p): for outputs much
// larger than the caches, whose lines then go to memory without first being
// read for ownership. Call store_fence() before another thread reads them.
template <typename P>
EIGEN_ALWAYS_INLINE void stream(Scalar<P>* p, const P& v) {
#if defined(__AVX512F__)
  if constexpr (sizeof(P) == 64) {
    if constexpr (std::is_same_v<Scalar<P>, double>)
      _mm512_stream_pd(p, v);
    else
      _mm512_stream_ps(p, v);
    return;
  }
#endif
#if defined(__AVX__)
  if constexpr (sizeof(P) == 32) {
    if constexpr (std::is_same_v<Scalar<P>, double>)
      _mm256_stream_pd(p, v);
    else
      _mm256_stream_ps(p, v);
    return;
  }
#endif
  ei::pstoreu(p, v);
}

inline void store_fence() {
#if defined(__SSE2__)
  _mm_sfence();
#endif
}

// Lane-wise arithmetic; madd(a, b, c) = a·b + c, fused where the target has
// an FMA.
template <typename P>
EIGEN_ALWAYS_INLINE P add(const P& a, const P& b) {
  return ei::padd(a, b);
}
template <typename P>
EIGEN_ALWAYS_INLINE P sub(const P& a, const P& b) {
  return ei::psub(a, b);
}
template <typename P>
EIGEN_ALWAYS_INLINE P mul(const P& a, const P& b) {
  return ei::pmul(a, b);
}
template <typename P>
EIGEN_ALWAYS_INLINE P div(const P& a, const P& b) {
  return ei::pdiv(a, b);
}
template <typename P>
EIGEN_ALWAYS_INLINE P madd(const P& a, const P& b, const P& c) {
  return ei::pmadd(a, b, c);
}
// a·b − c (the mutation script's wrong twin of madd, verification/mutation/)
template <typename P>
EIGEN_ALWAYS_INLINE P msub(const P& a, const P& b, const P& c) {
  return ei::psub(ei::pmul(a, b), c);
}
template <typename P>
EIGEN_ALWAYS_INLINE P neg(const P& a) {
  return ei::pnegate(a);
}
template <typename P>
EIGEN_ALWAYS_INLINE P abs(const P& a) {
  return ei::pabs(a);
}
template <typename P>
EIGEN_ALWAYS_INLINE P min(const P& a, const P& b) {
  return ei::pmin(a, b);
}
template <typename P>
EIGEN_ALWAYS_INLINE P max(const P& a, const P& b) {
  return ei::pmax(a, b);
}
template <typename P>
EIGEN_ALWAYS_INLINE P sqrt(const P& a) {
  return ei::psqrt(a);
}
// Eigen's vectorised logarithm: within a few ulp of std::log, lane by lane.
template <typename P>
EIGEN_ALWAYS_INLINE P log(const P& a) {
  return ei::plog(a);
}

// The sum of the lanes.
template <typename P>
EIGEN_ALWAYS_INLINE Scalar<P> reduce_add(const P& a) {
  return ei::predux(a);
}

// The block (a Block<P>) transposed in place: lane s of row r becomes lane r
// of row s.
template <typename B>
EIGEN_ALWAYS_INLINE void transpose(B& block) {
  ei::ptranspose(block);
}

}  // namespace scorebench::simd

#pragma GCC diagnostic pop

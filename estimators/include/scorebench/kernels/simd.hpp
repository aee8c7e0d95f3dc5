#pragma once
// The one SIMD vocabulary of the lane kernels (scale_tril_lanes.hpp,
// spd_lanes.hpp and the batch loops over them): a packet of G lanes of T and
// the operations those kernels use, nothing more.
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

template <typename T>
using Packet = typename ei::packet_traits<T>::type;

// Lanes per packet: G, 1 where T has no SIMD packet.
template <typename T>
inline constexpr int lanes = ei::unpacket_traits<Packet<T>>::size;

template <typename T>
inline constexpr bool has_lanes = std::is_floating_point_v<T> && (lanes<T> > 1);

template <typename T>
using PacketVector = std::vector<Packet<T>, Eigen::aligned_allocator<Packet<T>>>;

// G packets of G lanes: a G×G block, block.packet[s] its row s.
template <typename T>
using Block = ei::PacketBlock<Packet<T>, lanes<T>>;

// Every lane x.
template <typename T>
EIGEN_ALWAYS_INLINE Packet<T> set1(T x) {
  return ei::pset1<Packet<T>>(x);
}

// Lanes from memory: p[0 … G) (load: p aligned to the packet), or
// p[s·stride] for lane s (gather).
template <typename T>
EIGEN_ALWAYS_INLINE Packet<T> load(const T* p) {
  return ei::pload<Packet<T>>(p);
}
template <typename T>
EIGEN_ALWAYS_INLINE Packet<T> loadu(const T* p) {
  return ei::ploadu<Packet<T>>(p);
}
template <typename T>
EIGEN_ALWAYS_INLINE Packet<T> gather(const T* p, Index stride) {
  return ei::pgather<T, Packet<T>>(p, stride);
}

// Lanes to memory, the inverses of the loads.
template <typename T>
EIGEN_ALWAYS_INLINE void store(T* p, const Packet<T>& v) {
  ei::pstore(p, v);
}
template <typename T>
EIGEN_ALWAYS_INLINE void storeu(T* p, const Packet<T>& v) {
  ei::pstoreu(p, v);
}
template <typename T>
EIGEN_ALWAYS_INLINE void scatter(T* p, const Packet<T>& v, Index stride) {
  ei::pscatter<T, Packet<T>>(p, v, stride);
}

// Whether the target has non-temporal stores of a whole packet of T: AVX
// (32 bytes) or AVX-512 (64 bytes).
template <typename T>
inline constexpr bool streams =
#if defined(__AVX512F__)
    sizeof(Packet<T>) == 64 ||
#endif
#if defined(__AVX__)
    sizeof(Packet<T>) == 32 ||
#endif
    false;

// Whether stream() stores p[0 … G) non-temporally: p aligned to the packet.
template <typename T>
EIGEN_ALWAYS_INLINE bool can_stream(const T* p) {
  return streams<T> && reinterpret_cast<std::uintptr_t>(p) % sizeof(Packet<T>) == 0;
}

// p[0 … G) = v, non-temporally where can_stream(p): for outputs much larger
// than the caches, whose lines then go to memory without first being read
// for ownership. Call store_fence() before another thread reads them.
template <typename T>
EIGEN_ALWAYS_INLINE void stream(T* p, const Packet<T>& v) {
#if defined(__AVX512F__)
  if constexpr (sizeof(Packet<T>) == 64) {
    if constexpr (std::is_same_v<T, double>)
      _mm512_stream_pd(p, v);
    else
      _mm512_stream_ps(p, v);
    return;
  }
#endif
#if defined(__AVX__)
  if constexpr (sizeof(Packet<T>) == 32) {
    if constexpr (std::is_same_v<T, double>)
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
EIGEN_ALWAYS_INLINE typename ei::unpacket_traits<P>::type reduce_add(const P& a) {
  return ei::predux(a);
}

// The block (a Block<T>) transposed in place: lane s of row r becomes lane r
// of row s.
template <typename B>
EIGEN_ALWAYS_INLINE void transpose(B& block) {
  ei::ptranspose(block);
}

}  // namespace scorebench::simd

#pragma GCC diagnostic pop

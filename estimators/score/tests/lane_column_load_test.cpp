// The column-by-column load of the scale_tril lane kernel
// (kernels::load_forward_lanes, with solve_lanes<P, D, false, true>) against
// the whole-block load it replaces where d is a multiple of the lanes
// (load_lanes, then solve_lanes): it promises the same operations in the
// same order, so ε, w, 1/Lᵢᵢ and log p must agree to the bit (any two NaNs
// match), and the same verdict of the checks for every entry made doubtful.
// Both check the group's noise, which they do not otherwise read.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "scorebench/kernels/scale_tril_lanes.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"

namespace scorebench::kernels {
namespace {

// G samples of dimension d, sample s at offset s·d² (L), s·d (μ, a, ε).
template <typename T>
struct Group {
  std::vector<T> l, mu, a, noise;
};

template <typename T>
Group<T> valid_group(Index d, int lanes, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-1, 1);
  Group<T> g;
  const auto n = static_cast<size_t>(lanes);
  g.l.assign(n * static_cast<size_t>(d * d), T(0));
  for (auto* v : {&g.mu, &g.a, &g.noise}) {
    v->resize(n * static_cast<size_t>(d));
    for (T& x : *v) x = T(u(rng));
  }
  for (int s = 0; s < lanes; ++s)
    for (Index j = 0; j < d; ++j) {
      g.l[static_cast<size_t>(s * d * d + j * d + j)] = T(1.5 + u(rng));
      for (Index i = j + 1; i < d; ++i) g.l[static_cast<size_t>(s * d * d + j * d + i)] = T(u(rng));
    }
  return g;
}

// Bit for bit, except that any two NaNs match: which operand's NaN an
// x86 instruction passes on depends on the operand order (a·b and b·a),
// which the two loads do not promise; a denormal Lᵢᵢ, which the checks
// let through, makes 1/Lᵢᵢ infinite and w NaN.
template <typename P>
bool same_bits(const PacketVector<P>& x, const PacketVector<P>& y, Index n) {
  using T = simd::Scalar<P>;
  const auto* a = reinterpret_cast<const T*>(x.data());
  const auto* b = reinterpret_cast<const T*>(y.data());
  for (Index k = 0; k < n * simd::size<P>; ++k)
    if (std::memcmp(a + k, b + k, sizeof(T)) != 0 && !(std::isnan(a[k]) && std::isnan(b[k]))) return false;
  return true;
}

// Both loads of one group; the solves too when both pass the checks.
template <typename P, int D>
void compare(Index d, const Group<simd::Scalar<P>>& g) {
  LaneWorkspace<P> whole, columns;
  whole.reset(d, false);
  columns.reset(d, false);
  const bool whole_ok = load_lanes<P, D>(d, g.l.data(), g.mu.data(), d, g.a.data(), g.noise.data(), whole);
  // next_l: any readable memory (the group itself); a prefetch changes no result
  const bool columns_ok = load_forward_lanes<P, D>(d, g.l.data(), g.mu.data(), d, g.a.data(), g.noise.data(),
                                                   columns, g.l.data());
  ASSERT_EQ(columns_ok, whole_ok) << "d = " << d << ", " << simd::size<P> << " lanes";
  if (!whole_ok) return;
  solve_lanes<P, D>(d, whole);
  solve_lanes<P, D, false, true>(d, columns);
  EXPECT_TRUE(same_bits(whole.eps, columns.eps, d)) << "ε, d = " << d;
  EXPECT_TRUE(same_bits(whole.w, columns.w, d)) << "w, d = " << d;
  EXPECT_TRUE(same_bits(whole.inv, columns.inv, d)) << "1/Lᵢᵢ, d = " << d;
  EXPECT_EQ(std::memcmp(&whole.log_prob, &columns.log_prob, sizeof(P)), 0) << "log p, d = " << d;
}

// Random valid groups, then every entry of L of one lane (the last, whose
// offset a wrong stride would miss) set to each doubtful value in turn.
template <typename P, int D>
void check_packet(Index d) {
  using T = simd::Scalar<P>;
  constexpr int G = simd::size<P>;
  ASSERT_EQ(d % G, 0);
  std::mt19937_64 rng(20261207 + static_cast<unsigned>(d * G));
  for (int i = 0; i < 20; ++i) compare<P, D>(d, valid_group<T>(d, G, rng));
  const Group<T> valid = valid_group<T>(d, G, rng);
  const T bad_values[] = {std::numeric_limits<T>::infinity(), std::numeric_limits<T>::quiet_NaN(), T(0),
                          T(-1), std::numeric_limits<T>::denorm_min()};
  int rejected = 0;
  for (const T bad : bad_values)
    for (Index k = 0; k < d * d; ++k) {
      Group<T> g = valid;
      g.l[static_cast<size_t>((G - 1) * d * d + k)] = bad;
      LaneWorkspace<P> ws;
      ws.reset(d, false);
      rejected += !load_forward_lanes<P, D>(d, g.l.data(), g.mu.data(), d, g.a.data(), g.noise.data(), ws);
      compare<P, D>(d, g);
    }
  // inf and NaN anywhere (2d²); 0 on the diagonal (d); −1 on or above it
  // (d + d(d − 1)/2); the denormal above it (d(d − 1)/2).
  EXPECT_EQ(rejected, 3 * d * d + d) << "d = " << d << ", " << G << " lanes";
  // The noise: inf and NaN in any lane's ε (2·G·d), and no other value.
  int noise_rejected = 0;
  for (const T bad : bad_values)
    for (Index k = 0; k < G * d; ++k) {
      Group<T> g = valid;
      g.noise[static_cast<size_t>(k)] = bad;
      LaneWorkspace<P> ws;
      ws.reset(d, false);
      noise_rejected += !load_lanes<P, D>(d, g.l.data(), g.mu.data(), d, g.a.data(), g.noise.data(), ws);
      compare<P, D>(d, g);
    }
  EXPECT_EQ(noise_rejected, 2 * G * d) << "d = " << d << ", " << G << " lanes";
}

template <typename T>
void check_type() {
  using P = simd::Packet<T>;
  constexpr int G = simd::size<P>;
  check_packet<P, Eigen::Dynamic>(G);
  check_packet<P, Eigen::Dynamic>(2 * G);
  check_packet<P, Eigen::Dynamic>(4 * G);
  check_packet<P, G>(G);
  if constexpr (simd::has_half<P>) {
    using H = simd::Half<P>;
    check_packet<H, Eigen::Dynamic>(3 * simd::size<H>);
    check_packet<H, simd::size<H>>(simd::size<H>);
  }
}

TEST(LaneColumnLoad, BitIdenticalToTheWholeBlockLoadF64) { check_type<double>(); }
TEST(LaneColumnLoad, BitIdenticalToTheWholeBlockLoadF32) { check_type<float>(); }

}  // namespace
}  // namespace scorebench::kernels

#pragma GCC diagnostic pop

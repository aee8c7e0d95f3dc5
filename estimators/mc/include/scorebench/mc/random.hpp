#pragma once
// Reproducible standard-normal noise. Sample b of a run with seed s draws its
// d coordinates from its own stream, a SplitMix64 generator whose starting
// state is a hash of (s, b); the normals come from Boost.Random's
// normal_distribution (ziggurat) fed by that stream. The noise of a sample is
// therefore a function of (seed, sample index) alone: results are
// bit-identical for a seed whatever the batch size or the thread count.

#include <boost/random/normal_distribution.hpp>
#include <cstdint>
#include <limits>

#include "scorebench/eigen_types.hpp"

namespace scorebench::mc {

// SplitMix64 (Steele, Lea & Flood 2014): state += γ, output = mix(state).
// A UniformRandomBitGenerator for Boost.Random.
class SplitMix64 {
 public:
  using result_type = std::uint64_t;
  explicit SplitMix64(std::uint64_t state) : state_(state) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() { return mix(state_ += kGamma); }

  // The SplitMix64 finaliser, a bijection of 64-bit words.
  static constexpr std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;

 private:
  std::uint64_t state_;
};

// The stream of sample `index` in the run with `seed`.
inline SplitMix64 sample_stream(std::uint64_t seed, std::uint64_t index) {
  return SplitMix64(SplitMix64::mix(SplitMix64::mix(seed) ^ (index * SplitMix64::kGamma + 1)));
}

// Column j of `eps` (d × n) ← the standard-normal noise of sample first + j.
inline void fill_noise(std::uint64_t seed, std::uint64_t first, Mat<double>& eps) {
  boost::random::normal_distribution<double> normal;
  for (Index j = 0; j < eps.cols(); ++j) {
    SplitMix64 stream = sample_stream(seed, first + static_cast<std::uint64_t>(j));
    normal.reset();
    for (Index i = 0; i < eps.rows(); ++i) eps(i, j) = normal(stream);
  }
}

}  // namespace scorebench::mc

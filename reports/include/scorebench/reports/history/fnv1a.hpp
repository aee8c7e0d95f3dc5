#pragma once
// FNV-1a, 64 bits: the identity of a run's content (run_file.hpp) and the
// seed of a series' permutations (series.cpp). Not cryptographic.

#include <cstdint>
#include <string_view>

namespace scorebench::reports::history {

inline std::uint64_t fnv1a64(std::string_view text, std::uint64_t h = 1469598103934665603ull) {
  for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

}  // namespace scorebench::reports::history

#pragma once
// Runs larger than one machine: a sweep (verify's cases, the certified case
// set, the benchmark grid) split into N shards that a CI matrix runs side by
// side, shard I taking the items whose index i in the unsharded order has
// i mod N = I. Named `--shard I/N`, or by the convention CTest, Bazel and CI
// matrices use: GTEST_SHARD_INDEX and GTEST_TOTAL_SHARDS.

#include <cstddef>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

namespace scorebench {

inline constexpr std::size_t kMaxShards = 10000;

struct Shard {
  std::size_t index = 0, count = 1;
  bool takes(std::size_t item) const { return item % count == index; }
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

namespace detail {
// A whole number written in at most 5 decimal digits, nothing else.
inline std::optional<std::size_t> shard_number(const std::string& s) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const std::size_t v = std::stoul(s);
  return v <= kMaxShards ? std::optional<std::size_t>(v) : std::nullopt;
}
}  // namespace detail

// "I/N" with 0 ≤ I < N ≤ kMaxShards; throws std::invalid_argument naming the text.
inline Shard parse_shard(const std::string& s) {
  const std::size_t slash = s.find('/');
  const auto index = slash == std::string::npos ? std::nullopt : detail::shard_number(s.substr(0, slash));
  const auto count = slash == std::string::npos ? std::nullopt : detail::shard_number(s.substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count)
    throw std::invalid_argument("'" + s +
                                "' is not a shard I/N with 0 <= I < N <= " + std::to_string(kMaxShards));
  return {*index, *count};
}

// GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX (both or neither); nullopt when
// neither is set; throws std::invalid_argument naming the variable when one
// is missing or invalid.
inline std::optional<Shard> shard_from_environment() {
  const char* total = std::getenv("GTEST_TOTAL_SHARDS");
  const char* index = std::getenv("GTEST_SHARD_INDEX");
  if (!total && !index) return std::nullopt;
  if (!total || !index)
    throw std::invalid_argument(std::string(total ? "GTEST_SHARD_INDEX" : "GTEST_TOTAL_SHARDS") +
                                " is not set, but " + (total ? "GTEST_TOTAL_SHARDS" : "GTEST_SHARD_INDEX") +
                                " is: set both or neither");
  try {
    return parse_shard(std::string(index) + "/" + total);
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("GTEST_SHARD_INDEX='" + std::string(index) + "' and GTEST_TOTAL_SHARDS='" +
                                total +
                                "' are not a shard index 0 <= I < N <= " + std::to_string(kMaxShards));
  }
}

}  // namespace scorebench

#pragma once
// A kernel computes one method's score for one sample in two steps:
//
//   factor(p, param, f)   everything that depends on the parameter only
//                         (done once for a shared parameter, once per sample
//                         otherwise); returns a message if the parameter is
//                         unusable (e.g. the failing Cholesky pivot);
//   sample(p, f, in, out, ws)   log p and the gradients of one sample.
//
// and states, in one place, which batch paths it adds to these two:
//
//   static constexpr KernelPaths paths{...};
//
// The batch driver (kernel_driver.hpp) does validation, broadcasting, error
// bookkeeping and the weighted sum, so a kernel holds only the method's
// mathematics. check_kernel<K>() names what an incomplete kernel lacks.

#include <optional>
#include <string>
#include <type_traits>

#include "scorebench/batch.hpp"
#include "scorebench/result.hpp"

namespace scorebench {

template <typename T>
struct SampleInput {
  Eigen::Map<const Vec<T>> loc;
  Eigen::Map<const Vec<T>> action;  // empty for a method that reads noise
  Eigen::Map<const Vec<T>> noise;   // empty unless the batch has noise
};

template <typename T>
struct SampleOutput {
  T& log_prob;
  Eigen::Map<Vec<T>> grad_loc;
  Eigen::Map<Vec<T>> grad_action;
  Eigen::Map<Mat<T>> grad_param;  // d×d, or d×1 for scale_diag
};

// The batch paths a kernel provides besides factor()/sample(), each a static
// member function with the signature kernel_driver.hpp documents at
// run_kernel_into(). A path that is not set is never called.
struct KernelPaths {
  bool checked_chunk = false;        // validates and computes per-sample chunks itself
  bool chunk = false;                // computes chunks of already validated samples
  bool shared_batch = false;         // a shared parameter's whole batch in matrix shapes
  bool writes_every_output = false;  // fills every output of each sample it computes
};

namespace detail {
template <typename K, typename = void>
struct has_paths : std::false_type {};
template <typename K>
struct has_paths<K, std::void_t<decltype(K::paths)>>
    : std::is_same<std::decay_t<decltype(K::paths)>, KernelPaths> {};
template <typename K, typename = void>
struct has_requires_noise : std::false_type {};
template <typename K>
struct has_requires_noise<K, std::void_t<decltype(K::requires_noise)>> : std::true_type {};
template <typename K, typename = void>
struct has_factor_and_sample : std::false_type {};
template <typename K>
struct has_factor_and_sample<K, std::void_t<typename K::Scalar, typename K::Factor, typename K::Workspace,
                                            decltype(&K::factor), decltype(&K::sample)>> : std::true_type {};
template <typename K, typename = void>
struct has_checked_chunk : std::false_type {};
template <typename K>
struct has_checked_chunk<K, std::void_t<decltype(&K::checked_chunk)>> : std::true_type {};
template <typename K, typename = void>
struct has_chunk : std::false_type {};
template <typename K>
struct has_chunk<K, std::void_t<decltype(&K::chunk)>> : std::true_type {};
template <typename K, typename = void>
struct has_shared_batch : std::false_type {};
template <typename K>
struct has_shared_batch<K, std::void_t<decltype(&K::shared_batch)>> : std::true_type {};
}  // namespace detail

// A kernel's declaration checked against what it defines, with a message
// that says what is missing; the batch driver instantiates it for every kernel.
template <typename K>
constexpr bool check_kernel() {
  static_assert(detail::has_factor_and_sample<K>::value,
                "a kernel defines Scalar, Factor, Workspace (constructible from d), and static factor() and "
                "sample() (kernel.hpp)");
  static_assert(
      detail::has_requires_noise<K>::value,
      "a kernel declares static constexpr bool requires_noise (true: it reads noise, not the action)");
  static_assert(detail::has_paths<K>::value,
                "a kernel declares static constexpr KernelPaths paths{...} (KernelPaths{} when it has none)");
  if constexpr (detail::has_paths<K>::value) {
    static_assert(!K::paths.checked_chunk || detail::has_checked_chunk<K>::value,
                  "paths.checked_chunk is set but the kernel defines no static checked_chunk()");
    static_assert(!K::paths.chunk || detail::has_chunk<K>::value,
                  "paths.chunk is set but the kernel defines no static chunk()");
    static_assert(!K::paths.shared_batch || detail::has_shared_batch<K>::value,
                  "paths.shared_batch is set but the kernel defines no static shared_batch()");
    static_assert(
        K::paths.checked_chunk || !detail::has_checked_chunk<K>::value,
        "the kernel defines checked_chunk() but paths.checked_chunk is not set: it would never run");
    static_assert(K::paths.chunk || !detail::has_chunk<K>::value,
                  "the kernel defines chunk() but paths.chunk is not set: it would never run");
    static_assert(K::paths.shared_batch || !detail::has_shared_batch<K>::value,
                  "the kernel defines shared_batch() but paths.shared_batch is not set: it would never run");
  }
  return true;
}

}  // namespace scorebench

#pragma once
// A kernel computes one method's score for one sample in two steps:
//
//   factor(p, param, f)   everything that depends on the parameter only
//                         (done once for a shared parameter, once per sample
//                         otherwise); returns a message if the parameter is
//                         unusable (e.g. the failing Cholesky pivot);
//   sample(p, f, in, out, ws)   log p and the gradients of one sample.
//
// A kernel may also provide shared_batch(p, f, batch, request, result), which
// computes a whole batch with a shared parameter in matrix shapes. The batch
// driver (kernel_driver.hpp) does validation, broadcasting, error bookkeeping
// and the weighted sum, so a kernel holds only the method's mathematics.

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

template <typename K, typename = void>
struct has_shared_batch : std::false_type {};
template <typename K>
struct has_shared_batch<K, std::void_t<decltype(&K::shared_batch)>> : std::true_type {};

}  // namespace scorebench

#include "scorebench/verification/accuracy.hpp"

#include <cmath>
#include <limits>

namespace scorebench::verification {

template <typename T>
BlockError measure_block(Block block, Parameterization p, bool sum, const Mat<T>& computed,
                         const BlockReference& ref, double unit_bound) {
  BlockError e;
  e.block = block;
  e.name = block_name(block, p);
  const Index cols = block == Block::grad_param && is_matrix(p) ? ref.value.rows() : 1;
  if (computed.rows() != ref.value.rows() || computed.cols() != ref.value.cols()) {
    e.structure = "shape " + std::to_string(computed.rows()) + "x" + std::to_string(computed.cols()) +
                  ", expected " + std::to_string(ref.value.rows()) + "x" + std::to_string(ref.value.cols());
    e.error = e.ratio = std::numeric_limits<double>::infinity();
    return e;
  }
  const auto locate = [&](Index i, Index j) {
    e.sample = sum ? -1 : j / cols;
    e.row = block == Block::log_prob ? 0 : i;
    e.col = j % cols;
    e.value = static_cast<double>(computed(i, j));
    e.reference = static_cast<double>(ref.value(i, j));
  };
  // Worst entry and ‖ĝ − g‖ in 50 digits; a non-finite entry is infinitely wrong.
  mp50 diff2(0), worst(-1);
  bool finite = true;
  for (Index j = 0; j < computed.cols(); ++j)
    for (Index i = 0; i < computed.rows(); ++i) {
      if (!std::isfinite(static_cast<double>(computed(i, j)))) {
        if (finite) locate(i, j);
        finite = false;
        continue;
      }
      const mp50 diff = abs(mp50(computed(i, j)) - ref.value(i, j));
      diff2 += diff * diff;
      if (finite && diff > worst) {
        worst = diff;
        locate(i, j);
      }
    }
  const double norm = static_cast<double>(ref.value.norm());
  e.rho = norm > 0 ? std::max(1.0, static_cast<double>(ref.magnitude.norm()) / norm) : 1.0;
  e.error = !finite    ? std::numeric_limits<double>::infinity()
            : norm > 0 ? static_cast<double>(sqrt(diff2)) / norm
                       : static_cast<double>(sqrt(diff2));
  e.bound = unit_bound * e.rho;
  e.ratio = e.error / e.bound;
  // ∇L is exactly zero above the diagonal (DESIGN §1).
  if (block == Block::grad_param && p == Parameterization::scale_tril)
    for (Index j = 0; j < computed.cols() && e.structure.empty(); ++j)
      for (Index i = 0; i < j % cols; ++i)
        if (std::isfinite(static_cast<double>(computed(i, j))) && computed(i, j) != T(0)) {
          e.structure = "entry (" + std::to_string(i) + "," + std::to_string(j % cols) + ") of sample " +
                        std::to_string(sum ? -1 : j / cols) + " is " +
                        std::to_string(static_cast<double>(computed(i, j))) +
                        " above the diagonal, where grad_scale_tril must be exactly 0";
          break;
        }
  return e;
}

template <typename T>
std::vector<BlockError> measure(const Result<T>& result, const Reference& ref, double unit_bound) {
  const Parameterization p = result.parameterization;
  const bool sum = result.output == Output::sum;
  return {
      measure_block<T>(Block::log_prob, p, sum, result.log_prob.transpose(), ref[Block::log_prob],
                       unit_bound),
      measure_block<T>(Block::grad_loc, p, sum, result.grad_loc, ref[Block::grad_loc], unit_bound),
      measure_block<T>(Block::grad_action, p, sum, result.grad_action, ref[Block::grad_action], unit_bound),
      measure_block<T>(Block::grad_param, p, sum, result.grad_param, ref[Block::grad_param], unit_bound)};
}

template BlockError measure_block<float>(Block, Parameterization, bool, const Mat<float>&,
                                         const BlockReference&, double);
template BlockError measure_block<double>(Block, Parameterization, bool, const Mat<double>&,
                                          const BlockReference&, double);
template std::vector<BlockError> measure<float>(const Result<float>&, const Reference&, double);
template std::vector<BlockError> measure<double>(const Result<double>&, const Reference&, double);

}  // namespace scorebench::verification

#include "scorebench/verification/accuracy.hpp"

#include <cmath>
#include <limits>

namespace scorebench::verification {

template <typename T>
BlockError measure_block(Block block, Parameterization p, bool sum, const Mat<T>& computed,
                         const BlockReference& ref, double unit_bound, Index invalid) {
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
  const Index skip = sum ? -1 : invalid;
  for (Index j = 0; j < computed.cols(); ++j)
    for (Index i = 0; i < computed.rows(); ++i) {
      if (j / cols == skip) {
        if (!std::isnan(static_cast<double>(computed(i, j))) && e.structure.empty())
          e.structure = "entry (" + std::to_string(block == Block::log_prob ? 0 : i) + "," +
                        std::to_string(j % cols) + ") of sample " + std::to_string(skip) +
                        ", which is invalid, is " + std::to_string(static_cast<double>(computed(i, j))) +
                        ", where it must be NaN";
        continue;
      }
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
  // Relative to ‖g‖, with ρ = ‖m‖/‖g‖; where g is exactly 0 (weights that
  // cancel to the last bit), relative to ‖m‖ with ρ = 1: either way the
  // ratio is ‖ĝ − g‖ / (unit bound · ‖m‖).
  const double norm = static_cast<double>(ref.value.norm());
  const double magnitude = static_cast<double>(ref.magnitude.norm());
  const double scale = norm > 0 ? norm : magnitude > 0 ? magnitude : 1.0;
  e.rho = norm > 0 ? std::max(1.0, magnitude / norm) : 1.0;
  e.error = !finite ? std::numeric_limits<double>::infinity() : static_cast<double>(sqrt(diff2)) / scale;
  e.bound = unit_bound * e.rho;
  e.ratio = e.error / e.bound;
  // ∇L is exactly zero above the diagonal (DESIGN §1).
  if (block == Block::grad_param && p == Parameterization::scale_tril)
    for (Index j = 0; j < computed.cols() && e.structure.empty(); ++j)
      for (Index i = 0; i < j % cols && j / cols != skip; ++i)
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
std::vector<BlockError> measure(const Result<T>& result, const Reference& ref,
                                const std::array<double, 4>& unit_bounds) {
  const Parameterization p = result.parameterization;
  const bool sum = result.output == Output::sum;
  const Index k = ref.invalid_sample;
  return {measure_block<T>(Block::log_prob, p, sum, result.log_prob.transpose(), ref[Block::log_prob],
                           unit_bounds[0], k),
          measure_block<T>(Block::grad_loc, p, sum, result.grad_loc, ref[Block::grad_loc], unit_bounds[1], k),
          measure_block<T>(Block::grad_action, p, sum, result.grad_action, ref[Block::grad_action],
                           unit_bounds[2], k),
          measure_block<T>(Block::grad_param, p, sum, result.grad_param, ref[Block::grad_param],
                           unit_bounds[3], k)};
}

template BlockError measure_block<float>(Block, Parameterization, bool, const Mat<float>&,
                                         const BlockReference&, double, Index);
template BlockError measure_block<double>(Block, Parameterization, bool, const Mat<double>&,
                                          const BlockReference&, double, Index);
template std::vector<BlockError> measure<float>(const Result<float>&, const Reference&,
                                                const std::array<double, 4>&);
template std::vector<BlockError> measure<double>(const Result<double>&, const Reference&,
                                                 const std::array<double, 4>&);

}  // namespace scorebench::verification

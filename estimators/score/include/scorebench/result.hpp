#pragma once
// What a method returns for a batch: log-densities and gradients in the
// conventions of DESIGN §1, laid out like the batch (see batch.hpp), plus the
// samples that could not be computed and why.

#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "scorebench/batch.hpp"

namespace scorebench {

struct SampleError {
  Index sample;
  std::string message;  // names the argument and the evidence
};

template <typename T>
struct Result {
  Parameterization parameterization = Parameterization::scale_tril;
  Output output = Output::grads;
  Vec<T> log_prob;     // B entries, or 1: Σ_b c_b log p_b
  Mat<T> grad_loc;     // d × B, or d × 1
  Mat<T> grad_action;  // d × B, or d × 1
  Mat<T> grad_param;   // blocks as in Batch::param: B of them, or 1
  // Samples not computed, in increasing order. In `grads` output their
  // entries are NaN; in `sum` output they are left out of the sum.
  std::vector<SampleError> errors;

  Index dim() const { return grad_loc.rows(); }
  Index block_cols() const { return is_matrix(parameterization) ? dim() : 1; }
  bool ok() const { return errors.empty(); }

  auto grad_param_of(Index b) { return grad_param.middleCols(b * block_cols(), block_cols()); }
  auto grad_param_of(Index b) const { return grad_param.middleCols(b * block_cols(), block_cols()); }

  // std::domain_error that names every failed sample and why.
  void throw_if_failed() const {
    if (errors.empty()) return;
    std::ostringstream msg;
    msg << errors.size() << " of the batch's samples failed:";
    for (const SampleError& e : errors) msg << "\n  " << e.message;
    throw std::domain_error(msg.str());
  }
};

// Shapes `r` for a batch (d, n samples) and fills it with zeros (sum) or
// NaN (grads; filled as computed), or leaves the entries as they are
// (`fill` false). Storage of the right size is reused, so a caller that
// evaluates batch after batch into one Result allocates once.
template <typename T>
void reset_result(Result<T>& r, Parameterization p, Output output, Index d, Index batch_size,
                  bool fill = true) {
  r.parameterization = p;
  r.output = output;
  r.errors.clear();
  const Index n = output == Output::grads ? batch_size : 1;
  const Index block = is_matrix(p) ? d : 1;
  // Eigen's resize checks rows × cols for overflow by an integer division
  // (tens of cycles each, a tenth of a one-sample call): only on a new shape.
  const auto shape = [](auto& m, Index rows, Index cols) {
    if (m.rows() != rows || m.cols() != cols) m.resize(rows, cols);
  };
  shape(r.log_prob, n, 1);
  shape(r.grad_loc, d, n);
  shape(r.grad_action, d, n);
  shape(r.grad_param, d, block * n);
  if (!fill) return;
  const T value = output == Output::grads ? std::numeric_limits<T>::quiet_NaN() : T(0);
  r.log_prob.setConstant(value);
  r.grad_loc.setConstant(value);
  r.grad_action.setConstant(value);
  r.grad_param.setConstant(value);
}

// A result with every entry zero (sum) or NaN (grads; filled as computed).
template <typename T>
Result<T> make_result(Parameterization p, Output output, Index d, Index batch_size) {
  Result<T> r;
  reset_result(r, p, output, d, batch_size);
  return r;
}

}  // namespace scorebench

#pragma once
// Reference log-densities and gradients: the closed forms of DESIGN §1
// evaluated in 50 digits on the case's inputs converted exactly (so a float
// case is referenced against its float inputs, not against the double matrix
// it was rounded from). Next to each value the reference keeps its
// magnitude, the same formula with every term replaced by its absolute
// value; ρ = ‖magnitude‖/‖value‖ ≥ 1 is the cancellation condition number of
// the block's final sum (accuracy.hpp).

#include <array>
#include <map>
#include <string>

#include "scorebench/verification/case_generator.hpp"
#include "scorebench/verification/multiprecision.hpp"

namespace scorebench::verification {

// The output blocks compared, in Result's order.
enum class Block { log_prob, grad_loc, grad_action, grad_param };
inline constexpr std::array<Block, 4> kAllBlocks = {Block::log_prob, Block::grad_loc, Block::grad_action,
                                                    Block::grad_param};
// "log_prob", "grad_loc", "grad_action" or "grad_<parameterization>".
std::string block_name(Block b, Parameterization p);

// How a method is called on a case: the per-sample parameters or the first
// block shared by all, per-sample gradients or the weighted sum.
struct Mode {
  bool shared = false;
  Output output = Output::grads;
  std::string name() const;  // "per_sample/grads", "shared/sum", ...
};
inline const std::array<Mode, 4>& all_modes() {
  static const std::array<Mode, 4> m = {Mode{false, Output::grads}, Mode{false, Output::sum},
                                        Mode{true, Output::grads}, Mode{true, Output::sum}};
  return m;
}

struct BlockReference {
  Mat<mp50> value;      // laid out as in Result (log_prob as a 1 × n row)
  Mat<mp50> magnitude;  // |terms| summed, entrywise ≥ |value|
};

struct Reference {
  std::array<BlockReference, 4> blocks;  // indexed by Block
  // The sample that must fail in this mode (Case::invalid_sample), or −1:
  // its entries are 0 here (left out of a sum: c_k = 0) and must be NaN in
  // per-sample outputs; `invalid_evidence` says why it must fail.
  Index invalid_sample = -1;
  std::string invalid_evidence;
  const BlockReference& operator[](Block b) const { return blocks[static_cast<size_t>(b)]; }
};

// One sample's reference from the 50-digit inputs (parameter block `param`).
struct SampleReference {
  mp50 log_prob, log_prob_magnitude;
  Vec<mp50> w, w_magnitude;  // Σ⁻¹ r
  Mat<mp50> grad_param, grad_param_magnitude;
};
SampleReference sample_reference(Parameterization p, const Vec<mp50>& loc, const Vec<mp50>& action,
                                 const Mat<mp50>& param);

// What a sample's reference needs of its parameter block, computed once per
// block: L with Σ = L Lᵀ, and Σ⁻¹ (covariance) or Σ (precision).
struct FactorReference {
  Mat<mp50> l, sigma_inv, sigma;
};
FactorReference factor_reference(Parameterization p, const Mat<mp50>& param);
SampleReference sample_reference(Parameterization p, const Vec<mp50>& loc, const Vec<mp50>& action,
                                 const Mat<mp50>& param, const FactorReference& factor);

// The references of one case, with each parameter block factored once in 50
// digits. `from_noise` references the action μ + L ε formed exactly from the
// noise (what a method that reads ε computes) rather than the rounded action.
// `sees_noise`: the method is given the noise (a nan_noise sample is then
// invalid; given the action only, it is valid).
class CaseReference {
 public:
  explicit CaseReference(const Case& c);
  Reference reference(const Mode& mode, bool from_noise, bool sees_noise);

 private:
  const SampleReference& sample(Index block, Index b, bool from_noise);
  const FactorReference& factor(Index block);
  const Case& case_;
  Mat<mp50> loc_, action_, noise_, param_;
  Vec<mp50> weights_;
  std::map<std::array<Index, 3>, SampleReference> cache_;
  std::map<Index, FactorReference> factors_;  // by block modulo the case's block period
};

// L with Σ = L Lᵀ from a parameter block, in 50 digits.
Mat<mp50> covariance_factor_mp(Parameterization p, const Mat<mp50>& param);

}  // namespace scorebench::verification

#pragma once
// Deliberately wrong scores, as methods, so that the statistical gate can be
// shown to reject them (its power). They are NOT in the registry (the
// verification gate would test them); find them with find_method().
//
//   mutant_misnormalised_density  the score of the density as often
//       mis-written, log q = −½ rᵀΣ⁻¹r + log(2π det Σ) (DESIGN §1):
//       ∇μ = w, ∇L = tril(w εᵀ) + 2 diag(1/Lᵢᵢ), ∇σ = εᵢ²/σᵢ + 2/σᵢ
//   mutant_constant_variance  the score that treats Σ as a constant:
//       ∇μ = w, and no gradient (zero) for the scale parameter
//
// Both cover scale_tril and scale_diag (the parameterizations of the Monte
// Carlo estimators).

#include <boost/math/constants/constants.hpp>
#include <memory>
#include <string_view>
#include <vector>

#include "scorebench/method.hpp"

namespace scorebench::mc {

// log q(a) = −½‖ε‖² + log 2π + 2 Σᵢ log Lᵢᵢ, the mis-written density
// (log det Σ = 2 Σᵢ log Lᵢᵢ, ε = L⁻¹(a − μ)); scale is L or σ.
template <typename T>
T misnormalised_log_density(Parameterization p, const Vec<T>& loc, const Vec<T>& action,
                            const Mat<T>& scale) {
  using std::log;
  const Mat<T> l = p == Parameterization::scale_diag ? Mat<T>(scale.col(0).asDiagonal())
                                                     : Mat<T>(scale.template triangularView<Eigen::Lower>());
  const Vec<T> eps = l.template triangularView<Eigen::Lower>().solve(action - loc);
  return -eps.squaredNorm() / T(2) + log(T(2) * boost::math::constants::pi<T>()) +
         T(2) * l.diagonal().array().log().sum();
}

// The mutants above.
const std::vector<std::unique_ptr<Method>>& mutant_methods();

// A registry method, or a mutant; throws std::invalid_argument naming both
// lists when unknown.
const Method& find_method(std::string_view name);

}  // namespace scorebench::mc

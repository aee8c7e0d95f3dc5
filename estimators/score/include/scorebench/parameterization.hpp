#pragma once
// The four ways a Gaussian's covariance is given, with PyTorch's names.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace scorebench {

enum class Parameterization {
  scale_tril,         // L, lower triangular with positive diagonal, Σ = L Lᵀ
  covariance_matrix,  // Σ, symmetric positive definite
  precision_matrix,   // Λ = Σ⁻¹, symmetric positive definite
  scale_diag,         // σ > 0, Σ = diag(σ²)
};

inline constexpr std::array<Parameterization, 4> kAllParameterizations = {
    Parameterization::scale_tril, Parameterization::covariance_matrix, Parameterization::precision_matrix,
    Parameterization::scale_diag};

inline std::string_view name(Parameterization p) {
  switch (p) {
    case Parameterization::scale_tril: return "scale_tril";
    case Parameterization::covariance_matrix: return "covariance_matrix";
    case Parameterization::precision_matrix: return "precision_matrix";
    case Parameterization::scale_diag: return "scale_diag";
  }
  return "unknown";
}

inline std::optional<Parameterization> parse_parameterization(std::string_view s) {
  for (Parameterization p : kAllParameterizations)
    if (name(p) == s) return p;
  return std::nullopt;
}

// The parameter is a d×d matrix (true) or a d-vector (scale_diag).
inline bool is_matrix(Parameterization p) { return p != Parameterization::scale_diag; }

// The parameter is a symmetric matrix whose gradient follows the symmetric
// convention of DESIGN §1: ⟨G, dA⟩_F is the derivative along symmetric dA.
inline bool is_symmetric(Parameterization p) {
  return p == Parameterization::covariance_matrix || p == Parameterization::precision_matrix;
}

// Name of the gradient block in outputs: "grad_" + parameterization.
inline std::string gradient_name(Parameterization p) { return "grad_" + std::string(name(p)); }

}  // namespace scorebench

#pragma once
// The cost functions f of E_{a∼N(μ,Σ)}[f(a)] (DESIGN §3), their gradients
// ∇f for the pathwise estimator, and the exact expectation with its
// gradients. Everything is written on scalars, so the same closed forms run
// in double and in 50-digit arithmetic (the quadrature tests).
//
//   square:k          f = Σᵢ (xᵢ − k)²
//   exp_neg_square:k  f = exp(−k ‖x‖²)
//   cos:k             f = cos(k Σᵢ xᵢ)
//   quadratic         f = xᵀ A x + bᵀ x
//   exp_linear        f = exp(cᵀ x)

#include <string>
#include <string_view>

#include "scorebench/eigen_types.hpp"

namespace scorebench::mc {

enum class CostKind { square, exp_neg_square, cos, quadratic, exp_linear };

struct Cost {
  CostKind kind = CostKind::square;
  double k = 0;   // square, exp_neg_square, cos
  Mat<double> a;  // quadratic: A (d × d, any square matrix)
  Vec<double> b;  // quadratic: b (empty means 0)
  Vec<double> c;  // exp_linear: c

  std::string name() const;
};

// Parses "square:k", "exp_neg_square:k", "cos:k", "quadratic", "exp_linear";
// A and b are used by quadratic, c by exp_linear. Throws
// std::invalid_argument naming the problem.
Cost parse_cost(std::string_view spec, const Mat<double>& a = {}, const Vec<double>& b = {},
                const Vec<double>& c = {});

// Throws std::invalid_argument when the cost does not fit dimension d.
void check_cost(const Cost& cost, Index d);

template <typename T>
T cost_value(const Cost& cost, const Vec<T>& x) {
  using std::cos;
  using std::exp;
  switch (cost.kind) {
    case CostKind::square: return (x.array() - T(cost.k)).square().sum();
    case CostKind::exp_neg_square: return exp(-T(cost.k) * x.squaredNorm());
    case CostKind::cos: return cos(T(cost.k) * x.sum());
    case CostKind::quadratic: {
      T v = x.dot(cost.a.cast<T>() * x);
      if (cost.b.size()) v += cost.b.cast<T>().dot(x);
      return v;
    }
    case CostKind::exp_linear: return exp(cost.c.cast<T>().dot(x));
  }
  return T(0);
}

// ∇f(x).
template <typename T>
Vec<T> cost_gradient(const Cost& cost, const Vec<T>& x) {
  using std::sin;
  const Index d = x.size();
  switch (cost.kind) {
    case CostKind::square: return T(2) * (x.array() - T(cost.k)).matrix();  // 2(x − k)
    case CostKind::exp_neg_square:                                          // −2k f x
      return (T(-2) * T(cost.k) * cost_value(cost, x)) * x;
    case CostKind::cos:  // −k sin(k Σx) 1
      return Vec<T>::Constant(d, -T(cost.k) * sin(T(cost.k) * x.sum()));
    case CostKind::quadratic: {  // (A + Aᵀ) x + b
      const Mat<T> a = cost.a.cast<T>();
      Vec<T> g = (a + a.transpose()) * x;
      if (cost.b.size()) g += cost.b.cast<T>();
      return g;
    }
    case CostKind::exp_linear: return cost_value(cost, x) * cost.c.cast<T>();  // f c
  }
  return Vec<T>::Zero(d);
}

// E[f], ∇_μ E[f] and G = ∇_Σ E[f] in the symmetric convention of DESIGN §1
// (⟨G, dΣ⟩_F is the derivative along symmetric dΣ). The gradient for a
// parameterization follows by the chain rules ∇L = 2 tril(G L),
// ∇σᵢ = 2 Gᵢᵢ σᵢ (see scale_gradient()).
template <typename T>
struct Expectation {
  T value;
  Vec<T> grad_loc;
  Mat<T> grad_covariance;
};

}  // namespace scorebench::mc

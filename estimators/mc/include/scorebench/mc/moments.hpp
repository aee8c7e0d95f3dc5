#pragma once
// Running central moments of one coordinate (count, mean, M2, M3, M4), with
// the exact pairwise merge of Pébay (2008), so that chunks computed in any
// order on any number of threads combine in a fixed order to the same bits.

#include <cmath>

namespace scorebench::mc {

struct Moments {
  double n = 0, mean = 0, m2 = 0, m3 = 0, m4 = 0;  // m_p = Σ (x − mean)^p

  void add(double x) { merge(Moments{1, x, 0, 0, 0}); }

  // With δ = mean_b − mean_a and n = n_a + n_b:
  //   M2 = M2a + M2b + δ² n_a n_b / n
  //   M3 = M3a + M3b + δ³ n_a n_b (n_a − n_b)/n² + 3δ (n_a M2b − n_b M2a)/n
  //   M4 = M4a + M4b + δ⁴ n_a n_b (n_a² − n_a n_b + n_b²)/n³
  //        + 6δ² (n_a² M2b + n_b² M2a)/n² + 4δ (n_a M3b − n_b M3a)/n
  void merge(const Moments& b) {
    if (b.n == 0) return;
    if (n == 0) {
      *this = b;
      return;
    }
    const double na = n, nb = b.n, nt = na + nb;
    const double delta = b.mean - mean, d2 = delta * delta;
    const double m4n = m4 + b.m4 + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (nt * nt * nt) +
                       6 * d2 * (na * na * b.m2 + nb * nb * m2) / (nt * nt) +
                       4 * delta * (na * b.m3 - nb * m3) / nt;
    const double m3n =
        m3 + b.m3 + d2 * delta * na * nb * (na - nb) / (nt * nt) + 3 * delta * (na * b.m2 - nb * m2) / nt;
    m2 = m2 + b.m2 + d2 * na * nb / nt;
    m3 = m3n;
    m4 = m4n;
    mean += delta * nb / nt;
    n = nt;
  }

  // Unbiased sample variance s² = M2/(n − 1).
  double variance() const { return n > 1 ? m2 / (n - 1) : 0.0; }

  // Standard error of s² by the delta method, free of any normality
  // assumption: Var(s²) ≈ (μ₄ − σ⁴)/n with μ₄ = M4/n.
  double variance_stderr() const {
    if (n < 2) return 0.0;
    const double s2 = variance();
    const double v = (m4 / n - s2 * s2) / n;
    return v > 0 ? std::sqrt(v) : 0.0;
  }
};

}  // namespace scorebench::mc

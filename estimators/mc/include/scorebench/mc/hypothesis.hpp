#pragma once
// A family of two-sided z-tests with the family-wise error rate controlled by
// Holm's step-down procedure (Holm 1979): sort the m p-values,
// p₍₁₎ ≤ … ≤ p₍ₘ₎, and reject H₍₁₎ … H₍ᵢ₎ while p₍ᵢ₎ ≤ α/(m − i + 1). Under any
// dependence between the tests, P(any true hypothesis rejected) ≤ α.

#include <string>
#include <vector>

namespace scorebench::mc {

struct ZTest {
  std::string label;  // what is tested, e.g. "pathwise/cos:1/scale_tril/loc[0]"
  double estimate = 0, expected = 0, standard_error = 0;
  double z = 0, p_value = 1;
  double adjusted_p = 1;  // Holm-adjusted p-value (filled by holm())
  bool rejected = false;
};

// z = (estimate − expected)/standard_error and its p-value; a zero standard
// error gives z = 0 if estimate equals expected to `tolerance`, else ±∞.
ZTest make_z_test(std::string label, double estimate, double expected, double standard_error,
                  double tolerance = 0);

// Holm's adjusted p-values, p̃₍ᵢ₎ = max_{j≤i} min(1, (m − j + 1) p₍ⱼ₎), and the
// decisions p̃ ≤ alpha. Returns the number rejected.
int holm(std::vector<ZTest>& family, double alpha);

// The smallest Holm-adjusted p-value: the family is rejected at level α iff
// it is ≤ α.
double min_adjusted_p(const std::vector<ZTest>& family);

}  // namespace scorebench::mc

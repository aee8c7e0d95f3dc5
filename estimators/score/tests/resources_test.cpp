// The memory models of resources.hpp, and the refusal they drive. The
// figures below are the models' own arithmetic; the models were checked
// against the peak resident memory of `scorebench eval --method
// autodiff_forward` on one identity case (release build, /usr/bin/time, less
// the 160 MiB of a d = 1 case), measured / model:
//   scale_tril         d = 60: 50 / 59 MiB    d = 100: 410 / 425 MiB
//   covariance_matrix  d = 60: 103 / 113 MiB  d = 100: 808 / 826 MiB
// so the model is a slight over-estimate, as a refusal threshold should be.

#include "scorebench/resources.hpp"

#include <gtest/gtest.h>

#include "scorebench/registry.hpp"

namespace scorebench {
namespace {

Capabilities facts_of(const char* method) { return registry().get(method).capabilities(); }

TEST(Resources, AutodiffForwardGrowsAsDToTheFourthForAMatrixParameter) {
  const Capabilities ad = facts_of("autodiff_forward");
  ASSERT_TRUE(ad.carries_every_derivative);
  // d = 400, L: n = 2·400 + 400·401/2 = 81 000 derivatives on each of
  // 400² + 6·400 = 162 400 values of 81 000·8 + 48 bytes.
  EXPECT_DOUBLE_EQ(score_sample_bytes(ad, Parameterization::scale_tril, 400, 8),
                   162400.0 * (81000.0 * 8 + 48));
  // Σ and Λ: their Cholesky factor is a second d×d matrix of AD values.
  EXPECT_DOUBLE_EQ(score_sample_bytes(ad, Parameterization::covariance_matrix, 10, 8),
                   260.0 * (75.0 * 8 + 48));
  // σ: 3d derivatives on 8d values, O(d²).
  EXPECT_DOUBLE_EQ(score_sample_bytes(ad, Parameterization::scale_diag, 100, 4), 800.0 * (300.0 * 4 + 48));
  // Doubling d multiplies the matrix case by about 16.
  const double ratio = score_sample_bytes(ad, Parameterization::scale_tril, 2000, 8) /
                       score_sample_bytes(ad, Parameterization::scale_tril, 1000, 8);
  EXPECT_NEAR(ratio, 16, 0.1);
}

TEST(Resources, OtherMethodsNeedAboutEightMatrices) {
  for (const char* m :
       {"analytic", "explicit_inverse", "cholesky_solve", "reparameterization", "autodiff_reverse"}) {
    EXPECT_FALSE(facts_of(m).carries_every_derivative) << m;
    EXPECT_DOUBLE_EQ(score_sample_bytes(facts_of(m), Parameterization::precision_matrix, 1000, 8),
                     8e6 * 8 + 64e3 * 8)
        << m;
    EXPECT_DOUBLE_EQ(score_sample_bytes(facts_of(m), Parameterization::scale_diag, 1000, 4), 16e3 * 4) << m;
  }
}

TEST(Resources, RefusesBeyondHalfOfMemoryWithBothFigures) {
  const double gib = 1024.0 * 1024 * 1024;
  EXPECT_EQ(exceeds_memory(12 * gib, 24 * gib), std::nullopt);  // exactly half fits
  EXPECT_EQ(exceeds_memory(12.5 * gib, 24 * gib),
            "about 12.5 GiB, more than half of the 24.0 GiB of memory of this machine");
  EXPECT_EQ(exceeds_memory(1e30, 0), std::nullopt);  // memory unknown: nothing refused
  EXPECT_EQ(format_bytes(512), "512 bytes");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(64.0 * 1024 * gib), "64.0 TiB");
  EXPECT_GT(physical_memory_bytes(), 0.0);
}

}  // namespace
}  // namespace scorebench

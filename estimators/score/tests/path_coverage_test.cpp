// The kernel paths the `analytic` method records (kernels/path_coverage.hpp)
// against the paths a batch is built to take. `scorebench verify
// --require-coverage` trusts these counters to say which branches its cases
// exercised; a path recorded where it was not taken would let a sweep that
// never ran it pass. So each batch here must record exactly its paths: the
// ones it takes, and none of the others.
//
// The lane width G is the build's (simd::lanes<T>). The driver cuts a batch
// into chunks of 8 samples up to B = 256 and ⌈B/32⌉ beyond
// (kernel_driver.hpp); each chunk below holds a multiple of 16 samples, or
// one more, or one sample alone, so that the whole groups of any
// G ∈ {2, 4, 8, 16} end at the same sample and no narrower group runs.

#include "scorebench/kernels/path_coverage.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <set>
#include <string>

#include "scorebench/kernels/lane_forward_substitution.hpp"
#include "scorebench/methods/analytic/output_layout.hpp"
#include "test_support.hpp"

namespace scorebench::testing {
namespace {

using coverage::Path;
using Paths = std::set<std::string>;

std::string path_name(Path p) { return coverage::kPathNames[static_cast<size_t>(p)]; }

Paths names(std::initializer_list<Path> ps) {
  Paths out;
  for (Path p : ps) out.insert(path_name(p));
  return out;
}

// The paths whose counters moved while the method evaluated the batch.
template <typename T>
Paths paths_taken(const Batch<T>& batch, const Request<T>& request, Result<T>* result = nullptr) {
  const coverage::Recording recording;
  const auto before = coverage::snapshot();
  Result<T> r = registry().get("analytic").evaluate(batch, request);
  Paths out;
  for (const auto& [path, hits] : coverage::snapshot())
    if (hits != before.at(path)) out.insert(path);
  if (result) *result = std::move(r);
  return out;
}

template <typename T>
Batch<T> in_type(const Batch<double>& b) {
  if constexpr (std::is_same_v<T, float>)
    return to_float(b);
  else
    return b;
}

// B per-sample factors L of dimension d (or one shared).
template <typename T>
Batch<T> scale_tril_batch(Index d, Index n, bool shared = false) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(1000 * d + n));
  return in_type<T>(random_batch(Parameterization::scale_tril, d, n, 10, shared, rng).batch);
}

// The per-sample L paths of whole lane groups at dimension d, per-sample outputs.
template <typename T>
Paths lane_grads(Index d) {
  const bool whole_columns = d % simd::lanes<T> == 0;
  Paths out = names({Path::scale_tril_lanes_grads,
                     whole_columns ? Path::scale_tril_lanes_grad_columns : Path::scale_tril_lanes_grad_flat});
  if (whole_columns && d >= kernels::column_load_min_dim)
    out.insert(path_name(Path::scale_tril_lanes_column_load));
  return out;
}

Paths operator+(Paths a, const Paths& b) {
  a.insert(b.begin(), b.end());
  return a;
}

template <typename T>
class PathCoverage : public ::testing::Test {};
using Scalars = ::testing::Types<double, float>;
TYPED_TEST_SUITE(PathCoverage, Scalars);

// B = 512, chunks of 16: every sample in a whole lane group. No sample is
// left to the scalar kernel, so no scalar path (fixed or dynamic d, tail,
// streaming) may be recorded.
TYPED_TEST(PathCoverage, WholeGroupsRecordNoScalarPath) {
  using T = TypeParam;
  if (!simd::has_lanes<T>) GTEST_SKIP() << "no SIMD lanes for this type in this build";
  for (Index d : {5, 16, 20})
    EXPECT_EQ(paths_taken(scale_tril_batch<T>(d, 512), Request<T>{}), lane_grads<T>(d)) << "d = " << d;
  EXPECT_EQ(paths_taken(scale_tril_batch<T>(5, 512), Request<T>{Output::sum, {}, 1}),
            names({Path::scale_tril_lanes_sum}));
}

// The scalar kernel, fixed-size (d ≤ 8, 16) or dynamic-size (d = 20): for
// the sample after the whole groups of each chunk (B = 544, chunks of 17:
// a lane tail), and for a chunk of one sample (B = 17, chunks 8, 8 and 1:
// not a tail, no group ran in that chunk).
TYPED_TEST(PathCoverage, ScalarKernelAfterTheGroupsOrAlone) {
  using T = TypeParam;
  if (!simd::has_lanes<T>) GTEST_SKIP() << "no SIMD lanes for this type in this build";
  for (Index d : {5, 16, 20}) {
    const Paths kernel =
        names({d == 20 ? Path::scale_tril_scalar_dynamic_d : Path::scale_tril_scalar_fixed_d});
    EXPECT_EQ(paths_taken(scale_tril_batch<T>(d, 544), Request<T>{}),
              lane_grads<T>(d) + kernel + names({Path::scale_tril_scalar_tail}))
        << "d = " << d;
    EXPECT_EQ(paths_taken(scale_tril_batch<T>(d, 17), Request<T>{}), lane_grads<T>(d) + kernel)
        << "d = " << d;
  }
}

// A batch of one: the driver's checked one-sample path, the scalar kernel,
// no lane group and no tail after one.
TYPED_TEST(PathCoverage, OneSampleBatch) {
  using T = TypeParam;
  EXPECT_EQ(paths_taken(scale_tril_batch<T>(5, 1), Request<T>{}),
            names({Path::driver_one_sample, Path::scale_tril_scalar_fixed_d}));
}

// A NaN μ in every sample: every group is doubtful and each of its samples
// is named; no lane group is computed, so no lane path but `doubtful`.
TYPED_TEST(PathCoverage, DoubtfulGroupsRecordNoLanePath) {
  using T = TypeParam;
  if (!simd::has_lanes<T>) GTEST_SKIP() << "no SIMD lanes for this type in this build";
  Batch<T> batch = scale_tril_batch<T>(5, 512);
  batch.loc.row(2).setConstant(std::numeric_limits<T>::quiet_NaN());
  Result<T> result;
  EXPECT_EQ(paths_taken(batch, Request<T>{}, &result), names({Path::scale_tril_lanes_doubtful}));
  EXPECT_EQ(result.errors.size(), 512u);
}

// Two threads over more than one chunk; the same batch on one thread does
// not record the threads.
TYPED_TEST(PathCoverage, ThreadsAreRecordedOnlyWhenTheyRun) {
  using T = TypeParam;
  if (!simd::has_lanes<T>) GTEST_SKIP() << "no SIMD lanes for this type in this build";
  const Batch<T> batch = scale_tril_batch<T>(5, 512);  // 32 chunks of 16 samples
  EXPECT_EQ(paths_taken(batch, Request<T>{Output::grads, {}, 2}),
            lane_grads<T>(5) + names({Path::driver_threads}));
  EXPECT_EQ(paths_taken(batch, Request<T>{Output::grads, {}, 1}), lane_grads<T>(5));
}

// One shared L: the matrix-shape path of the whole batch; with a failing
// sample, the per-sample outputs of the shared factor instead. The sum's
// substitution runs 16 samples as whole strips of two packets where G ≤ 8,
// and as a tail alone where a strip is wider (f32 with AVX-512).
TYPED_TEST(PathCoverage, SharedFactor) {
  using T = TypeParam;
  Batch<T> batch = scale_tril_batch<T>(5, 16, true);
  EXPECT_EQ(paths_taken(batch, Request<T>{}), names({Path::shared_columns_grads}));
  const Index strip = kernels::kSubstitutionLanes * simd::lanes<T>;
  EXPECT_EQ(paths_taken(batch, Request<T>{Output::sum, {}, 1}),
            names({Path::shared_columns_sum, Path::shared_scale_tril_sum,
                   16 >= strip ? Path::shared_substitution_lanes : Path::shared_substitution_tail}));
  batch.action(0, 3) = std::numeric_limits<T>::infinity();
  EXPECT_EQ(paths_taken(batch, Request<T>{}), names({Path::scale_tril_shared_samples}));
}

// The shared sum's substitution: three samples (a tail alone; a strip is at least 4), a strip and a
// tail (B = 2·2G + 1), and d beyond one 64-column block.
TYPED_TEST(PathCoverage, SharedSubstitution) {
  using T = TypeParam;
  if (!simd::has_lanes<T>) GTEST_SKIP() << "no SIMD lanes for this type in this build";
  constexpr Index strip = kernels::kSubstitutionLanes * simd::lanes<T>;
  const Request<T> sum{Output::sum, {}, 1};
  const Paths always = names({Path::shared_columns_sum, Path::shared_scale_tril_sum});
  EXPECT_EQ(paths_taken(scale_tril_batch<T>(5, 3, true), sum),
            always + names({Path::shared_substitution_tail}));
  EXPECT_EQ(paths_taken(scale_tril_batch<T>(5, 2 * strip + 1, true), sum),
            always + names({Path::shared_substitution_lanes, Path::shared_substitution_tail}));
  EXPECT_EQ(paths_taken(scale_tril_batch<T>(65, strip, true), sum),
            always + names({Path::shared_substitution_lanes, Path::shared_substitution_blocks}));
}

// Per-sample Σ and Λ: whole groups in lanes (B = 512), and one more sample
// a chunk by the scalar kernel (B = 544).
TYPED_TEST(PathCoverage, SpdGroupsAndTail) {
  using T = TypeParam;
  if (!simd::has_lanes<T>) GTEST_SKIP() << "no SIMD lanes for this type in this build";
  for (auto [p, lanes] : {std::pair{Parameterization::covariance_matrix, Path::spd_lanes_covariance},
                          std::pair{Parameterization::precision_matrix, Path::spd_lanes_precision}}) {
    std::mt19937_64 rng(7);
    const Batch<T> whole = in_type<T>(random_batch(p, 5, 512, 10, false, rng).batch);
    const Batch<T> tail = in_type<T>(random_batch(p, 5, 544, 10, false, rng).batch);
    EXPECT_EQ(paths_taken(whole, Request<T>{}), names({lanes})) << name(p);
    EXPECT_EQ(paths_taken(whole, Request<T>{Output::sum, {}, 1}), names({lanes, Path::spd_lanes_sum}))
        << name(p);
    EXPECT_EQ(paths_taken(tail, Request<T>{}), names({lanes, Path::spd_scalar})) << name(p);
  }
}

// Outside a coverage::Recording no counter moves (a benchmark or a caller's
// call pays no locked add per hit); inside one, the same batch moves them.
TEST(PathCoverageRecording, CountsOnlyWhileARecordingLives) {
  const Batch<double> batch = scale_tril_batch<double>(5, 512);
  const Method& analytic = registry().get("analytic");
  const auto before = coverage::snapshot();
  analytic.evaluate(batch, Request<double>{});
  EXPECT_EQ(coverage::snapshot(), before);
  {
    const coverage::Recording recording;
    analytic.evaluate(batch, Request<double>{});
  }
  const auto recorded = coverage::snapshot();
  EXPECT_NE(recorded, before);
  analytic.evaluate(batch, Request<double>{});
  EXPECT_EQ(coverage::snapshot(), recorded);
}

// Beyond analytic::stream_bytes of per-sample ∇L the outputs are streamed:
// by the lanes when groups run, by the scalar kernel only when none does.
// d = 16 in double (2 KiB of ∇L a sample): B = 8200 is just beyond 16 MiB,
// in chunks of 257 (a tail of one sample in each).
TEST(PathCoverageStream, StreamedLanesOnlyWhenAGroupRuns) {
  using T = double;
  if (!simd::has_lanes<T>) GTEST_SKIP() << "no SIMD lanes for double in this build";
  const Index d = 16, n = 8200;
  Batch<T> batch = scale_tril_batch<T>(d, n);
  ASSERT_TRUE(analytic::streams_output(batch, false));
  const Paths scalar_tail =
      names({Path::scale_tril_scalar_fixed_d, Path::scale_tril_scalar_tail, Path::scale_tril_scalar_stream});
  EXPECT_EQ(paths_taken(batch, Request<T>{}),
            lane_grads<T>(d) + scalar_tail + names({Path::scale_tril_lanes_stream}));
  batch.loc.row(0).setConstant(std::numeric_limits<T>::quiet_NaN());
  Result<T> result;
  EXPECT_EQ(paths_taken(batch, Request<T>{}, &result),
            scalar_tail + names({Path::scale_tril_lanes_doubtful}));
  EXPECT_EQ(result.errors.size(), static_cast<size_t>(n));
}

}  // namespace
}  // namespace scorebench::testing

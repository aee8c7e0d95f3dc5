// The batch driver's threads and the fast analytic kernels: results do not
// depend on the thread count (bit for bit, the weighted sum included),
// failing samples are reported in order while the others are computed, and
// the fast kernels agree with the plain closed forms.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "scorebench/kernels/scale_tril.hpp"
#include "scorebench/kernels/thread_pool.hpp"
#include "scorebench/methods/analytic.hpp"
#include "scorebench/methods/analytic_reference.hpp"
#include "scorebench/registry.hpp"

namespace scorebench {
namespace {

template <typename T>
Batch<T> random_batch(Parameterization p, Index d, Index n, bool shared, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  Batch<T> b;
  b.parameterization = p;
  const Index blocks = shared ? 1 : n, cols = is_matrix(p) ? d : 1;
  b.param.resize(d, cols * blocks);
  for (Index k = 0; k < blocks; ++k) {
    Mat<double> l = Mat<double>::Zero(d, d);
    for (Index j = 0; j < d; ++j) {
      l(j, j) = 1 + std::abs(normal(rng)) / 2;
      for (Index i = j + 1; i < d; ++i) l(i, j) = normal(rng) / (2 * std::sqrt(double(d)));
    }
    Mat<double> a = l;
    if (p == Parameterization::covariance_matrix) a = l * l.transpose();
    if (p == Parameterization::precision_matrix) a = inverse_from_cholesky(l);
    if (p == Parameterization::scale_diag) a = l.diagonal();
    if (is_symmetric(p)) a = ((a + a.transpose()) / 2).eval();
    b.param.middleCols(k * cols, cols) = a.cast<T>();
  }
  b.loc = Mat<double>::NullaryExpr(d, n, [&] { return normal(rng); }).template cast<T>();
  b.action = Mat<double>::NullaryExpr(d, n, [&] { return 2 * normal(rng); }).template cast<T>();
  return b;
}

template <typename T>
void expect_identical(const Result<T>& a, const Result<T>& b) {
  // Bitwise: NaN entries compare through their bit patterns' positions.
  const auto same = [](const auto& x, const auto& y) {
    if (x.rows() != y.rows() || x.cols() != y.cols()) return false;
    for (Index i = 0; i < x.size(); ++i) {
      const T u = x.data()[i], v = y.data()[i];
      if (!(u == v || (std::isnan(u) && std::isnan(v)))) return false;
    }
    return true;
  };
  EXPECT_TRUE(same(a.log_prob, b.log_prob));
  EXPECT_TRUE(same(a.grad_loc, b.grad_loc));
  EXPECT_TRUE(same(a.grad_action, b.grad_action));
  EXPECT_TRUE(same(a.grad_param, b.grad_param));
  ASSERT_EQ(a.errors.size(), b.errors.size());
  for (size_t k = 0; k < a.errors.size(); ++k) {
    EXPECT_EQ(a.errors[k].sample, b.errors[k].sample);
    EXPECT_EQ(a.errors[k].message, b.errors[k].message);
  }
}

TEST(ThreadedDriver, ResultsAreBitIdenticalForAnyThreadCount) {
  for (const char* method : {"analytic", "cholesky_solve"})
    for (Parameterization p : kAllParameterizations)
      for (bool shared : {false, true})
        for (Output o : {Output::grads, Output::sum}) {
          SCOPED_TRACE(std::string(method) + " " + std::string(name(p)) +
                       (shared ? " shared " : " per-sample ") + name(o));
          const Batch<double> batch = random_batch<double>(p, 5, 700, shared, 7);
          Request<double> r;
          r.output = o;
          if (o == Output::sum) r.weights = Vec<double>::LinSpaced(700, -1, 2);
          const Result<double> one = registry().get(method).evaluate(batch, r);
          for (int t : {2, 3, 4}) {
            r.threads = t;
            expect_identical(one, registry().get(method).evaluate(batch, r));
          }
        }
}

TEST(ThreadedDriver, FailingSamplesAreReportedInOrderAndTheOthersComputed) {
  const Index n = 600, d = 4;
  Batch<double> batch = random_batch<double>(Parameterization::scale_tril, d, n, false, 3);
  batch.action(2, 550) = std::numeric_limits<double>::quiet_NaN();
  batch.param(1, 17 * d + 1) = -1;  // L(1,1) of sample 17
  batch.param(0, 301 * d + 2) = 5;  // above the diagonal of sample 301
  for (int t : {1, 2, 3}) {
    Request<double> r;
    r.threads = t;
    const Result<double> res = registry().get("analytic").evaluate(batch, r);
    ASSERT_EQ(res.errors.size(), 3u);
    EXPECT_EQ(res.errors[0].sample, 17);
    EXPECT_EQ(res.errors[1].sample, 301);
    EXPECT_EQ(res.errors[2].sample, 550);
    EXPECT_NE(res.errors[0].message.find("scale_tril(1,1)"), std::string::npos) << res.errors[0].message;
    EXPECT_NE(res.errors[2].message.find("action[2]"), std::string::npos) << res.errors[2].message;
    for (Index b : {17, 301, 550}) {
      EXPECT_TRUE(std::isnan(res.log_prob(b)));
      EXPECT_TRUE(res.grad_param_of(b).array().isNaN().all());
      EXPECT_TRUE(res.grad_loc.col(b).array().isNaN().all());
    }
    EXPECT_TRUE(std::isfinite(res.log_prob(18)));
    EXPECT_TRUE(res.grad_param_of(549).allFinite());

    // The sum leaves the failed samples out: it equals the sum over the others.
    r.output = Output::sum;
    r.weights = Vec<double>::Ones(n);
    for (Index b : {17, 301, 550}) r.weights(b) = 0;
    Batch<double> clean = batch;
    clean.action(2, 550) = 0;
    clean.param(1, 17 * d + 1) = 1;
    clean.param(0, 301 * d + 2) = 0;
    const Result<double> s = registry().get("analytic").evaluate(batch, Request<double>{Output::sum, {}, t});
    const Result<double> c = registry().get("analytic").evaluate(clean, r);
    EXPECT_EQ(s.errors.size(), 3u);
    EXPECT_NEAR(s.log_prob(0), c.log_prob(0), 1e-9 * std::abs(c.log_prob(0)));
    EXPECT_LE((s.grad_param - c.grad_param).norm(), 1e-10 * c.grad_param.norm());
  }
}

template <typename T>
void expect_fast_matches_reference(Parameterization p, Index d, bool shared, Output o) {
  SCOPED_TRACE(std::string(name(p)) + " d=" + std::to_string(d) + (shared ? " shared " : " per-sample ") +
               name(o) + (std::is_same_v<T, float> ? " f32" : " f64"));
  const Index n = 37;
  const Batch<T> batch = random_batch<T>(p, d, n, shared, static_cast<unsigned>(d));
  Request<T> r;
  r.output = o;
  if (o == Output::sum) r.weights = Vec<T>::LinSpaced(n, T(1) / T(2), T(3) / T(2));
  const Result<T> fast = run_kernel<AnalyticKernel<T>>("analytic", batch, r);
  const Result<T> ref = run_kernel<AnalyticReferenceKernel<T>>("analytic", batch, r);
  const double tol = 64.0 * double(d) * double(std::numeric_limits<T>::epsilon());
  const auto rel = [](const Mat<T>& a, const Mat<T>& b) {
    return double((a - b).norm()) / std::max(double(b.norm()), 1e-300);
  };
  EXPECT_LE(rel(fast.log_prob, ref.log_prob), tol);
  EXPECT_LE(rel(fast.grad_loc, ref.grad_loc), tol);
  EXPECT_LE(rel(fast.grad_action, ref.grad_action), tol);
  EXPECT_LE(rel(fast.grad_param, ref.grad_param), tol);
  if (p == Parameterization::scale_tril) {  // exactly zero above the diagonal
    for (Index b = 0; b < fast.grad_param.cols() / d; ++b)
      EXPECT_TRUE(
          (fast.grad_param_of(b).template triangularView<Eigen::StrictlyUpper>().toDenseMatrix().array() ==
           T(0))
              .all());
  }
}

TEST(AnalyticFastKernels, MatchTheReferenceClosedForms) {
  for (Index d : {1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 40})
    for (Parameterization p : kAllParameterizations)
      for (bool shared : {false, true})
        for (Output o : {Output::grads, Output::sum}) {
          expect_fast_matches_reference<double>(p, d, shared, o);
          expect_fast_matches_reference<float>(p, d, shared, o);
        }
}

// Bitwise-equal NaN positions, and the other entries within tol (relative).
template <typename A, typename B>
void expect_close_with_same_nans(const A& a, const B& b, double tol) {
  ASSERT_EQ(a.size(), b.size());
  for (Index i = 0; i < a.size(); ++i) {
    const double x = double(a.data()[i]), y = double(b.data()[i]);
    ASSERT_EQ(std::isnan(x), std::isnan(y)) << "entry " << i;
    if (std::isnan(y)) continue;
    if (!std::isfinite(y)) {
      EXPECT_EQ(x, y) << "entry " << i;
    } else {
      EXPECT_LE(std::abs(x - y), tol * std::max(1.0, std::abs(y))) << "entry " << i;
    }
  }
}

// The lane kernel (kernels/scale_tril_lanes.hpp) against the reference on the
// cases it must hand on or guard: a lane whose sample fails (the group's
// other lanes are still computed), diagonals whose product overflows or
// underflows (log det by sum_log), and a ∇L large enough (> 16 MiB) for
// streaming stores.
TEST(AnalyticLaneKernel, GroupsWithFailingOrExtremeLanesMatchTheReference) {
  struct Case {
    Index d, n;
  };
  // d = 72 is beyond the lane kernel: the scalar kernel, streaming its ∇L.
  for (const Case c : {Case{4, 23}, Case{8, 40}, Case{3, 17}, Case{32, 2100}, Case{72, 410}})
    for (Output o : {Output::grads, Output::sum}) {
      SCOPED_TRACE("d=" + std::to_string(c.d) + " n=" + std::to_string(c.n) + " " + name(o));
      Batch<double> batch = random_batch<double>(Parameterization::scale_tril, c.d, c.n, false, 11);
      const auto l = [&](Index b) { return batch.param.middleCols(b * c.d, c.d); };
      l(5)(c.d - 1, c.d - 1) = 0;                                    // fails: L(d−1,d−1) = 0
      batch.action(0, 9) = std::numeric_limits<double>::infinity();  // fails: action not finite
      l(1).diagonal().setConstant(1e200);                            // Π Lᵢᵢ overflows
      l(2) = Vec<double>::Constant(c.d, 1e-80).asDiagonal();         // Π Lᵢᵢ subnormal or 0
      Request<double> r;
      r.output = o;
      if (o == Output::sum) {
        r.weights = Vec<double>::LinSpaced(c.n, 0.5, 1.5);
        r.weights(1) = r.weights(2) = 0;  // their gradients are huge
      }
      const Result<double> fast = run_kernel<AnalyticKernel<double>>("analytic", batch, r);
      const Result<double> ref = run_kernel<AnalyticReferenceKernel<double>>("analytic", batch, r);
      ASSERT_EQ(fast.errors.size(), 2u);
      EXPECT_EQ(fast.errors[0].sample, 5);
      EXPECT_EQ(fast.errors[1].sample, 9);
      EXPECT_EQ(fast.errors[0].message, ref.errors[0].message);
      EXPECT_EQ(fast.errors[1].message, ref.errors[1].message);
      const double tol = 64.0 * double(c.d) * std::numeric_limits<double>::epsilon();
      expect_close_with_same_nans(fast.log_prob, ref.log_prob, tol);
      expect_close_with_same_nans(fast.grad_loc, ref.grad_loc, tol);
      if (o == Output::grads) {
        EXPECT_TRUE(std::isfinite(fast.log_prob(1)) && std::isfinite(fast.log_prob(2)));
        expect_close_with_same_nans(fast.grad_param, ref.grad_param, tol);
      }
    }
}

// The covariance/precision lane kernel (kernels/spd_lanes.hpp) against the
// reference: groups holding a sample that is not positive definite or whose
// action is not finite (the group's other samples are still computed), the
// groups' tails, and a gradient large enough (> 16 MiB) for streaming stores.
TEST(AnalyticSpdLanes, GroupsWithFailingSamplesMatchTheReference) {
  struct Case {
    Index d, n;
  };
  for (Parameterization p : {Parameterization::covariance_matrix, Parameterization::precision_matrix})
    for (const Case c : {Case{3, 13}, Case{8, 21}, Case{17, 30}, Case{64, 520}})
      for (Output o : {Output::grads, Output::sum}) {
        SCOPED_TRACE(std::string(name(p)) + " d=" + std::to_string(c.d) + " n=" + std::to_string(c.n) + " " +
                     name(o));
        Batch<double> batch = random_batch<double>(p, c.d, c.n, false, 5);
        batch.param.middleCols(5 * c.d, c.d) =
            -Mat<double>::Identity(c.d, c.d);                          // fails: not positive definite
        batch.param(c.d - 1, 6 * c.d + c.d - 1) = -1e-3;               // fails at the last pivot only
        batch.action(0, 9) = std::numeric_limits<double>::infinity();  // fails: action not finite
        Request<double> r;
        r.output = o;
        if (o == Output::sum) r.weights = Vec<double>::LinSpaced(c.n, 0.5, 1.5);
        const Result<double> fast = run_kernel<AnalyticKernel<double>>("analytic", batch, r);
        const Result<double> ref = run_kernel<AnalyticReferenceKernel<double>>("analytic", batch, r);
        ASSERT_EQ(ref.errors.size(), 3u);
        ASSERT_EQ(fast.errors.size(), 3u);
        for (size_t k = 0; k < 3; ++k) {
          EXPECT_EQ(fast.errors[k].sample, ref.errors[k].sample);
          EXPECT_EQ(fast.errors[k].message, ref.errors[k].message);
        }
        const double tol = 64.0 * double(c.d) * std::numeric_limits<double>::epsilon();
        expect_close_with_same_nans(fast.log_prob, ref.log_prob, tol);
        expect_close_with_same_nans(fast.grad_loc, ref.grad_loc, tol);
        expect_close_with_same_nans(fast.grad_action, ref.grad_action, tol);
        expect_close_with_same_nans(fast.grad_param, ref.grad_param, tol);
        if (o == Output::grads) {  // exactly symmetric
          for (Index b = 0; b < c.n; ++b) {
            if (b == 5 || b == 6 || b == 9) continue;
            EXPECT_TRUE(fast.grad_param_of(b) == fast.grad_param_of(b).transpose()) << "sample " << b;
          }
        }
      }
}

TEST(ThreadPool, RunsEveryIndexOnceAndPropagatesExceptions) {
  std::vector<int> hits(1000, 0);
  parallel_for(1000, 2, [&](Index i) { ++hits[static_cast<size_t>(i)]; });
  for (int h : hits) EXPECT_EQ(h, 1);
  // Nested calls run serially on the calling thread instead of deadlocking.
  std::vector<int> nested(64, 0);
  parallel_for(8, 2, [&](Index i) { parallel_for(8, 2, [&](Index j) { ++nested[size_t(i * 8 + j)]; }); });
  for (int h : nested) EXPECT_EQ(h, 1);
  EXPECT_THROW(parallel_for(100, 2,
                            [](Index i) {
                              if (i == 57) throw std::runtime_error("sample 57");
                            }),
               std::runtime_error);
}

}  // namespace
}  // namespace scorebench

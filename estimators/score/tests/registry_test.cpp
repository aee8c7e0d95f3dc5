// The registry: the six built-in methods in DESIGN §2 order, lookup errors
// that list the known names, duplicate and null registrations rejected, and
// a user's method found and evaluated like the built-in ones.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace scorebench::testing {
namespace {

using ::testing::HasSubstr;

TEST(Registry, HasTheSixBuiltinMethodsInOrder) {
  EXPECT_EQ(registry().names(), builtin_method_names());
  ASSERT_EQ(builtin_method_names().size(), 6u);
  EXPECT_EQ(builtin_method_names().front(), "analytic");
  for (const std::string& n : builtin_method_names()) {
    const Method* m = registry().find(n);
    ASSERT_NE(m, nullptr) << n;
    EXPECT_EQ(m->name(), n);
    EXPECT_FALSE(m->summary().empty()) << n;
    EXPECT_EQ(m->capabilities().requires_noise, n == "reparameterization") << n;
  }
}

TEST(Registry, AutodiffReverseAvailabilityFollowsTheBuild) {
  const Capabilities c = registry().get("autodiff_reverse").capabilities();
#ifdef SCOREBENCH_HAVE_TORCH
  EXPECT_TRUE(c.available);
#else
  EXPECT_FALSE(c.available);
  EXPECT_THAT(c.unavailable_reason, HasSubstr("libtorch"));
  try {
    registry().get("autodiff_reverse").evaluate(Batch<double>{}, Request<double>{});
    ADD_FAILURE() << "an unavailable method evaluated";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("method autodiff_reverse is unavailable"));
  }
  GTEST_SKIP() << "scorebench was built without libtorch: autodiff_reverse is left out of the comparisons";
#endif
}

TEST(Registry, UnknownNameListsKnownMethods) {
  EXPECT_EQ(registry().find("no_such_method"), nullptr);
  try {
    registry().get("no_such_method");
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown method 'no_such_method'"));
    EXPECT_THAT(e.what(), HasSubstr("(known: analytic, explicit_inverse, cholesky_solve, autodiff_forward, "
                                    "autodiff_reverse, reparameterization)"));
  }
}

// A user's kernel: the closed forms for scale_diag only, written here, and
// refusing the other parameterizations through factor().
template <typename T>
struct UserDiagonalKernel {
  using Scalar = T;
  static constexpr bool requires_noise = false;
  static constexpr KernelPaths paths{};  // factor() and sample() only
  struct Factor {
    Vec<T> sigma;
  };
  struct Workspace {
    explicit Workspace(Index) {}
  };
  static std::optional<std::string> factor(Parameterization p, const ConstMatRef<T>& a, Factor& f) {
    if (p != Parameterization::scale_diag) return std::string("user_diagonal supports scale_diag only");
    f.sigma = a.col(0);
    return std::nullopt;
  }
  static void sample(Parameterization, const Factor& f, const SampleInput<T>& in, SampleOutput<T>& out,
                     Workspace&) {
    using std::log;
    // ε = r/σ, log p = −½‖ε‖² − Σ log σ − (d/2) log 2π, w = ε/σ, ∇σ = (ε² − 1)/σ
    const Vec<T> eps = (in.action - in.loc).cwiseQuotient(f.sigma);
    out.log_prob = -eps.squaredNorm() / T(2) - f.sigma.array().log().sum() -
                   T(static_cast<T>(eps.size())) * half_log_two_pi<T>();
    out.grad_loc = eps.cwiseQuotient(f.sigma);
    out.grad_action = -out.grad_loc;
    out.grad_param.col(0) = (eps.array().square() - T(1)) / f.sigma.array();
  }
};

TEST(Registry, DuplicateAndNullAreRejected) {
  Registry local;
  local.add(std::make_unique<KernelMethod<UserDiagonalKernel>>("mine", "a user method"));
  try {
    local.add(std::make_unique<KernelMethod<UserDiagonalKernel>>("mine", "again"));
    ADD_FAILURE() << "duplicate accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("a method named 'mine' is already registered"));
  }
  EXPECT_EQ(local.names(), std::vector<std::string>{"mine"});
  EXPECT_THROW(local.add(nullptr), std::invalid_argument);
  EXPECT_THROW(registry().add(std::make_unique<KernelMethod<UserDiagonalKernel>>("analytic", "dup")),
               std::invalid_argument);
  EXPECT_EQ(registry().names(), builtin_method_names());
}

TEST(Registry, UserMethodIsFoundAndEvaluated) {
  registry().add(
      std::make_unique<KernelMethod<UserDiagonalKernel>>("user_diagonal", "closed forms, scale_diag"));
  const Method& user = registry().get("user_diagonal");
  EXPECT_EQ(registry().names().back(), "user_diagonal");
  std::mt19937_64 rng(8);
  const RandomBatch rb = random_batch(Parameterization::scale_diag, 5, 4, 100, /*shared=*/false, rng);
  for (Output o : {Output::grads, Output::sum}) {
    const Request<double> req{o, o == Output::sum ? Vec<double>::LinSpaced(4, -1, 1.5) : Vec<double>()};
    EXPECT_TRUE(results_agree(user.evaluate(rb.batch, req),
                              registry().get("analytic").evaluate(rb.batch, req),
                              error_bounds(rb, req, unit_roundoff<double>())))
        << name(o);
  }
  // The driver gives a user kernel the same validation and error reporting.
  Batch<double> bad = rb.batch;
  bad.param(2, 3) = -1;
  const Result<double> r = user.evaluate(bad, {});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "sample 3: scale_diag[2] = -1 is not positive (a scale must be > 0)");
  Batch<double> other = rb.batch;
  other.parameterization = Parameterization::scale_tril;
  other.param = Mat<double>::Identity(5, 5);
  try {
    user.evaluate(other, {});
    ADD_FAILURE() << "no exception";
  } catch (const std::domain_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("user_diagonal supports scale_diag only"));
  }
}

}  // namespace
}  // namespace scorebench::testing

#include "scorebench/verification/gate.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "scorebench/mutants.hpp"
#include "scorebench/registry.hpp"
#include "scorebench/verification/report_io.hpp"
#include "user_method.hpp"

namespace scorebench::verification {
namespace {

VerifyOptions small(Index max_dim) {
  VerifyOptions o;
  o.max_dim = max_dim;
  o.double_checks = false;
  return o;
}

std::vector<const Method*> available() {
  std::vector<const Method*> out;
  for (const Method* m : registry().methods())
    if (m->capabilities().available) out.push_back(m);
  return out;
}

TEST(Gate, AcceptsEveryBuiltInMethodOnSmallCases) {
  const VerifyReport r = run_verification(small(5), available());
  for (const std::string& v : r.violations) ADD_FAILURE() << v;
  EXPECT_GT(r.evaluations.size(), 1000u);
  size_t promised = 0;
  for (const Evaluation& e : r.evaluations) promised += e.promised;
  EXPECT_GT(promised, r.evaluations.size() / 2) << "most small cases are within contract";
  EXPECT_FALSE(r.reference_checks.empty());
}

// A user method is registered and then verified like the built-ins: nothing
// in the verification library names it.
TEST(Gate, VerifiesARegisteredUserMethodWithoutChangingVerificationCode) {
  if (!registry().find("user_ldlt"))
    registry().add(std::make_unique<KernelMethod<user::LdltKernel>>("user_ldlt", "Eigen LDLᵀ of Σ"));
  const Method& m = registry().get("user_ldlt");
  const VerifyReport r = run_verification(small(16), {&m});
  for (const std::string& v : r.violations) ADD_FAILURE() << v;
  ASSERT_FALSE(r.evaluations.empty());
  EXPECT_EQ(r.evaluations.front().method, "user_ldlt");
  EXPECT_EQ(r.evaluations.front().contract.route, Route::unknown) << "held to the default contract";
}

TEST(Gate, NamesMethodCaseBlockAndWorstEntryInAViolation) {
  const auto catalogue = mutant_catalogue();
  const Method* sign = nullptr;
  for (const auto& m : catalogue)
    if (m->name() == "mutant:grad_action_sign") sign = m.get();
  ASSERT_NE(sign, nullptr);
  VerifyOptions o = small(2);
  o.reference_checks = false;
  o.stop_at_first_violation = true;
  const VerifyReport r = run_verification(o, {sign});
  ASSERT_EQ(r.violations.size(), 1u);
  const std::string& v = r.violations.front();
  for (const char* part : {"mutant:grad_action_sign", "scale_tril", "f64", "d=1", "κ=1e+00",
                           "per_sample/grads", "grad_action: error", "worst entry sample", "vs reference"})
    EXPECT_NE(v.find(part), std::string::npos) << part << " not in: " << v;
  EXPECT_EQ(v.find("grad_loc:"), std::string::npos) << "only the wrong block is named: " << v;
}

// A batch with one invalid sample: a method that does not name it, or that
// refuses the whole batch for it, is rejected with the sample's evidence.
TEST(Gate, NamesTheInvalidSampleAMethodMishandles) {
  const auto catalogue = mutant_catalogue();
  VerifyOptions o = small(5);
  o.reference_checks = false;
  o.stop_at_first_violation = true;
  o.specs = invalid_sample_cases();
  for (auto& s : o.specs) s.seed = 99;
  const std::map<std::string, std::string> expected = {
      {"mutant:failure_unreported", "but is not among the result's failed samples"},
      {"mutant:batch_refused", "refused the whole batch, whose only invalid sample is "},
      {"mutant:failed_sample_zeroed", ", where it must be NaN"}};
  for (const auto& m : catalogue) {
    const auto it = expected.find(m->name());
    if (it == expected.end()) continue;
    const VerifyReport r = run_verification(o, {m.get()});
    ASSERT_EQ(r.violations.size(), 1u) << m->name();
    const std::string& v = r.violations.front();
    for (const std::string& part : {it->second, std::string("/invalid:"), std::string("of sample ")})
      EXPECT_NE(v.find(part), std::string::npos) << part << " not in: " << v;
  }
  // The correct method passes the same cases, in every mode.
  const VerifyReport ok = run_verification(o, {&registry().get("analytic")});
  for (const std::string& v : ok.violations) ADD_FAILURE() << v;
  EXPECT_EQ(ok.evaluations.size(), 4 * ok.cases.size());
}

TEST(Gate, JsonAndJunitCarryEveryCaseAndTheFailures) {
  const auto catalogue = mutant_catalogue();
  VerifyOptions o = small(2);
  o.reference_checks = false;
  const VerifyReport r = run_verification(o, {catalogue.front().get()});
  ASSERT_FALSE(r.ok());
  const auto j = to_json(r, nullptr);
  EXPECT_EQ(j["schema"], "scorebench.verify/1");
  EXPECT_EQ(j["cases"].size(), r.cases.size());
  EXPECT_EQ(j["results"].size(), r.evaluations.size());
  EXPECT_EQ(j["results"][0]["blocks"].size(), 4u);
  EXPECT_FALSE(j["ok"].get<bool>());
  EXPECT_EQ(j["violations"].size(), r.violations.size());
  std::ostringstream xml;
  write_junit(xml, r, nullptr);
  EXPECT_NE(xml.str().find("<testsuite name=\"verify.mutant:textbook_log_prob\""), std::string::npos);
  EXPECT_NE(xml.str().find("<failure message="), std::string::npos);
  EXPECT_EQ(xml.str().find("failures=\"0\""), std::string::npos);
}

// The gate must be able to fail: every mutant in the catalogue is rejected,
// and the block that exposed it is the one its bug breaks.
TEST(Mutants, EveryMutantIsKilledNamingTheBlock) {
  const auto catalogue = mutant_catalogue();
  ASSERT_GE(catalogue.size(), 10u);
  std::vector<const Method*> list;
  for (const auto& m : catalogue) list.push_back(m.get());
  const std::vector<MutantResult> results = run_mutants(VerifyOptions{}, list);
  ASSERT_EQ(results.size(), catalogue.size());
  std::map<std::string, std::string> blocks;
  for (const MutantResult& m : results) {
    EXPECT_TRUE(m.killed) << m.name << " survived: " << m.description;
    EXPECT_FALSE(m.blocks.empty()) << m.name;
    blocks[m.name] = m.blocks;
  }
  EXPECT_EQ(blocks["mutant:textbook_log_prob"], "log_prob");
  EXPECT_EQ(blocks["mutant:grad_action_sign"], "grad_action");
  EXPECT_EQ(blocks["mutant:missing_inverse_term"], "grad_covariance_matrix");
  EXPECT_EQ(blocks["mutant:symmetric_factor_two"], "grad_covariance_matrix");
  EXPECT_EQ(blocks["mutant:precision_chain_rule"], "grad_precision_matrix");
  EXPECT_EQ(blocks["mutant:missing_tril"], "grad_scale_tril");
  // Failures inside a batch (the invalid-sample cases): not named, not NaN,
  // or the whole batch refused.
  EXPECT_EQ(blocks["mutant:failure_unreported"], "(errors)");
  EXPECT_EQ(blocks["mutant:failed_sample_zeroed"], "log_prob,grad_loc,grad_action,grad_scale_tril");
  EXPECT_EQ(blocks["mutant:batch_refused"], "(refused)");
}

}  // namespace
}  // namespace scorebench::verification

// The certified case set (case_set.hpp): its lines are protocol requests, an
// adapter's stdout on them is an answers file, and check_answers names every
// fault of an answers file, or refuses input that is not JSON Lines, without
// crashing on any of it.

#include "scorebench/verification/case_set.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "scorebench/registry.hpp"
#include "scorebench/verification/external_protocol.hpp"
#include "scorebench/verification/serve.hpp"

namespace scorebench::verification {
namespace {

// One small case of each dtype: 2 cases × 4 modes.
CasesOptions two_cases() {
  CasesOptions o;
  o.specs = {parse_case_id("covariance_matrix/f64/d:2/kappa:1e+02/bulk/B:3/weights:mixed/seed:7"),
             parse_case_id("scale_tril/f32/d:3/kappa:1e+04/tail/B:2/weights:centred/seed:8")};
  return o;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

struct Fixture {
  std::string cases;    // the cases file
  std::string answers;  // analytic's answers, served, its hello first
};

Fixture make_fixture() {
  Fixture f;
  std::ostringstream cases;
  const CasesSummary s = write_cases(cases, two_cases());
  EXPECT_EQ(s.lines, 8u);
  f.cases = cases.str();
  // The case lines, fed to serve() as they are: each is a valid request.
  std::vector<std::string> lines = lines_of(f.cases);
  lines.erase(lines.begin());
  std::istringstream requests(join(lines));
  std::ostringstream answers;
  const Method* analytic = registry().find("analytic");
  EXPECT_NE(analytic, nullptr);
  ServeOptions so;
  so.name = "served";
  EXPECT_EQ(serve(*analytic, so, requests, answers), 0);
  f.answers = answers.str();
  return f;
}

VerifyReport check(const std::string& cases, const std::string& answers) {
  std::istringstream c(cases), a(answers);
  return check_answers(c, a, CheckOptions{});
}

bool any_contains(const std::vector<std::string>& v, const std::string& what) {
  for (const std::string& s : v)
    if (s.find(what) != std::string::npos) return true;
  return false;
}

TEST(CaseSet, HeaderStatesSchemaSweepFormulaAndCounts) {
  const Fixture f = make_fixture();
  const nlohmann::json h = nlohmann::json::parse(lines_of(f.cases).front());
  EXPECT_EQ(h["schema"], kCasesSchema);
  EXPECT_EQ(h["lines"], 8);
  EXPECT_EQ(h["bound"], "c * u * ((a*d + b + B) * kappa^p + e*d + f) * rho");
  EXPECT_TRUE(h["counts"]["unknown"]["covariance_matrix"]["blocks"].contains("grad_covariance_matrix"));
}

TEST(CaseSet, LinesCarryReferencesAsStringsAndDoublesAndTheBound) {
  const Fixture f = make_fixture();
  const nlohmann::json l = nlohmann::json::parse(lines_of(f.cases)[1]);
  EXPECT_EQ(l["id"], 1);
  EXPECT_EQ(l["mode"], "per_sample/grads");
  ASSERT_EQ(l["reference"]["log_prob"].size(), 3u);
  const std::string s = l["reference"]["log_prob"][0];
  EXPECT_GE(s.size(), 20u) << s;
  EXPECT_DOUBLE_EQ(std::stod(s), l["reference_double"]["log_prob"][0].get<double>());
  EXPECT_TRUE(l["bound"]["blocks"]["grad_covariance_matrix"]["rho"].get<double>() >= 1);
  EXPECT_TRUE(l["bound"]["promised"].get<bool>());
}

TEST(CaseSet, ServedAnswersPass) {
  const Fixture f = make_fixture();
  const VerifyReport r = check(f.cases, f.answers);
  EXPECT_TRUE(r.ok()) << (r.violations.empty() ? "" : r.violations.front());
  EXPECT_EQ(r.evaluations.size(), 8u);
  EXPECT_EQ(r.methods, std::vector<std::string>{"external.served"});
  // The double case within contract; the float one at κ = 1e4 beyond what
  // the default contract (route unknown) promises in float: measured only.
  for (const Evaluation& e : r.evaluations)
    EXPECT_EQ(e.status, r.cases[e.case_index].spec.dtype == Dtype::f64 ? Status::ok : Status::beyond_contract)
        << e.message;
}

TEST(CaseSet, MissingAnswerIsNamed) {
  const Fixture f = make_fixture();
  std::vector<std::string> a = lines_of(f.answers);
  a.erase(a.begin() + 3);  // the answer to request 3
  const VerifyReport r = check(f.cases, join(a));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(any_contains(r.violations, "external.served: missing: request 3")) << r.violations.front();
  EXPECT_EQ(r.violations.size(), 1u);
}

TEST(CaseSet, DuplicateAnswerIsNamedWithItsLines) {
  const Fixture f = make_fixture();
  std::vector<std::string> a = lines_of(f.answers);
  a.push_back(a[2]);  // request 2 again, as line 10
  const VerifyReport r = check(f.cases, join(a));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(any_contains(r.violations, "duplicate: request 2")) << r.violations.front();
  EXPECT_TRUE(any_contains(r.violations, "lines 3, 10")) << r.violations.front();
}

TEST(CaseSet, ExtraAnswerAndLineWithoutIdAreFindings) {
  const Fixture f = make_fixture();
  const VerifyReport r =
      check(f.cases, f.answers + "{\"id\": 99, \"log_prob\": [0]}\n{\"id\": -1}\n{\"id\": \"1\"}\n[1, 2]\n");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.answer_findings.size(), 4u);
  EXPECT_TRUE(any_contains(r.answer_findings, "line 10: an answer to request 99, which is no case line"));
  EXPECT_TRUE(any_contains(r.answer_findings, "line 11 has no whole-number \"id\" (-1)"));
  EXPECT_TRUE(any_contains(r.answer_findings, "line 12 has no whole-number \"id\""));
  EXPECT_TRUE(any_contains(r.answer_findings, "line 13 is not a JSON object"));
  EXPECT_EQ(r.evaluations.size(), 8u);
}

TEST(CaseSet, WrongShapeAndWrongTypeAreFaultsOfTheirRequest) {
  const Fixture f = make_fixture();
  std::vector<std::string> a = lines_of(f.answers);
  a[1] = R"({"id":1,"log_prob":[0,0],"grad_loc":[[0,0],[0,0],[0,0]],"grad_action":[[0,0],[0,0],[0,0]],)"
         R"("grad_covariance_matrix":[[[0,0],[0,0]],[[0,0],[0,0]],[[0,0],[0,0]]]})";
  a[2] = R"({"id":2,"log_prob":"abc","grad_loc":true,"grad_action":null,"grad_covariance_matrix":{}})";
  const VerifyReport r = check(f.cases, join(a));
  EXPECT_TRUE(any_contains(r.violations, "wrong_shape: request 1")) << r.violations.front();
  EXPECT_TRUE(any_contains(r.violations, "log_prob has 2 entries; the request needs 3"));
  EXPECT_TRUE(any_contains(r.violations, "wrong_shape: request 2"));
  EXPECT_EQ(r.violations.size(), 2u);
}

TEST(CaseSet, RefusalIsAViolationWhereAccuracyIsPromised) {
  const Fixture f = make_fixture();
  std::vector<std::string> a = lines_of(f.answers);
  a[4] = R"({"id":4,"error":"not today"})";
  const VerifyReport r = check(f.cases, join(a));
  EXPECT_TRUE(any_contains(r.violations,
                           "refused a valid case: threw: external.served refused request 4: not today"));
}

TEST(CaseSet, UncoveredLinesAreNotExpected) {
  const Fixture f = make_fixture();
  std::vector<std::string> a = lines_of(f.answers);
  // A hello that declares double only: the float case's lines are not graded.
  a[0] =
      R"({"protocol":"scorebench.external/1","name":"f64only","parameterizations":["covariance_matrix","scale_tril"],"dtypes":["double"]})";
  a.resize(5);  // the float case's answers are gone too
  const VerifyReport r = check(f.cases, join(a));
  EXPECT_TRUE(r.ok()) << (r.violations.empty() ? "" : r.violations.front());
  EXPECT_EQ(r.evaluations.size(), 4u);
  EXPECT_EQ(r.methods, std::vector<std::string>{"external.f64only"});
}

void expect_input_error(const std::string& cases, const std::string& answers, const std::string& what) {
  try {
    check(cases, answers);
    ADD_FAILURE() << "no CheckInputError; expected one naming " << what;
  } catch (const CheckInputError& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(CaseSet, AnswersThatAreNotJsonLinesAreInputErrorsWithTheLine) {
  const Fixture f = make_fixture();
  std::vector<std::string> a = lines_of(f.answers);
  a.insert(a.begin() + 4, "this is a log line");
  expect_input_error(f.cases, join(a), "answers line 5: not JSON");
  expect_input_error(f.cases, f.answers + R"({"id": 1, "log_prob": [1e400]})" + "\n",
                     "answers line 10: not JSON");
  expect_input_error(f.cases, f.answers + R"({"id": 1, "log_prob": [)" + "\n", "answers line 10");
  expect_input_error(f.cases, f.answers + std::string(1000000, '[') + "\n", "answers line 10");
  expect_input_error(f.cases, f.answers + "{\"id\": 1, \"x\": \"\xff\xfe\"}\n", "answers line 10");
  // A hello of another protocol.
  std::vector<std::string> b = lines_of(f.answers);
  b[0] =
      R"({"protocol":"scorebench.external/9","name":"x","parameterizations":["scale_tril"],"dtypes":["double"]})";
  expect_input_error(f.cases, join(b), "answers line 1");
}

TEST(CaseSet, CasesThatAreNotACaseSetAreInputErrors) {
  const Fixture f = make_fixture();
  expect_input_error("", f.answers, "empty");
  expect_input_error(f.answers, f.answers, "line 1: schema \"\"");
  expect_input_error("{\"schema\": 1}\n", f.answers, "cases line 1");
  expect_input_error("[]\n", f.answers, "cases line 1 is not a JSON object");
  expect_input_error("1e400\n", f.answers, "cases line 1");
  std::vector<std::string> c = lines_of(f.cases);
  c.resize(6);
  expect_input_error(join(c), f.answers, "5 case lines; its header says 8");
  c = lines_of(f.cases);
  c[3] = R"({"id": 3, "case": "no/such/case", "mode": "per_sample/grads", "sweep_index": 0})";
  expect_input_error(join(c), f.answers, "cases line 4");
  c = lines_of(f.cases);
  c[3] =
      R"({"id": 3, "case": "covariance_matrix/f64/d:2/kappa:1e+02/bulk/B:3/weights:mixed/seed:7", "mode": "both", "sweep_index": 0})";
  expect_input_error(join(c), f.answers, "cases line 4: no \"mode\"");
  c = lines_of(f.cases);
  c[3] = c[2];
  expect_input_error(join(c), f.answers, "cases line 4: request id 2 repeated");
}

TEST(ScanTopLevel, ReadsScalarsSkipsContainersAndRefusesNonJson) {
  const TopLevelScalars s = scan_top_level(R"({"id": 3, "a": [1, {"id": 4}], "case": "x", "o": {"id": 5}})");
  EXPECT_TRUE(s.object);
  ASSERT_NE(s.find("id"), nullptr);
  EXPECT_EQ(*s.find("id"), 3);
  EXPECT_EQ(*s.find("case"), "x");
  EXPECT_EQ(s.find("a"), nullptr);
  EXPECT_FALSE(scan_top_level("[1, 2]").object);
  EXPECT_FALSE(scan_top_level("7").object);
  EXPECT_THROW(scan_top_level(""), std::invalid_argument);
  EXPECT_THROW(scan_top_level("{\"id\": 1e400}"), std::invalid_argument);
  EXPECT_THROW(scan_top_level("{\"id\": 1} trailing"), std::invalid_argument);
  EXPECT_THROW(scan_top_level("NaN"), std::invalid_argument);
  // Deep nesting: the scan keeps no stack of its own.
  const std::string deep = "{\"id\": 1, \"x\": " + std::string(200000, '[') + std::string(200000, ']') + "}";
  EXPECT_EQ(*scan_top_level(deep).find("id"), 1);
}

}  // namespace
}  // namespace scorebench::verification

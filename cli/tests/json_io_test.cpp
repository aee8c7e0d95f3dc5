// json_io and evaluate_cases as a library (scorebench_cli_commands): cases
// parsed into batches (matrices read as lists of rows), every malformed case
// rejected with std::invalid_argument naming the key, results written as
// lists of rows, and dump_readable's output parsing back to the same
// document, numbers bit for bit.

#include "json_io.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "eval_command.hpp"
#include "scorebench/registry.hpp"

namespace scorebench::cli {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using ::testing::HasSubstr;

using CaseAndMessage = std::vector<std::pair<std::string, std::string>>;

// Each case text is rejected by batch_from_case<T> with std::invalid_argument
// whose message contains the given words.
template <typename T>
void expect_each_rejected(const CaseAndMessage& cases) {
  for (const auto& [text, message] : cases) {
    try {
      batch_from_case<T>(json::parse(text));
      ADD_FAILURE() << text << ": accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr(message)) << text;
    }
  }
}

TEST(BatchFromCase, ReadsEveryParameterizationAsRows) {
  const Batch<double> t = batch_from_case<double>(
      json::parse(R"({"loc": [1, 2], "action": [3, 4], "scale_tril": [[2, 0], [0.5, 1.5]]})"));
  EXPECT_EQ(t.parameterization, Parameterization::scale_tril);
  EXPECT_EQ(t.loc, (Mat<double>(2, 1) << 1, 2).finished());
  EXPECT_EQ(t.action, (Mat<double>(2, 1) << 3, 4).finished());
  EXPECT_EQ(t.noise.size(), 0);
  EXPECT_EQ(t.param, (Mat<double>(2, 2) << 2, 0, 0.5, 1.5).finished());  // row i of the JSON is row i

  const Batch<float> c = batch_from_case<float>(
      json::parse(R"({"loc": [1, 2], "noise": [0.5, -1], "covariance_matrix": [[4, 1], [1, 2.5]]})"));
  EXPECT_EQ(c.parameterization, Parameterization::covariance_matrix);
  EXPECT_EQ(c.action.size(), 0);
  EXPECT_EQ(c.noise, (Mat<float>(2, 1) << 0.5f, -1.f).finished());
  EXPECT_EQ(c.param(1, 1), 2.5f);

  const Batch<double> p =
      batch_from_case<double>(json::parse(R"({"loc": [0], "action": [1], "precision_matrix": [[0.25]]})"));
  EXPECT_EQ(p.parameterization, Parameterization::precision_matrix);
  EXPECT_EQ(p.param(0, 0), 0.25);

  const Batch<double> s = batch_from_case<double>(
      json::parse(R"({"loc": [0, 0, 0], "action": [1, 2, 3], "scale_diag": [1, 2, 3]})"));
  EXPECT_EQ(s.parameterization, Parameterization::scale_diag);
  EXPECT_EQ(s.param.rows(), 3);
  EXPECT_EQ(s.param.cols(), 1);
  EXPECT_EQ(s.param(2, 0), 3);
}

TEST(BatchFromCase, MalformedCasesNameTheKey) {
  const CaseAndMessage cases = {
      {R"([1, 2])", "a case must be a JSON object"},
      {R"({"action": [1], "scale_diag": [1]})", "missing key 'loc'"},
      {R"({"loc": 1, "action": [1], "scale_diag": [1]})", "loc must be a list of numbers"},
      {R"({"loc": [1, "x"], "action": [1, 2], "scale_diag": [1, 1]})", "loc[1] is not a number: \"x\""},
      {R"({"loc": [1, true], "action": [1, 2], "scale_diag": [1, 1]})", "loc[1] is not a number: true"},
      {R"({"loc": [], "action": [], "scale_diag": []})", "loc is empty: d must be at least 1"},
      {R"({"loc": [1], "scale_diag": [1]})", "a case needs exactly one of 'action' and 'noise'"},
      {R"({"loc": [1], "action": [1], "noise": [1], "scale_diag": [1]})",
       "a case needs exactly one of 'action' and 'noise'"},
      {R"({"loc": [1, 2], "action": [1, 2, 3], "scale_diag": [1, 1]})", "action has 3 numbers but loc has 2"},
      {R"({"loc": [1, 2], "noise": [1], "scale_diag": [1, 1]})", "noise has 1 numbers but loc has 2"},
      {R"({"loc": [1, 2], "action": [1, 2], "scale_tril": [[1, 0]]})",
       "scale_tril must be a list of 2 rows (d = 2 from loc)"},
      {R"({"loc": [1, 2], "action": [1, 2], "scale_tril": [1, 2]})",
       "scale_tril[0] must be a list of numbers"},
      {R"({"loc": [1, 2], "action": [1, 2], "covariance_matrix": [[1, 0], [0]]})",
       "covariance_matrix[1] has 1 numbers; expected d = 2"},
      {R"({"loc": [1, 2], "action": [1, 2], "precision_matrix": [[1, null], [0, 1]]})",
       "precision_matrix[0][1] is not a number: null"},
      {R"({"loc": [1, 2], "action": [1, 2], "scale_diag": [1]})", "scale_diag has 1 numbers but loc has 2"},
      {R"({"loc": [1], "action": [1]})", "(found 0)"},
      {R"({"loc": [1], "action": [1], "scale_diag": [1], "scale_tril": [[1]]})", "(found 2)"},
  };
  expect_each_rejected<double>(cases);
}

// A double beyond float's range is named, not turned into inf by an
// undefined conversion; in double it is read as given.
TEST(BatchFromCase, FloatOverflowIsNamed) {
  const CaseAndMessage cases = {
      {R"({"loc": [1e300], "action": [1], "scale_diag": [1]})",
       "loc[0] = 1e+300 is out of the range of float"},
      {R"({"loc": [0, 0], "noise": [1, -4e38], "scale_diag": [1, 1]})",
       "noise[1] = -4e+38 is out of the range of float"},
      {R"({"loc": [0, 0], "action": [1, 1], "covariance_matrix": [[1, 0], [1e39, 1]]})",
       "covariance_matrix[1][0] = 1e+39 is out of the range of float"},
      {R"({"loc": [0, 0], "action": [1, 1], "scale_diag": [1, 1e100]})",
       "scale_diag[1] = 1e+100 is out of the range of float"},
  };
  expect_each_rejected<float>(cases);
  for (const auto& [text, message] : cases)
    EXPECT_NO_THROW(batch_from_case<double>(json::parse(text))) << text;
  EXPECT_EQ(
      batch_from_case<float>(json::parse(R"({"loc": [3e38], "action": [1], "scale_diag": [1]})")).loc(0, 0),
      3e38f);
}

TEST(JsonFromResult, WritesMatricesAsListsOfRowsInKeyOrder) {
  Result<double> r = make_result<double>(Parameterization::scale_tril, Output::grads, 2, 1);
  r.log_prob(0) = -1.5;
  r.grad_loc.col(0) << 0.25, -0.5;
  r.grad_action.col(0) << -0.25, 0.5;
  r.grad_param << 1, 0, 2, 3;  // (1,0) = 2 below the diagonal
  const ordered_json j = json_from_result(r);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"log_prob", "grad_loc", "grad_action", "grad_scale_tril"}));
  EXPECT_EQ(j["grad_scale_tril"], ordered_json::parse("[[1.0, 0.0], [2.0, 3.0]]"));
  EXPECT_EQ(j["grad_loc"], ordered_json::parse("[0.25, -0.5]"));

  Result<float> d = make_result<float>(Parameterization::scale_diag, Output::grads, 3, 1);
  d.log_prob(0) = 0.1f;
  d.grad_loc.setZero();
  d.grad_action.setZero();
  d.grad_param << 1.f / 3, 2, 3;
  const ordered_json jd = json_from_result(d);
  EXPECT_EQ(jd["log_prob"].get<double>(), static_cast<double>(0.1f));  // the float, widened exactly
  EXPECT_EQ(jd["grad_scale_diag"].size(), 3u);
  EXPECT_EQ(jd["grad_scale_diag"][0].get<double>(), static_cast<double>(1.f / 3));
}

TEST(DumpReadable, ParsesBackBitForBitWithListsOnOneLine) {
  const double values[] = {0.1,
                           1.0 / 3,
                           -2.0 / 3,
                           1e-300,
                           std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::max(),
                           -0.0,
                           123456789.123456789,
                           std::nextafter(1.0, 2.0)};
  ordered_json doc;
  doc["method"] = "analytic";
  doc["values"] = ordered_json::array();
  for (double v : values) doc["values"].push_back(v);
  doc["matrix"] = ordered_json::parse("[[1.5, 0.0], [2.25, -3.0]]");
  doc["empty"] = ordered_json::array();
  doc["nested"] = {{"error", "a \"quoted\" message"}};
  const std::string text = dump_readable(doc);
  EXPECT_EQ(text.back(), '\n');
  const ordered_json back = ordered_json::parse(text);
  EXPECT_EQ(back, doc);
  for (size_t k = 0; k < std::size(values); ++k) {
    const double parsed = back["values"][k].get<double>();
    EXPECT_EQ(std::memcmp(&parsed, &values[k], sizeof(double)), 0) << values[k];
  }
  // A list of numbers is one line; a matrix is one row a line.
  std::istringstream lines(text);
  std::string line;
  int matrix_rows = 0;
  while (std::getline(lines, line)) {
    if (line.find("\"values\"") != std::string::npos) {
      EXPECT_NE(line.find(']'), std::string::npos) << line;
    }
    if (line.find("[1.5, 0.0]") != std::string::npos || line.find("[2.25, -3.0]") != std::string::npos)
      ++matrix_rows;
  }
  EXPECT_EQ(matrix_rows, 2) << text;
}

TEST(EvaluateCases, RejectsUnusableInputWithInvalidArgument) {
  bool failed = false;
  for (const char* bad : {"[]", "{}", R"({"cases": 3})", R"({"cases": {}})"})
    EXPECT_THROW(evaluate_cases("analytic", "double", json::parse(bad), failed), std::invalid_argument)
        << bad;
  try {
    evaluate_cases("nope", "double", json::parse(R"({"cases": []})"), failed);
    ADD_FAILURE() << "unknown method accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown method 'nope' (known: analytic"));
  }
}

TEST(EvaluateCases, FailedCaseIsAnErrorEntryWithoutSamplePrefix) {
  bool failed = false;
  const ordered_json out = evaluate_cases("explicit_inverse", "double", json::parse(R"({"cases": [
      {"loc": [0, 0], "action": [1, 1], "precision_matrix": [[1, 2], [2, 1]]},
      {"loc": [0], "action": [1], "scale_diag": [0.5]}]})"),
                                          failed);
  EXPECT_TRUE(failed);
  EXPECT_EQ(out["results"][0]["error"],
            "precision_matrix is not positive definite: Cholesky pivot 1 is -3 (must be > 0)");
  // d = 1, r = 1, σ = 1/2: ε = 2, ∇σ = (ε² − 1)/σ = 6, w = ε/σ = 4.
  EXPECT_NEAR(out["results"][1]["grad_scale_diag"][0].get<double>(), 6.0, 1e-14);
  EXPECT_NEAR(out["results"][1]["grad_loc"][0].get<double>(), 4.0, 1e-14);
  bool none_failed = true;
  evaluate_cases("analytic", "float",
                 json::parse(R"({"cases": [{"loc": [0], "action": [1], "scale_diag": [1]}]})"), none_failed);
  EXPECT_FALSE(none_failed);
}

}  // namespace
}  // namespace scorebench::cli

// The external protocol (external_protocol.hpp) and its child processes
// (external_method.hpp): exact numbers both ways, and every fault of a child
// named, with evidence, the child cleaned up and the next request served.
//
// The adapters are Python scripts of the standard library
// (tests/adapters/reference_adapter.py); SCOREBENCH_PYTHON and
// SCOREBENCH_REFERENCE_ADAPTER come from CMake.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "scorebench/registry.hpp"
#include "scorebench/verification/external_method.hpp"
#include "scorebench/verification/gate.hpp"

namespace scorebench::verification {
namespace {

Batch<double> small_batch(Parameterization p = Parameterization::covariance_matrix, Index d = 2,
                          Index n = 3) {
  Batch<double> b;
  b.parameterization = p;
  b.loc = Mat<double>::Zero(d, n);
  b.action = Mat<double>::Constant(d, n, 0.5);
  for (Index j = 0; j < n; ++j) b.action(0, j) = 0.1 * static_cast<double>(j + 1);
  b.param = Mat<double>(d, d * n);
  for (Index j = 0; j < n; ++j)
    b.param.middleCols(j * d, d) = Mat<double>::Identity(d, d) * (1.0 + static_cast<double>(j));
  return b;
}

double random_double(std::mt19937_64& rng) {
  double x;
  do {
    const std::uint64_t bits = rng();
    std::memcpy(&x, &bits, sizeof x);
  } while (!std::isfinite(x));
  return x;
}

TEST(ExternalProtocol, DoublesRoundTripExactlyThroughRequestAndAnswer) {
  std::mt19937_64 rng(14);
  for (int trial = 0; trial < 200; ++trial) {
    Batch<double> b = small_batch(Parameterization::scale_diag, 3, 2);
    b.param.resize(3, 2);
    for (Index i = 0; i < b.loc.size(); ++i) b.loc(i) = random_double(rng);
    for (Index i = 0; i < b.param.size(); ++i) b.param(i) = random_double(rng);
    b.loc(0) = trial == 0 ? std::numeric_limits<double>::denorm_min() : b.loc(0);
    b.loc(1) = trial == 0 ? -std::numeric_limits<double>::max() : b.loc(1);
    const nlohmann::json req = nlohmann::json::parse(score_request(7, b, Request<double>{}));
    for (Index j = 0; j < 2; ++j)
      for (Index i = 0; i < 3; ++i) {
        ASSERT_EQ(req["loc"][static_cast<size_t>(j)][static_cast<size_t>(i)].get<double>(), b.loc(i, j));
        ASSERT_EQ(req["scale_diag"][static_cast<size_t>(j)][static_cast<size_t>(i)].get<double>(),
                  b.param(i, j));
      }
    // The answer side: numbers written as the protocol writes them read back to the same bits.
    std::string answer = "{\"id\":7,\"log_prob\":[";
    append_number(answer, b.loc(0, 0));
    answer += ",";
    append_number(answer, b.loc(1, 0));
    answer += "],\"grad_loc\":[";
    for (Index k = 0; k < 2; ++k) {
      answer += k ? ",[" : "[";
      for (Index i = 0; i < 3; ++i) {
        if (i) answer += ",";
        append_number(answer, b.param(i, k));
      }
      answer += "]";
    }
    answer += "],\"grad_action\":[[1,2,3],[4,5,6]],\"grad_scale_diag\":[[1,2,3],[4,5,6]]}";
    std::optional<std::string> refusal;
    const Result<double> r = parse_score_answer(answer, 7, b, Request<double>{}, refusal);
    ASSERT_FALSE(refusal);
    EXPECT_EQ(r.log_prob(0), b.loc(0, 0));
    EXPECT_EQ(r.log_prob(1), b.loc(1, 0));
    EXPECT_EQ(r.grad_loc, b.param);
  }
}

TEST(ExternalProtocol, NonFiniteNumbersAreTheStringsNaNAndInfinity) {
  std::string s;
  append_number(s, std::numeric_limits<double>::quiet_NaN());
  append_number(s, std::numeric_limits<double>::infinity());
  append_number(s, -std::numeric_limits<double>::infinity());
  append_number(s, 0.1);
  EXPECT_EQ(s, "\"NaN\"\"Infinity\"\"-Infinity\"0.10000000000000001");
  // Read back: a failed sample may carry them; a sample not declared failed may not.
  const Batch<double> b = small_batch(Parameterization::scale_diag, 1, 2);
  Batch<double> diag = b;
  diag.param = Mat<double>::Ones(1, 2);
  const std::string ok =
      R"({"id":1,"log_prob":["NaN",-1],"grad_loc":[["Infinity"],[1]],"grad_action":[["-Infinity"],[1]],)"
      R"("grad_scale_diag":[["NaN"],[1]],"errors":[{"sample":0,"message":"scale is 0"}]})";
  std::optional<std::string> refusal;
  const Result<double> r = parse_score_answer(ok, 1, diag, Request<double>{}, refusal);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "scale is 0");
  EXPECT_TRUE(std::isnan(r.log_prob(0)));
  EXPECT_EQ(r.log_prob(1), -1);
  const std::string bad = R"({"id":1,"log_prob":[0,-1],"grad_loc":[[1],[1]],"grad_action":[[1],[1]],)"
                          R"("grad_scale_diag":[["Infinity"],[1]]})";
  try {
    parse_score_answer(bad, 1, diag, Request<double>{}, refusal);
    FAIL() << "a non-finite gradient without an error was accepted";
  } catch (const ExternalFault& e) {
    EXPECT_EQ(e.fault, Fault::non_finite);
    EXPECT_NE(std::string(e.what()).find("grad_scale_diag[0]"), std::string::npos) << e.what();
  }
}

Fault fault_of(const std::string& answer, std::uint64_t id = 4) {
  std::optional<std::string> refusal;
  try {
    parse_score_answer(answer, id, small_batch(Parameterization::scale_tril, 1, 1), Request<double>{},
                       refusal);
  } catch (const ExternalFault& e) {
    return e.fault;
  }
  return Fault::gave_up;  // stands for "no fault"
}

TEST(ExternalProtocol, AnswerFaultsAreNamed) {
  const std::string good =
      R"({"id":4,"log_prob":[1],"grad_loc":[[1]],"grad_action":[[1]],"grad_scale_tril":[[[1]]]})";
  EXPECT_EQ(fault_of(good), Fault::gave_up);
  EXPECT_EQ(fault_of(good, 5), Fault::wrong_id);
  EXPECT_EQ(fault_of("loading..."), Fault::malformed_line);
  EXPECT_EQ(fault_of("[1,2]"), Fault::malformed_line);
  EXPECT_EQ(fault_of(R"({"id":4,"log_prob":[1],"grad_loc":[[1]],"grad_scale_tril":[[[1]]]})"),
            Fault::missing_key);
  EXPECT_EQ(
      fault_of(R"({"id":4,"log_prob":[1],"grad_loc":[[1,2]],"grad_action":[[1]],"grad_scale_tril":[[[1]]]})"),
      Fault::wrong_shape);
  EXPECT_EQ(
      fault_of(R"({"id":4,"log_prob":["x"],"grad_loc":[[1]],"grad_action":[[1]],"grad_scale_tril":[[[1]]]})"),
      Fault::wrong_shape);
  EXPECT_EQ(fault_of(R"({"log_prob":[1]})"), Fault::missing_key);
  std::optional<std::string> refusal;
  parse_score_answer(R"({"id":4,"error":"not positive definite"})", 4,
                     small_batch(Parameterization::scale_tril, 1, 1), Request<double>{}, refusal);
  EXPECT_EQ(refusal.value_or(""), "not positive definite");
}

TEST(ExternalProtocol, HelloIsChecked) {
  const std::string base = R"("name":"x","parameterizations":["scale_tril"],"dtypes":["double"])";
  const Hello h = parse_hello(R"({"protocol":"scorebench.external/1",)" + base +
                              R"(,"shared":false,"contract":{"route":"own_factor","c":4,"kappa_max":1e6}})");
  EXPECT_EQ(h.name, "x");
  EXPECT_FALSE(h.shared);
  EXPECT_TRUE(h.per_sample);
  EXPECT_EQ(h.contract.route, Route::own_factor);
  EXPECT_EQ(h.contract.c, 4);
  EXPECT_EQ(h.contract.kappa_max, 1e6);
  for (
      const std::string& bad :
      {R"({"protocol":"scorebench.external/2",)" + base + "}",
       std::string(R"({"protocol":"scorebench.external/1"})"),
       R"({"protocol":"scorebench.external/1",)" + base + R"(,"contract":{"c":0}})",
       std::string(
           R"({"protocol":"scorebench.external/1","name":"a/b","parameterizations":["scale_tril"],"dtypes":["double"]})"),
       std::string("hello")}) {
    try {
      parse_hello(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ExternalFault& e) {
      EXPECT_EQ(e.fault, Fault::bad_hello) << bad;
    }
  }
}

// ---- child processes -------------------------------------------------------

std::string adapter(const std::string& args) {
  return std::string(SCOREBENCH_PYTHON) + " " + SCOREBENCH_REFERENCE_ADAPTER + " " + args;
}

std::vector<pid_t> pids_in(const std::string& file) {
  std::vector<pid_t> pids;
  std::ifstream in(file);
  long pid;
  while (in >> pid) pids.push_back(static_cast<pid_t>(pid));
  return pids;
}

// Whether `pid` still runs: it exists and is not a zombie. (The adapter's
// interpreter may be a grandchild of scorebench, behind /bin/sh or a pyenv
// shim; killed with its group, it is a zombie until init reaps it.)
bool running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const size_t paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'Z';
}

// Nothing left of the children: every process an adapter started has
// ended, and this process has no child left to reap (no zombie of ours).
void expect_no_process_left(const std::string& pid_file) {
  for (pid_t pid : pids_in(pid_file)) {
    for (int i = 0; i < 100 && running(pid); ++i) ::usleep(10000);
    EXPECT_FALSE(running(pid)) << "process " << pid << " is still running";
  }
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD) << "a child of the test was not reaped";
}

struct FaultCase {
  const char* adapter_fault;
  Fault expected;
  const char* evidence;  // part of the message
};

void PrintTo(const FaultCase& f, std::ostream* os) { *os << f.adapter_fault; }

class ExternalFaults : public testing::TestWithParam<FaultCase> {};

TEST_P(ExternalFaults, AreNamedWithEvidenceAndTheNextRequestIsServed) {
  const FaultCase f = GetParam();
  const std::string pid_file = testing::TempDir() + "pids_" + f.adapter_fault;
  std::remove(pid_file.c_str());
  {
    ExternalOptions o;
    o.command = adapter(std::string("--fault ") + f.adapter_fault + " --at 2 --pids " + pid_file);
    // 1 s where the fault is a timeout (the test waits it out); the
    // default elsewhere, so that a loaded machine cannot turn a slow answer
    // into a fault the case is not about.
    if (f.expected == Fault::timeout) o.timeout_seconds = 1;
    ExternalMethod m(o);
    ASSERT_FALSE(m.hello_fault()) << *m.hello_fault();
    EXPECT_EQ(m.name(), "external.reference_py");
    const Batch<double> b = small_batch();
    const Result<double> first = m.evaluate(b, Request<double>{});
    ASSERT_TRUE(first.ok());
    try {
      m.evaluate(b, Request<double>{});
      FAIL() << "fault " << f.adapter_fault << " went unnoticed";
    } catch (const ExternalFault& e) {
      EXPECT_EQ(e.fault, f.expected) << e.what();
      const std::string what = e.what();
      EXPECT_NE(what.find("external.reference_py: " + std::string(name(f.expected)) + ": request 2"),
                std::string::npos)
          << what;
      EXPECT_NE(what.find(f.evidence), std::string::npos) << what;
    }
    // The run goes on: the next request is answered (by a new child after a
    // fault that broke the stream), with the same numbers as the first.
    const Result<double> third = m.evaluate(b, Request<double>{});
    EXPECT_EQ(third.grad_param, first.grad_param);
    EXPECT_EQ(third.log_prob, first.log_prob);
  }
  expect_no_process_left(pid_file);
}

INSTANTIATE_TEST_SUITE_P(
    EveryFault, ExternalFaults,
    testing::Values(FaultCase{"crash", Fault::crashed,
                              "crashing at request 2"},  // its stderr is the evidence
                    FaultCase{"hang", Fault::timeout, "no answer within 1 s"},
                    FaultCase{"partial", Fault::partial_line, "{\\\"id\\\": 2"},
                    FaultCase{"malformed", Fault::malformed_line, "{this is not json"},
                    FaultCase{"garbage", Fault::malformed_line, "loading weights"},
                    FaultCase{"wrong_id", Fault::wrong_id, "the answer's id is 1002"},
                    FaultCase{"wrong_shape", Fault::wrong_shape, "grad_loc[0] has 1 entries"},
                    FaultCase{"missing_key", Fault::missing_key, "no \"grad_action\""},
                    FaultCase{"nan", Fault::non_finite, "log_prob[0] holds NaN"},
                    FaultCase{"orphan", Fault::timeout, "no answer within 1 s"}),
    [](const testing::TestParamInfo<FaultCase>& i) { return std::string(i.param.adapter_fault); });

TEST(ExternalMethod, AChildThatExitsBeforeHelloIsNamedAndGivenUpOn) {
  const std::string pid_file = testing::TempDir() + "pids_no_hello";
  std::remove(pid_file.c_str());
  {
    ExternalOptions o;
    o.command = adapter("--fault no_hello --pids " + pid_file);
    o.name = "broken";
    ExternalMethod m(o);
    ASSERT_TRUE(m.hello_fault());
    EXPECT_NE(m.hello_fault()->find("external.broken: exited_before_hello: hello"), std::string::npos)
        << *m.hello_fault();
    EXPECT_NE(m.hello_fault()->find("failing before the hello"), std::string::npos) << *m.hello_fault();
    std::vector<Fault> seen;
    for (int i = 0; i < 4; ++i) {
      try {
        m.evaluate(small_batch(), Request<double>{});
      } catch (const ExternalFault& e) {
        seen.push_back(e.fault);
      }
    }
    // Three starts in all (one at construction), then no more waiting on it.
    EXPECT_EQ(seen, (std::vector<Fault>{Fault::exited_before_hello, Fault::exited_before_hello,
                                        Fault::gave_up, Fault::gave_up}));
    EXPECT_EQ(m.starts(), kMaxConsecutiveFaults);
  }
  expect_no_process_left(pid_file);
}

TEST(ExternalMethod, ABadHelloIsNamed) {
  ExternalMethod m({adapter("--fault bad_hello"), "", 5});
  ASSERT_TRUE(m.hello_fault());
  EXPECT_NE(m.hello_fault()->find("bad_hello"), std::string::npos) << *m.hello_fault();
  EXPECT_NE(m.hello_fault()->find("scorebench.external/0"), std::string::npos) << *m.hello_fault();
}

TEST(ExternalMethod, AChildThatStopsReadingDoesNotKillScorebench) {
  // A hello, then exit: the large request then meets a closed pipe (SIGPIPE
  // would end this test process).
  const std::string hello =
      R"({"protocol":"scorebench.external/1","name":"quitter","parameterizations":["covariance_matrix"],"dtypes":["double"]})";
  ExternalMethod m({"printf '%s\\n' '" + hello + "'; exec 0<&-; sleep 0.2", "", 5});
  ASSERT_FALSE(m.hello_fault()) << *m.hello_fault();
  ::usleep(400000);
  try {
    m.evaluate(small_batch(Parameterization::covariance_matrix, 64, 17), Request<double>{});
    FAIL() << "no fault";
  } catch (const ExternalFault& e) {
    EXPECT_EQ(e.fault, Fault::crashed) << e.what();
  }
}

TEST(ExternalMethod, AnswersMatchTheClosedFormsAndDeclareTheirScope) {
  ExternalMethod m({adapter(""), "", 10});
  ASSERT_FALSE(m.hello_fault());
  EXPECT_TRUE(m.covers(Parameterization::scale_diag, Dtype::f64, Mode{true, Output::sum}));
  EXPECT_FALSE(m.covers(Parameterization::scale_diag, Dtype::f32, Mode{true, Output::sum}));
  EXPECT_EQ(m.contract(Parameterization::scale_tril).route, Route::unknown);
  // Σ = diag(1, 1) for sample 0, r = (0.1, 0.5): log p = −½‖r‖² − log 2π, grad_Σ = ½(r rᵀ − I).
  const Result<double> r = m.evaluate(small_batch(), Request<double>{});
  EXPECT_NEAR(r.log_prob(0), -0.5 * 0.26 - std::log(2 * M_PI), 1e-15);
  EXPECT_NEAR(r.grad_param(0, 0), 0.5 * (0.01 - 1), 1e-15);
  EXPECT_NEAR(r.grad_param(0, 1), 0.5 * 0.05, 1e-15);
  const auto t = m.time(small_batch(), Request<double>{}, 10);
  EXPECT_GT(t.child_ns, 0);
  EXPECT_GT(t.wall_ns, 0);
}

// A NaN in one sample's noise spoils it only for a method given the noise:
// an external method is given the action (which stays valid), so the gate
// expects it to compute every sample of a nan_noise case, while a built-in,
// given both, must name the sample (Gate.NamesTheInvalidSampleAMethodMishandles).
TEST(ExternalMethod, IsGivenTheActionSoASpoiledNoiseLeavesItsSampleValid) {
  ExternalMethod m({adapter(""), "", 10});
  ASSERT_FALSE(m.hello_fault());
  VerifyOptions o;
  o.double_checks = false;
  o.reference_checks = false;
  for (const CaseSpec& s : invalid_sample_cases())
    if (s.invalid == InvalidKind::nan_noise) o.specs.push_back(s);
  ASSERT_FALSE(o.specs.empty());
  const VerifyReport r = run_verification(o, {&m});
  for (const std::string& v : r.violations) ADD_FAILURE() << v;
  ASSERT_FALSE(r.evaluations.empty()) << "the adapter covers double";
  for (const Evaluation& e : r.evaluations) EXPECT_TRUE(e.message.empty()) << e.message;
  // The same cases pass a built-in, which must name the sample instead: were
  // it expected to compute it, naming it would be a refused valid sample.
  const VerifyReport builtin = run_verification(o, {&registry().get("analytic")});
  for (const std::string& v : builtin.violations) ADD_FAILURE() << v;
  EXPECT_EQ(builtin.evaluations.size(), 4 * o.specs.size());
}

}  // namespace
}  // namespace scorebench::verification

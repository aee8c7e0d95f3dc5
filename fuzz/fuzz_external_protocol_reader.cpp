// The external protocol's readers (verification/external_protocol.hpp): one
// line from a child as a hello, as a score answer to requests of every
// parameterization, sharing and output (d = 2, B = 2), and as a timing
// answer. Their documented rejection is ExternalFault, naming the fault.

#include "fuzz_harness.hpp"
#include "scorebench/verification/external_fault.hpp"
#include "scorebench/verification/external_protocol.hpp"

namespace {

using namespace scorebench;

template <typename Read>
void expect_faults_only(Read&& read) {
  try {
    read();
  } catch (const verification::ExternalFault&) {
  }
}

template <typename T>
Batch<T> batch(Parameterization p, bool shared) {
  Batch<T> b;
  b.parameterization = p;
  b.loc = Mat<T>::Zero(2, 2);
  b.action = Mat<T>::Ones(2, 2);
  const Index cols = (is_matrix(p) ? 2 : 1) * (shared ? 1 : 2);
  b.param = Mat<T>::Ones(2, cols);
  return b;
}

template <typename T>
void read_answers(std::string_view line) {
  for (Parameterization p : kAllParameterizations)
    for (bool shared : {false, true})
      for (Output o : {Output::grads, Output::sum}) {
        Request<T> request;
        request.output = o;
        std::optional<std::string> refusal;
        expect_faults_only(
            [&] { verification::parse_score_answer(line, 1, batch<T>(p, shared), request, refusal); });
      }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line = fuzz::as_text(data, size);
  expect_faults_only([&] { verification::parse_hello(line); });
  read_answers<double>(line);
  read_answers<float>(line);
  std::optional<std::string> refusal;
  expect_faults_only([&] { verification::parse_time_answer(line, 1, refusal); });
  return 0;
}

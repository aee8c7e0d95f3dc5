// The readers of `scorebench check` (verification/case_set.hpp): the answers
// file graded against a fixed certified case set, and a cases file graded
// with no answers. The first byte chooses: even, the rest is the answers;
// odd, the rest is the cases. The documented rejections are CheckInputError
// (an std::invalid_argument) for input that cannot be used at all; anything
// graded is a verdict, never an exception.

#include <sstream>
#include <string>

#include "fuzz_harness.hpp"
#include "scorebench/verification/case_set.hpp"

namespace {

using namespace scorebench;

// Two small cases (d = 2, B = 2; scale_tril f64 and covariance_matrix f32),
// every mode, written once.
const std::string& cases_file() {
  static const std::string text = [] {
    verification::CasesOptions options;
    for (const char* id : {"scale_tril/f64/d:2/kappa:1e+00/bulk/B:2/weights:positive/seed:7",
                           "covariance_matrix/f32/d:2/kappa:1e+02/bulk/B:2/weights:mixed/seed:8"})
      options.specs.push_back(verification::parse_case_id(id));
    options.version = "fuzz";
    std::ostringstream out;
    verification::write_cases(out, options);
    return out.str();
  }();
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(fuzz::as_text(data + 1, size - 1));
  const bool answers = data[0] % 2 == 0;
  fuzz::expect_documented_errors_only([&] {
    std::istringstream cases(answers ? cases_file() : text), given(answers ? text : std::string());
    verification::check_answers(cases, given, verification::CheckOptions{});
  });
  return 0;
}

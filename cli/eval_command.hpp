#pragma once
// `scorebench eval`: one method on every case of a JSON file.

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

namespace scorebench::cli {

struct EvalOptions {
  std::string method;
  std::string dtype = "double";
  std::string input;
  std::string output;  // empty: stdout
};

// Exit status: 0 every case succeeded, 1 some case failed (all results are
// still written), 2 input that cannot be used at all.
int run_eval(const EvalOptions& options, std::ostream& err);

// The results document for parsed input; `any_failed` is set when a case failed.
nlohmann::ordered_json evaluate_cases(const std::string& method, const std::string& dtype,
                                      const nlohmann::json& input, bool& any_failed);

}  // namespace scorebench::cli

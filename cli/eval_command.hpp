#pragma once
// `scorebench eval`: one method on every case of a JSON file, a built-in
// one (--method) or an implementation scorebench did not write
// (--external [NAME=]COMMAND, verification/adapters/PROTOCOL.md).

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "scorebench/method.hpp"

namespace scorebench::cli {

struct EvalOptions {
  std::string method;
  std::string external;          // [NAME=]COMMAND, instead of --method
  double external_timeout = 30;  // seconds per case (verification::ExternalOptions)
  std::string dtype = "double";
  std::string input;
  std::string output;  // empty: stdout
};

// Exit status: 0 every case succeeded, 1 some case failed (all results are
// still written), 2 input that cannot be used at all.
int run_eval(const EvalOptions& options, std::ostream& err);

// The results document for parsed input; `any_failed` is set when a case failed.
nlohmann::ordered_json evaluate_cases(const Method& method, const std::string& dtype,
                                      const nlohmann::json& input, bool& any_failed);
// The same for a registered method, by name.
nlohmann::ordered_json evaluate_cases(const std::string& method, const std::string& dtype,
                                      const nlohmann::json& input, bool& any_failed);

}  // namespace scorebench::cli

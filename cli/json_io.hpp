#pragma once
// JSON cases for `scorebench eval` and their results (README: "eval").
//
//   case:   {"loc": [d], "action": [d] | "noise": [d],
//            one of "scale_tril" | "covariance_matrix" | "precision_matrix": [[d]×d]
//            or "scale_diag": [d]}
//   result: {"log_prob", "grad_loc", "grad_action", "grad_<parameterization>"}
//           or {"error": message}

#include <nlohmann/json.hpp>
#include <string>

#include "scorebench/batch.hpp"
#include "scorebench/result.hpp"

namespace scorebench::cli {

// The cases file: throws json_input::Unusable (an std::invalid_argument)
// when it cannot be used at all. A number beyond the range of a double is
// kept as its text, and batch_from_case fails that case alone.
nlohmann::json read_eval_input(const std::string& path);

// A batch of one sample from a case; throws std::invalid_argument naming
// the key and the problem (a number beyond double range included).
template <typename T>
Batch<T> batch_from_case(const nlohmann::json& c);

// One sample's result as JSON (matrices as lists of rows).
template <typename T>
nlohmann::ordered_json json_from_result(const Result<T>& r);

// Indented JSON with every list of numbers on one line (a matrix is a list
// of rows, one row a line). Doubles are written to round-trip (nlohmann's
// shortest representation that parses back to the same double).
std::string dump_readable(const nlohmann::ordered_json& document);

}  // namespace scorebench::cli

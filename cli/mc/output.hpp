#pragma once
// How `scorebench mc` prints numbers and writes its JSON.

#include <nlohmann/json.hpp>
#include <string>

#include "scorebench/eigen_types.hpp"
#include "scorebench/mc/estimator.hpp"

namespace scorebench::cli::mc_cli {

using nlohmann::ordered_json;

std::string fmt_count(double v);

std::string fmt(double v, int precision = 6);

ordered_json matrix_json(const Mat<double>& m);

ordered_json vector_json(const Vec<double>& v);

// {"grad_loc": [d], "grad_scale_diag": [d] | "grad_scale_tril": [[d]×d]} of a coordinate vector.
ordered_json gradient_json(const mc::Problem& p, const Vec<double>& coordinates);

int write_json(const std::string& path, const ordered_json& doc);

}  // namespace scorebench::cli::mc_cli

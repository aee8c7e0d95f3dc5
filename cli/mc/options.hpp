#pragma once
// `scorebench mc`'s options, and the parsing of its vector and matrix arguments.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "scorebench/eigen_types.hpp"

namespace scorebench::cli::mc_cli {

struct McOptions {
  std::string estimator, cost, loc, scale_diag, scale_tril, cost_a, cost_b, cost_c, method = "analytic";
  std::string json, out;
  std::uint64_t samples = 10000, seed = 0;
  int threads = 1, seeds = 100;
  Index batch_size = 1024;
  double alpha = 0.01;
  bool details = false, figures = false, policy = false, calibrate = false;
};

struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

std::vector<double> parse_numbers(const std::string& option, const std::string& text);

Vec<double> parse_vector(const std::string& option, const std::string& text);

// "r0;r1;…", each row comma-separated; a lower-triangular row may give only
// its first i + 1 entries.
Mat<double> parse_matrix(const std::string& option, const std::string& text, bool lower);

}  // namespace scorebench::cli::mc_cli

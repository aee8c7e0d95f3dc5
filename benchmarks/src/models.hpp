#pragma once
// The flop and traffic models behind the flops_per_second and
// bytes_per_second counters (DESIGN §5), and the per-method grid caps.
//
// Flops count each method's own arithmetic with the counts it states in its
// Capabilities (scorebench/cost_model.hpp: the unit costs, and per method
// beside its registration, estimators/score/src/methods/).
//
// A model is  flops = P · per_parameter + B · per_sample  with P = 1 (shared)
// or B (per-sample parameters); `sum` adds the accumulation of the block
// (one multiply-add per entry) per sample, except for a method whose shared
// sum runs in matrix shapes (CostModel::shared_sum_in_matrix_shapes:
// `analytic`).
//
// Traffic is the compulsory memory traffic of the batch, the same for every
// method: read loc and action (noise for `reparameterization`), d each per
// sample; read each distinct parameter block once (d² for a matrix: the
// strict upper triangle is read too, to check it is zero or symmetric; d for
// scale_diag); write log p, ∇μ and ∇a (2d + 1) and the parameter block per
// sample (grads) or once (sum); read the weights (sum). Write-allocate
// traffic is not counted, as in the triad roof.

#include <string>

#include "scorebench/parameterization.hpp"

namespace scorebench::bench {

enum class Sharing { per_sample, shared };

struct Config {
  std::string method;
  Parameterization parameterization = Parameterization::scale_tril;
  Sharing sharing = Sharing::per_sample;
  bool sum = false;
  bool f32 = false;
  long d = 1;
  long batch = 1;
  int threads = 1;  // > 1 adds /threads:<n> to the name
};

std::string benchmark_name(const Config& c);
double model_flops(const Config& c);
double model_bytes(const Config& c);
// Leading exponent of the flop model in d at fixed B (the theoretical slope).
double model_exponent(const Config& c);
// Why a configuration is left out of the grid, or empty when it is run.
std::string cap_reason(const Config& c);

}  // namespace scorebench::bench

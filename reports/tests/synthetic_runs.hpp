#pragma once
// Synthetic Google Benchmark JSON runs whose answer is known, for the tests.

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace scorebench::reports::testing {

inline nlohmann::json default_context() {
  return {{"date", "2026-01-01T00:00:00+00:00"},
          {"host_name", "ci"},
          {"executable", "scorebench_benchmarks"},
          {"num_cpus", 2},
          {"mhz_per_cpu", 2096},
          {"cpu_scaling_enabled", false},
          {"caches", nlohmann::json::array()},
          {"load_avg", {0.1, 0.2, 0.3}},
          {"library_build_type", "release"},
          {"eigen_version", "3.4.0"}};
}

// One entry per repetition plus the mean/median aggregates Google Benchmark
// appends, times in `unit`; `counters` are constant user counters.
inline nlohmann::json make_run(const std::map<std::string, std::vector<double>>& times_ns,
                               nlohmann::json context = default_context(), const std::string& unit = "ns",
                               const std::map<std::string, double>& counters = {}) {
  const double scale = unit == "us" ? 1e-3 : unit == "ms" ? 1e-6 : 1;
  nlohmann::json benchmarks = nlohmann::json::array();
  for (const auto& [name, reps] : times_ns) {
    double sum = 0;
    for (std::size_t i = 0; i < reps.size(); ++i) {
      nlohmann::json e = {{"name", name},
                          {"run_name", name},
                          {"run_type", "iteration"},
                          {"repetitions", reps.size()},
                          {"repetition_index", i},
                          {"threads", 1},
                          {"iterations", 1000},
                          {"real_time", reps[i] * scale * 1.02},
                          {"cpu_time", reps[i] * scale},
                          {"time_unit", unit}};
      for (const auto& [k, v] : counters) e[k] = v;
      benchmarks.push_back(e);
      sum += reps[i];
    }
    for (const char* aggregate : {"mean", "median"})
      benchmarks.push_back({{"name", name + "_" + aggregate},
                            {"run_name", name},
                            {"run_type", "aggregate"},
                            {"aggregate_name", aggregate},
                            {"iterations", reps.size()},
                            {"real_time", 1e9},
                            {"cpu_time", 1e9},
                            {"time_unit", unit}});
    (void)sum;
  }
  return {{"context", context}, {"benchmarks", benchmarks}};
}

// `count` benchmarks × `reps` repetitions of log-normal noise (σ = `noise`)
// around 1000·(k + 1) ns, the k-th multiplied by factors[k] when given.
inline std::map<std::string, std::vector<double>> noisy_grid(std::mt19937_64& rng, int count, int reps,
                                                             double noise,
                                                             const std::map<int, double>& factors = {}) {
  std::lognormal_distribution<double> jitter(0, noise);
  std::map<std::string, std::vector<double>> out;
  for (int k = 0; k < count; ++k) {
    const auto f = factors.find(k);
    const double centre = 1000.0 * (k + 1) * (f == factors.end() ? 1.0 : f->second);
    std::vector<double>& reps_k =
        out["score/analytic/scale_tril/per_sample/grads/f64/d:" + std::to_string(k + 1) + "/batch:64"];
    for (int r = 0; r < reps; ++r) reps_k.push_back(centre * jitter(rng));
  }
  return out;
}

}  // namespace scorebench::reports::testing

namespace scorebench::reports::testing {

// A score grid with a known cost model, time per batch in ns:
//   t = overhead_m + B · (per-sample cost_m(d) + 5)
// with cubic = d³/8 and quad = d² (both d for scale_diag), so that the
// winners are known: analytic for scale_tril and scale_diag (quad against
// reparameterization's 1.5 quad); for covariance_matrix and precision_matrix
// reparameterization (2.5 cubic) at small d and cholesky_solve (2 cubic + 2
// quad) at large d, analytic (3 cubic) never; autodiff_reverse pays 20 µs per call.
struct GridModel {
  std::vector<std::string> methods = {"analytic",         "explicit_inverse", "cholesky_solve",
                                      "autodiff_forward", "autodiff_reverse", "reparameterization"};
  std::vector<std::string> parameterizations = {"scale_tril", "covariance_matrix", "precision_matrix",
                                                "scale_diag"};
  std::vector<long> dims = {2, 8, 32, 128};
  std::vector<long> batches = {16, 1024};
  int repetitions = 3;
  bool roofs = true;
  bool flops_counter = true;
};

inline double model_time_ns(const std::string& method, const std::string& p, long d, long batch) {
  const double dd = double(d);
  double per_sample = 0, overhead = 50;
  const double cubic = p == "scale_diag" ? dd : dd * dd * dd / 8, quad = p == "scale_diag" ? dd : dd * dd;
  const bool triangular = p == "scale_tril" || p == "scale_diag";
  if (method == "analytic") per_sample = triangular ? quad : 3.0 * cubic;
  if (method == "explicit_inverse") per_sample = 6.0 * cubic + 2 * quad;
  if (method == "cholesky_solve") per_sample = 2.0 * cubic + 2 * quad;
  if (method == "autodiff_forward") per_sample = 4.0 * dd * quad;
  if (method == "autodiff_reverse") {
    per_sample = 3.0 * cubic + 10 * quad;
    overhead = 20000;
  }
  if (method == "reparameterization") per_sample = triangular ? 1.5 * quad : 2.5 * cubic;
  return overhead + double(batch) * (per_sample + 5);
}

inline nlohmann::json score_grid_run(const GridModel& model = {}) {
  std::mt19937_64 rng(17);
  std::lognormal_distribution<double> jitter(0, 0.01);
  std::map<std::string, std::vector<double>> times;
  nlohmann::json benchmarks = nlohmann::json::array();
  auto add = [&](const std::string& name, double t, const std::map<std::string, double>& counters) {
    for (int r = 0; r < model.repetitions; ++r) {
      nlohmann::json e = {{"name", name},
                          {"run_name", name},
                          {"run_type", "iteration"},
                          {"repetitions", model.repetitions},
                          {"repetition_index", r},
                          {"threads", 1},
                          {"iterations", 100},
                          {"real_time", t * jitter(rng)},
                          {"cpu_time", t * jitter(rng)},
                          {"time_unit", "ns"}};
      for (const auto& [k, v] : counters) e[k] = v;
      benchmarks.push_back(e);
    }
  };
  for (const auto& m : model.methods)
    for (const auto& p : model.parameterizations)
      for (const char* sharing : {"per_sample", "shared"})
        for (long d : model.dims)
          for (long b : model.batches) {
            const double t = model_time_ns(m, p, d, b);
            std::map<std::string, double> counters;
            // The benchmarks' cost model per iteration (benchmarks/README.md).
            if (model.flops_counter) {
              counters["model_flops"] = double(b) * double(d * d) * 4;
              counters["model_bytes"] = double(b) * double(d * d) * 8;
            }
            add("score/" + m + "/" + p + "/" + sharing + "/grads/f64/d:" + std::to_string(d) +
                    "/batch:" + std::to_string(b),
                t, counters);
          }
  if (model.roofs) {
    add("roof/gemm/n:256", 2.0 * 256 * 256 * 256 / 20.0,
        {{"model_flops", 2.0 * 256 * 256 * 256}});                                          // 20 GFLOP/s
    add("roof/triad/bytes:1048576", 1048576 / 10.0, {{"model_bytes", 1048576}});            // 10 GB/s
    add("roof/triad/bytes:1048576/threads:2", 1048576 / 16.0, {{"model_bytes", 1048576}});  // 16 GB/s
  }
  return {{"context", default_context()}, {"benchmarks", benchmarks}};
}

}  // namespace scorebench::reports::testing

namespace scorebench::reports::testing {

// A scorebench.verify/1 run (verification/README.md): analytic within its
// contract everywhere (ratio 0.1·log10 κ); explicit_inverse violating it on
// covariance_matrix at κ = 1e12 (ratio 5); f64 and f32.
inline nlohmann::json verify_run() {
  nlohmann::json cases = nlohmann::json::array(), results = nlohmann::json::array();
  for (const char* p : {"scale_tril", "covariance_matrix"})
    for (const char* dtype : {"f64", "f32"})
      for (double kappa : {1.0, 1e4, 1e8, 1e12}) {
        cases.push_back({{"id", std::string(p) + "/" + dtype},
                         {"parameterization", p},
                         {"dtype", dtype},
                         {"d", 4},
                         {"kappa", kappa},
                         {"action", "bulk"},
                         {"batch", 3},
                         {"seed", 1}});
        const std::size_t c = cases.size() - 1;
        const bool f32_beyond = std::string(dtype) == "f32" && kappa > 1e4;
        for (const char* m : {"analytic", "explicit_inverse"}) {
          double ratio = 0.1 * std::log10(kappa) + 0.05;
          std::string status = f32_beyond ? "beyond_contract" : "ok";
          if (std::string(m) == "explicit_inverse" && std::string(p) == "covariance_matrix" &&
              kappa == 1e12 && !f32_beyond) {
            ratio = 5;
            status = "violation";
          }
          results.push_back({{"case", c},
                             {"method", m},
                             {"mode", "per_sample/grads"},
                             {"status", status},
                             {"promised", !f32_beyond},
                             {"blocks",
                              {{{"block", "grad_loc"}, {"error", ratio * 1e-14}, {"ratio", ratio}},
                               {{"block", "log_prob"}, {"error", ratio * 5e-15}, {"ratio", ratio / 2}}}}});
          if (f32_beyond) results.back()["blocks"][1]["error"] = "nan";
        }
      }
  return {{"schema", "scorebench.verify/1"},
          {"sweep", "quick"},
          {"seed", 7},
          {"ok", false},
          {"methods", {"analytic", "explicit_inverse"}},
          {"contracts",
           {{{"method", "analytic"},
             {"parameterization", "scale_tril"},
             {"c", 4},
             {"kappa_power", 1},
             {"kappa_max", 1e12}}}},
          {"cases", cases},
          {"results", results},
          {"mutants",
           {{{"name", "missing_half"}, {"killed", true}, {"blocks", {"log_prob"}}, {"description", "d"}}}}};
}

// The points of `scorebench mc --reproduce-figures` (estimators/mc/figures.hpp).
inline nlohmann::json mc_figures_run() {
  nlohmann::json points = nlohmann::json::array();
  for (const char* family : {"square", "exp_neg_square", "cos"})
    for (double k : {0.5, 1.0, 2.0})
      for (const char* e : {"score_function", "score_function_baseline", "pathwise"})
        for (const char* parameter : {"mean", "std"}) {
          const double variance = (std::string(e) == "pathwise" ? 1.0 : 10.0) * k;
          points.push_back({{"family", family},
                            {"k", k},
                            {"estimator", e},
                            {"parameter", parameter},
                            {"exact_gradient", 1.0},
                            {"mean", 1.01},
                            {"variance", variance},
                            {"ci_low", 0.9 * variance},
                            {"ci_high", 1.1 * variance},
                            {"seconds_per_sample", 1e-8},
                            {"work_normalised_variance", variance * 1e-8}});
        }
  return {
      {"setting",
       {{"reference", "Mohamed et al. (2020)"}, {"samples", 1000}, {"seed", 2020}, {"method", "analytic"}}},
      {"points", points}};
}

}  // namespace scorebench::reports::testing

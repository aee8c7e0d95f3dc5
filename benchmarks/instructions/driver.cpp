// scorebench_instruction_driver: a fixed number of calls of a quick subset of
// score kernels, each bracketed by callgrind client requests, so that
// `valgrind --tool=callgrind --collect-atstart=no` counts the instructions of
// exactly those calls (deterministic, unlike time on a shared machine).
//
//   scorebench_instruction_driver [--iterations N] [--list]
//       run every kernel once untimed (warm-up), then N times with collection
//       on; one callgrind dump per kernel, named after its benchmark.
//   scorebench_instruction_driver --collect DIR --iterations N --out FILE [--valgrind-version V]
//       read the callgrind.out.* dumps in DIR and write Google-Benchmark-style
//       JSON whose entries carry an "instructions" field (per call).
//
// reports/instruction_gate.sh runs both under valgrind and compares the result
// with reports/baselines/instructions.json (`scorebench compare --metric instructions`).

#include <valgrind/callgrind.h>

#include <Eigen/Core>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "scorebench/benchmark_name.hpp"
#include "scorebench/method.hpp"
#include "scorebench/methods/analytic.hpp"
#include "scorebench/methods/autodiff_forward.hpp"
#include "scorebench/methods/cholesky_solve.hpp"
#include "scorebench/methods/explicit_inverse.hpp"
#include "scorebench/methods/reparameterization.hpp"

namespace {

using namespace scorebench;

constexpr Index kDim = 8;
constexpr Index kBatch = 32;

// A deterministic batch: L with diagonal 1 + i/d and small off-diagonal
// entries, Σ = L Lᵀ, Λ = Σ⁻¹, σ = diag(L); actions a = μ + L ε.
Batch<double> make_batch(Parameterization p, bool shared, Index n = kBatch) {
  std::mt19937_64 rng(20240611);
  std::uniform_real_distribution<double> u(-1, 1);
  const Index P = shared ? 1 : n;
  Batch<double> b;
  b.parameterization = p;
  b.loc = Mat<double>::NullaryExpr(kDim, n, [&] { return u(rng); });
  b.noise = Mat<double>::NullaryExpr(kDim, n, [&] { return u(rng); });
  b.action.resize(kDim, n);
  b.param.resize(kDim, is_matrix(p) ? kDim * P : P);
  for (Index k = 0; k < P; ++k) {
    Mat<double> L = Mat<double>::Zero(kDim, kDim);
    for (Index i = 0; i < kDim; ++i) {
      L(i, i) = 1 + double(i) / double(kDim) + double(k % 5) / 10;
      for (Index j = 0; j < i; ++j) L(i, j) = u(rng) / 4;
    }
    switch (p) {
      case Parameterization::scale_tril: b.param.middleCols(k * kDim, kDim) = L; break;
      case Parameterization::covariance_matrix: b.param.middleCols(k * kDim, kDim) = L * L.transpose(); break;
      case Parameterization::precision_matrix:
        b.param.middleCols(k * kDim, kDim) = (L * L.transpose()).inverse();
        break;
      case Parameterization::scale_diag: b.param.col(k) = L.diagonal(); break;
    }
    for (Index s = 0; s < n; ++s)
      if (shared || s == k) {
        const Mat<double> Ls = p == Parameterization::scale_diag ? Mat<double>(L.diagonal().asDiagonal()) : L;
        b.action.col(s) = b.loc.col(s) + Ls * b.noise.col(s);
      }
  }
  return b;
}

struct Kernel {
  std::string name;
  std::function<void()> call;
};

// One evaluation of `method` on `batch`, exiting 3 when a sample fails.
std::function<void()> evaluation(const Method* method, std::shared_ptr<Batch<double>> batch,
                                 Request<double> request) {
  return [method, batch, request] {
    const Result<double> r = method->evaluate(*batch, request);
    if (!r.ok()) {
      std::cerr << "kernel failed: " << r.errors.front().message << "\n";
      std::exit(3);
    }
  };
}

std::vector<Kernel> quick_subset(std::vector<std::unique_ptr<Method>>& methods) {
  methods.push_back(std::make_unique<KernelMethod<AnalyticKernel>>("analytic", ""));
  const Method* analytic = methods.back().get();
  methods.push_back(std::make_unique<KernelMethod<ExplicitInverseKernel>>("explicit_inverse", ""));
  methods.push_back(std::make_unique<KernelMethod<CholeskySolveKernel>>("cholesky_solve", ""));
  methods.push_back(std::make_unique<KernelMethod<AutodiffForwardKernel>>("autodiff_forward", ""));
  methods.push_back(std::make_unique<KernelMethod<ReparameterizationKernel>>("reparameterization", ""));
  std::vector<Kernel> kernels;
  for (const auto& m : methods)
    for (Parameterization p :
         {Parameterization::scale_tril, Parameterization::covariance_matrix, Parameterization::scale_diag})
      for (bool shared : {false, true})
        for (Output out : {Output::grads, Output::sum}) {
          // The sum only for the analytic method: its batched path differs.
          if (out == Output::sum && m->name() != "analytic") continue;
          auto batch = std::make_shared<Batch<double>>(make_batch(p, shared));
          const Method* method = m.get();
          Request<double> request;
          request.output = out;
          const std::string name =
              score_benchmark_name(score_case(m->name(), p, shared, out, false, kDim, kBatch));
          kernels.push_back({name, evaluation(method, batch, request)});
        }
  // The latency path (issue 17): one sample, analytic scale_tril.
  for (Output out : {Output::grads, Output::sum}) {
    Request<double> request;
    request.output = out;
    kernels.push_back(
        {score_benchmark_name(
             score_case("analytic", Parameterization::scale_tril, false, out, false, kDim, 1)),
         evaluation(analytic,
                    std::make_shared<Batch<double>>(make_batch(Parameterization::scale_tril, false, 1)),
                    request)});
  }
  return kernels;
}

// The "totals:" (or "summary:") line of a callgrind dump: Ir, the first event.
std::optional<std::pair<std::string, double>> read_dump(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line, trigger;
  double total = -1;
  const std::string request = "desc: Trigger: Client Request: ";
  while (std::getline(in, line)) {
    if (line.rfind(request, 0) == 0) trigger = line.substr(request.size());
    if (line.rfind("totals:", 0) == 0 || (total < 0 && line.rfind("summary:", 0) == 0))
      total = std::atof(line.substr(line.find(':') + 1).c_str());
  }
  if (trigger.empty() || total < 0) return std::nullopt;
  return std::make_pair(trigger, total);
}

std::string instruction_set() {
  std::string s;
  __builtin_cpu_init();
  for (const auto& [flag, on] :
       std::vector<std::pair<const char*, bool>>{{"avx2", __builtin_cpu_supports("avx2")},
                                                 {"fma", __builtin_cpu_supports("fma")},
                                                 {"avx512f", __builtin_cpu_supports("avx512f")}})
    s += std::string(s.empty() ? "" : " ") + flag + (on ? "+" : "-");
  return s;
}

int collect(const std::string& dir, long iterations, const std::string& out, const std::string& valgrind,
            const std::vector<Kernel>& kernels) {
  std::map<std::string, double> totals;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().filename().string().rfind("callgrind.out", 0) == 0)
      if (auto dump = read_dump(entry.path())) totals[dump->first] = dump->second;
  nlohmann::ordered_json benchmarks = nlohmann::ordered_json::array();
  for (const Kernel& k : kernels) {
    const auto it = totals.find(k.name);
    if (it == totals.end()) {
      std::cerr << "scorebench_instruction_driver: no callgrind dump for " << k.name << " in " << dir << "\n";
      return 2;
    }
    benchmarks.push_back({{"name", k.name},
                          {"run_name", k.name},
                          {"run_type", "iteration"},
                          {"repetitions", 1},
                          {"repetition_index", 0},
                          {"threads", 1},
                          {"iterations", iterations},
                          {"real_time", 0},
                          {"cpu_time", 0},
                          {"time_unit", "ns"},
                          {"instructions", it->second / double(iterations)}});
  }
  nlohmann::ordered_json context = {
      {"date", ""},
      {"host_name", ""},
      {"executable", "scorebench_instruction_driver"},
      {"compiler", __VERSION__},
      {"cxx_flags", SCOREBENCH_CXX_FLAGS},
      {"eigen_version", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
                            "." + std::to_string(EIGEN_MINOR_VERSION)},
      {"valgrind_version", valgrind},
      {"instruction_set", instruction_set()},
      {"iterations", iterations}};
  std::ofstream file(out);
  if (!(file << nlohmann::ordered_json{{"context", context}, {"benchmarks", benchmarks}}.dump(2) << "\n")) {
    std::cerr << "scorebench_instruction_driver: cannot write " << out << "\n";
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = 20;
  std::string collect_dir, out, valgrind = "unknown";
  bool list = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--iterations")
      iterations = std::atol(value().c_str());
    else if (a == "--collect")
      collect_dir = value();
    else if (a == "--out")
      out = value();
    else if (a == "--valgrind-version")
      valgrind = value();
    else if (a == "--list")
      list = true;
    else {
      std::cerr << "unknown argument " << a
                << " (see the comment at the top of reports/instructions/driver.cpp)\n";
      return 2;
    }
  }
  if (iterations <= 0) {
    std::cerr << "--iterations must be positive\n";
    return 2;
  }
  std::vector<std::unique_ptr<Method>> methods;
  const std::vector<Kernel> kernels = quick_subset(methods);
  if (list) {
    for (const Kernel& k : kernels) std::cout << k.name << "\n";
    return 0;
  }
  if (!collect_dir.empty()) {
    if (out.empty()) {
      std::cerr << "--collect needs --out FILE\n";
      return 2;
    }
    return collect(collect_dir, iterations, out, valgrind, kernels);
  }
  if (!RUNNING_ON_VALGRIND) std::cerr << "note: not running under valgrind; the client requests do nothing\n";
  for (const Kernel& k : kernels) {
    k.call();  // warm-up: first-call allocations and lazy initialisation
    CALLGRIND_ZERO_STATS;
    CALLGRIND_TOGGLE_COLLECT;
    for (long i = 0; i < iterations; ++i) k.call();
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_DUMP_STATS_AT(k.name.c_str());
  }
  return 0;
}

// `scorebench time`: timings of implementations scorebench did not write,
// as Google Benchmark JSON rows that `compare` and `report` read like the
// built-in ones (README: "Check your own implementation").
//
//   scorebench time --external [NAME=]COMMAND [--external ...] --out FILE.json
//                   [--d N ...] [--batch B ...] [--repetitions R] [--min-time S]
//                   [--external-timeout SECONDS]
//
// Rows are named as DESIGN §5 names the built-in benchmarks, with the method
// external.<name>:
//   score/external.<name>/<parameterization>/<per_sample|shared>/<grads|sum>/<f64|f32>/d:<d>/batch:<B>
// One repetition is one timing request of `iterations` evaluations of the
// batch: real_time and cpu_time are the child's own nanoseconds per
// evaluation (it measures them; scorebench cannot see its CPU time), the
// counter wall_time the time around the request per evaluation, and
// protocol_ns the difference per request (the protocol's cost: writing,
// parsing and piping the batch once).
//
// The grid, over what each implementation declares: with --d/--batch, every
// parameterization at those sizes (per-sample, grads, double); else the
// quick grid of scorebench_benchmarks (per-sample grads at d 4, 16, 64 and
// B 256; every sharing and output at d 8, B 16; float at d 8, B 16;
// scale_tril per-sample grads at d 2 … 128, B 4096; a row whose request
// would hold more than kMaxRequestNumbers numbers is skipped, said on
// stderr). The data are drawn as
// the benchmarks draw theirs (benchmarks/src/fixture.hpp): L lower with
// diagonal 1 + U(0,1) and off-diagonal N(0,1)/(2√d), μ, ε ~ N(0,1),
// a = μ + Lε, weights U(½, 3/2).
//
// Exit status: 0 every row timed, 1 an implementation failed a request (its
// rows carry error_occurred with the fault), 2 a usage error.

#include <unistd.h>

#include <Eigen/LU>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>

#include "command.hpp"
#include "external_args.hpp"
#include "scorebench/benchmark_name.hpp"
#include "scorebench/verification/external_fault.hpp"

namespace scorebench::cli {
namespace {

namespace v = verification;
using nlohmann::ordered_json;

struct TimeArgs {
  std::vector<std::string> externals;
  std::string out;
  std::vector<long> dims, batches;
  int repetitions = 3;
  double min_time = 0.1;
  double timeout = v::ExternalOptions{}.timeout_seconds;
};

// The largest request sent (≈ 200 MB of JSON at 25 characters a number):
// the per-sample d = 64 and 128 rows at B = 4096 of the built-in grid hold
// 17 and 67 million numbers and are skipped.
constexpr long kMaxRequestNumbers = 8L << 20;

struct Row {
  Parameterization p;
  bool shared, sum, f32;
  long d, batch;
};

std::vector<Row> grid(const TimeArgs& a) {
  using P = Parameterization;
  std::vector<Row> rows;
  if (!a.dims.empty() || !a.batches.empty()) {
    for (P p : kAllParameterizations)
      for (long d : a.dims.empty() ? std::vector<long>{8} : a.dims)
        for (long b : a.batches.empty() ? std::vector<long>{16} : a.batches)
          rows.push_back({p, false, false, false, d, b});
    return rows;
  }
  for (P p : kAllParameterizations)
    for (long d : {4L, 16L, 64L}) rows.push_back({p, false, false, false, d, 256});
  for (P p : kAllParameterizations)
    for (bool shared : {false, true})
      for (bool sum : {false, true}) rows.push_back({p, shared, sum, false, 8, 16});
  for (P p : kAllParameterizations)
    for (bool shared : {false, true}) rows.push_back({p, shared, false, true, 8, 16});
  for (long d : {2L, 8L, 32L, 64L, 128L}) rows.push_back({P::scale_tril, false, false, false, d, 4096});
  return rows;
}

std::string row_name(const std::string& method, const Row& r) {
  return score_benchmark_name(
      score_case(method, r.p, r.shared, r.sum ? Output::sum : Output::grads, r.f32, r.d, r.batch));
}

template <typename T>
void make_batch(const Row& r, Batch<T>& batch, Request<T>& request) {
  std::mt19937_64 rng(std::hash<std::string>{}(row_name("", r)));
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  const Index d = r.d, n = r.batch, blocks = r.shared ? 1 : std::min<Index>(n, 16);
  std::vector<Mat<double>> L;
  for (Index k = 0; k < blocks; ++k) {
    Mat<double> l = Mat<double>::Zero(d, d);
    for (Index i = 0; i < d; ++i) {
      l(i, i) = 1 + uniform(rng);
      for (Index j = 0; j < i; ++j) l(i, j) = normal(rng) / (2 * std::sqrt(static_cast<double>(d)));
    }
    L.push_back(l);
  }
  batch.parameterization = r.p;
  batch.loc.resize(d, n);
  batch.action.resize(d, n);
  const Index cols = is_matrix(r.p) ? d : 1, param_blocks = r.shared ? 1 : n;
  batch.param.resize(d, cols * param_blocks);
  for (Index b = 0; b < n; ++b) {
    const Mat<double>& l = L[static_cast<size_t>(b % blocks)];
    Vec<double> mu(d), eps(d);
    for (Index i = 0; i < d; ++i) mu(i) = normal(rng), eps(i) = normal(rng);
    const Vec<double> a =
        mu + (r.p == Parameterization::scale_diag ? Vec<double>(l.diagonal().cwiseProduct(eps))
                                                  : Vec<double>(l * eps));
    batch.loc.col(b) = mu.cast<T>();
    batch.action.col(b) = a.cast<T>();
  }
  for (Index b = 0; b < param_blocks; ++b) {
    const Mat<double>& l = L[static_cast<size_t>(b % blocks)];
    Mat<double> block;
    switch (r.p) {
      case Parameterization::scale_tril: block = l; break;
      case Parameterization::covariance_matrix: block = l * l.transpose(); break;
      case Parameterization::precision_matrix: {
        const Mat<double> sigma = l * l.transpose();
        const Mat<double> lambda = sigma.inverse();
        block = (lambda + lambda.transpose()) / 2;
        break;
      }
      case Parameterization::scale_diag: block = l.diagonal(); break;
    }
    batch.param.middleCols(b * cols, cols) = block.cast<T>();
  }
  request.output = r.sum ? Output::sum : Output::grads;
  if (r.sum) {
    request.weights.resize(n);
    for (Index b = 0; b < n; ++b) request.weights(b) = static_cast<T>(0.5 + uniform(rng));
  }
}

// The repetitions of one row; appends its Google Benchmark entries.
template <typename T>
bool time_row(const v::ExternalMethod& m, const Row& r, const TimeArgs& a, ordered_json& out) {
  Batch<T> batch;
  Request<T> request;
  make_batch(r, batch, request);
  const std::string name = row_name(m.name(), r);
  try {
    // Calibration: one evaluation, then enough for --min-time per repetition.
    const auto once = m.time(batch, request, 1);
    const double per = std::max(once.child_ns, 1.0);
    const auto iterations =
        static_cast<std::uint64_t>(std::clamp(std::ceil(a.min_time * 1e9 / per), 1.0, 1e9));
    for (int rep = 0; rep < a.repetitions; ++rep) {
      const auto t = m.time(batch, request, iterations);
      const double n = static_cast<double>(iterations);
      out.push_back({{"name", name},
                     {"run_name", name},
                     {"run_type", "iteration"},
                     {"repetitions", a.repetitions},
                     {"repetition_index", rep},
                     {"threads", 1},
                     {"iterations", iterations},
                     {"real_time", t.child_ns / n},
                     {"cpu_time", t.child_ns / n},
                     {"time_unit", "ns"},
                     {"wall_time", t.wall_ns / n},
                     {"protocol_ns", t.wall_ns - t.child_ns}});
    }
    return true;
  } catch (const std::exception& e) {
    std::cerr << "FAULT " << name << ": " << e.what() << "\n";
    out.push_back({{"name", name},
                   {"run_name", name},
                   {"run_type", "iteration"},
                   {"error_occurred", true},
                   {"error_message", e.what()},
                   {"iterations", 0},
                   {"real_time", 0},
                   {"cpu_time", 0},
                   {"time_unit", "ns"}});
    return false;
  }
}

int run_time(const TimeArgs& a) {
  std::vector<const Method*> methods;
  std::vector<std::unique_ptr<v::ExternalMethod>> externals;
  try {
    externals = start_externals(a.externals, a.timeout, methods);
  } catch (const std::invalid_argument& e) {
    std::cerr << "scorebench time: " << e.what() << "\n";
    return 2;
  }
  ordered_json rows = ordered_json::array();
  ordered_json origins = ordered_json::object();
  bool ok = true;
  for (const auto& m : externals) {
    origins[m->name()] = m->origin();
    if (m->hello_fault()) {
      ok = false;
      continue;
    }
    if (!m->hello()->timing) {
      std::cerr << "scorebench time: " << m->name() << " does not answer timing requests (its hello has no "
                << "\"timing\": true)\n";
      ok = false;
      continue;
    }
    for (const Row& r : grid(a)) {
      const v::Mode mode{r.shared, r.sum ? Output::sum : Output::grads};
      const long block = is_matrix(r.p) ? r.d * r.d : r.d;
      const long numbers = r.batch * 2 * r.d + (r.shared ? 1 : r.batch) * block;
      if (numbers > kMaxRequestNumbers) {
        std::cerr << row_name(m->name(), r) << ": skipped, its request holds " << numbers
                  << " numbers (at most " << kMaxRequestNumbers << " go through the protocol)\n";
        continue;
      }
      if (!m->covers(r.p, r.f32 ? v::Dtype::f32 : v::Dtype::f64, mode)) continue;
      std::cerr << row_name(m->name(), r) << "\n";
      ok = (r.f32 ? time_row<float>(*m, r, a, rows) : time_row<double>(*m, r, a, rows)) && ok;
    }
  }
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S%z", std::localtime(&now));
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  const ordered_json doc = {{"context",
                             {{"date", date},
                              {"host_name", host},
                              {"executable", "scorebench time"},
                              {"num_cpus", sysconf(_SC_NPROCESSORS_ONLN)},
                              {"library_build_type", "release"},
                              {"scorebench_external", origins}}},
                            {"benchmarks", rows}};
  std::ofstream f(a.out);
  if (!(f << doc.dump(2) << "\n")) {
    std::cerr << "scorebench time: cannot write --out " << a.out << "\n";
    return 2;
  }
  return ok ? 0 : 1;
}

}  // namespace

Command add_time_command(CLI::App& app) {
  auto a = std::make_shared<TimeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "time", "Time implementations scorebench did not write (--external) as Google Benchmark JSON rows");
  cmd->add_option("--external", a->externals, "[NAME=]COMMAND speaking scorebench.external/1 (repeatable)")
      ->required();
  cmd->add_option("--out", a->out, "Google Benchmark JSON file to write")->required();
  cmd->add_option("--d", a->dims, "Dimensions (with --batch: every parameterization, per-sample grads, f64)")
      ->check(CLI::Range(1L, 4096L));
  cmd->add_option("--batch", a->batches, "Batch sizes")->check(CLI::Range(1L, 1L << 20));
  cmd->add_option("--repetitions", a->repetitions, "Timing requests per row")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--min-time", a->min_time, "Seconds of evaluations per timing request")
      ->check(CLI::Range(1e-6, 3600.0))
      ->capture_default_str();
  cmd->add_option("--external-timeout", a->timeout, "Seconds a request may take")
      ->check(CLI::Range(0.01, 86400.0))
      ->capture_default_str();
  return {cmd, [a] { return run_time(*a); }};
}

}  // namespace scorebench::cli

#include "limits.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <thread>

#include "output.hpp"
#include "scorebench/registry.hpp"
#include "scorebench/resources.hpp"

namespace scorebench::cli::mc_cli {

// ---- Limits (estimators/mc/README.md, "Limits") ------------------------------
// Sizes that cannot finish or fit are refused before any sampling, with the
// estimate; memory stays bounded by one round of batches (estimate()).

// Threads: at most 4 × the hardware threads (more only add switching; each
// thread holds a batch), and never more than 256.
int max_threads() {
  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(std::min(256u, 4 * hardware));
}

// The most work one run may plan, in single-sample gradient coordinates (one
// coordinate of one sample's estimate): 1e10 is at most about 40 minutes on
// one core of the 2-core x86-64-v3 CI machine at the rate below.
constexpr double kMaxWork = 1e10;
// Seconds per single-sample gradient coordinate on that machine, the slowest
// measured (`scorebench mc --details`: seconds_per_sample / coordinates, a
// busy machine): 45–115 ns at d = 1 and 2 (every estimator, analytic score),
// 45 ns (pathwise) to 235 ns (score_function) at d = 20 with scale_tril.
constexpr double kSecondsPerCoordinate = 250e-9;

std::string scientific(double v) {
  std::ostringstream s;
  s << std::setprecision(2) << v;
  return s.str();
}

// Refuses a run whose work (what × samples × per_sample coordinates) is
// beyond kMaxWork, naming the option and the estimate.
void check_work(const std::string& option, double value, double work, const std::string& what, int threads) {
  if (work <= kMaxWork) return;
  const double hours = work * kSecondsPerCoordinate / 3600 / std::max(1, threads);
  throw UsageError(option + " " + fmt_count(value) + ": the run would compute " + what + " = " +
                   scientific(work) + " single-sample gradient coordinates, more than the " +
                   scientific(kMaxWork) + " one run may (up to about " + scientific(hours) + " hours on " +
                   std::to_string(std::max(1, threads)) + " thread(s) of a 2-core CI machine)");
}

// --threads, --samples, --batch-size and --seeds in range for every mode.
void check_common(const McOptions& o) {
  if (o.threads < 1 || o.threads > max_threads())
    throw UsageError("--threads " + std::to_string(o.threads) + ": must be from 1 to " +
                     std::to_string(max_threads()) + " (4 × the " +
                     std::to_string(std::max(1u, std::thread::hardware_concurrency())) +
                     " hardware threads of this machine, at most 256)");
  if (o.samples < 2) throw UsageError("--samples " + std::to_string(o.samples) + ": must be at least 2");
  if (o.batch_size < 2)
    throw UsageError("--batch-size " + std::to_string(o.batch_size) + ": must be at least 2");
  if (o.seeds < 1) throw UsageError("--seeds " + std::to_string(o.seeds) + ": must be at least 1");
  if (!(o.alpha > 0 && o.alpha < 1))
    throw UsageError("--alpha " + fmt_count(o.alpha) + ": must be in (0, 1)");
}

// Memory of a single run: the problem's d×d matrices (Σ, its factor, the
// exact gradient: about 8 of them) and, per thread, one batch (noise,
// actions, the per-sample gradients and estimates: about 3 d² + 2k + 6d
// doubles a sample) plus one sample of the score method.
void check_memory(const McOptions& o, Parameterization p, Index d, Index k) {
  const double n = static_cast<double>(d), threads = o.threads;
  const double per_sample =
      (p == Parameterization::scale_diag ? 3 * n : 3 * n * n) + 2.0 * static_cast<double>(k) + 6 * n;
  const double bytes = 8 * n * n * 8 + threads * (static_cast<double>(o.batch_size) * per_sample * 8 +
                                                  score_sample_bytes(registry().get(o.method).capabilities(),
                                                                     p, d, sizeof(double)));
  if (const auto excess = exceeds_memory(bytes, physical_memory_bytes()))
    throw UsageError("d = " + std::to_string(d) + ", --batch-size " + std::to_string(o.batch_size) +
                     ", --threads " + std::to_string(o.threads) + " (--method " + o.method +
                     "): the run needs " + *excess);
}

}  // namespace scorebench::cli::mc_cli

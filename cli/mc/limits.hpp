#pragma once
// Sizes `scorebench mc` refuses up front, with the estimate
// (estimators/mc/README.md, "Limits").

#include <string>

#include "options.hpp"
#include "scorebench/parameterization.hpp"

namespace scorebench::cli::mc_cli {

// Threads: at most 4 × the hardware threads (more only add switching; each
// thread holds a batch), and never more than 256.
int max_threads();

// Refuses a run whose work (what × samples × per_sample coordinates) is
// beyond kMaxWork, naming the option and the estimate.
void check_work(const std::string& option, double value, double work, const std::string& what, int threads);

// --threads, --samples, --batch-size and --seeds in range for every mode.
void check_common(const McOptions& o);

// Memory of a single run: the problem's d×d matrices (Σ, its factor, the
// exact gradient: about 8 of them) and, per thread, one batch (noise,
// actions, the per-sample gradients and estimates: about 3 d² + 2k + 6d
// doubles a sample) plus one sample of the score method.
void check_memory(const McOptions& o, Parameterization p, Index d, Index k);

}  // namespace scorebench::cli::mc_cli

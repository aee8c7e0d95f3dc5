// `autodiff_reverse` with libtorch: the batch is validated sample by sample
// with the library's own checks, the valid samples go through torch in
// batched graphs, and backward() gives every gradient at once. Built into the
// module libscorebench_torch.so, loaded on first use (torch_module.hpp).
//
// Memory: torch holds several tensors the size of the parameters at once
// (the leaves, their gradients, the solves' working copies and the outer
// products of the backward pass), about six times the batch's parameter.
// The valid samples therefore go through in parts of at most kPartEntries
// parameter entries (512 samples at d = 64, 128 at d = 128; every batch of
// d ≤ 22 with B ≤ 4096 in one part), so that what torch holds is bounded
// whatever B is. Per-sample outputs are the same as in one graph; a weighted
// sum adds the parts' sums.

#include "scorebench/methods/autodiff_reverse.hpp"

#include <ATen/Parallel.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "scorebench/factorizations.hpp"
#include "scorebench/torch_module.hpp"

namespace scorebench {
namespace {

// At most this many parameter entries go through one graph (16 MiB in f64).
constexpr Index kPartEntries = Index{1} << 21;

template <typename T>
constexpr torch::Dtype torch_dtype() {
  return std::is_same_v<T, double> ? torch::kFloat64 : torch::kFloat32;
}

// Columns `cols` of a column-major d × n matrix as an (m, d) tensor.
template <typename T>
torch::Tensor rows_of(const Mat<T>& m, const std::vector<Index>& cols) {
  const Index d = m.rows();
  auto t = torch::empty({static_cast<int64_t>(cols.size()), static_cast<int64_t>(d)},
                        torch::dtype(torch_dtype<T>()));
  T* out = t.template data_ptr<T>();
  for (size_t k = 0; k < cols.size(); ++k)
    std::copy_n(m.col(cols[k]).data(), d, out + static_cast<Index>(k) * d);
  return t;
}

// Parameter blocks as an (m, d, d) or (m, d) tensor (row-major in torch).
template <typename T>
torch::Tensor params_of(const Batch<T>& batch, const std::vector<Index>& samples) {
  const Index d = batch.dim();
  const int64_t m = static_cast<int64_t>(samples.size());
  if (!is_matrix(batch.parameterization)) {
    Mat<T> cols(d, m);
    for (int64_t k = 0; k < m; ++k) cols.col(k) = batch.param_of(samples[static_cast<size_t>(k)]).col(0);
    std::vector<Index> all(static_cast<size_t>(m));
    for (int64_t k = 0; k < m; ++k) all[static_cast<size_t>(k)] = k;
    return rows_of(cols, all);
  }
  auto t = torch::empty({m, d, d}, torch::dtype(torch_dtype<T>()));
  T* out = t.template data_ptr<T>();
  for (int64_t k = 0; k < m; ++k) {
    // Row-major block = column-major transpose.
    Eigen::Map<Mat<T>> block(out + k * d * d, d, d);
    block = batch.param_of(samples[static_cast<size_t>(k)]).transpose();
  }
  return t;
}

// MultivariateNormal's scale_tril from the parameter (torch.distributions).
torch::Tensor scale_tril_from(Parameterization p, const torch::Tensor& a) {
  switch (p) {
    case Parameterization::scale_tril: return a;
    case Parameterization::covariance_matrix: return torch::linalg::cholesky(a);
    case Parameterization::precision_matrix: {
      // _precision_to_scale_tril: Lf = chol(flip(Λ)), L⁻¹ = flip(Lf)ᵀ, L = solve(L⁻¹, I)
      const auto lf = torch::linalg::cholesky(torch::flip(a, {-2, -1}));
      const auto l_inv = torch::transpose(torch::flip(lf, {-2, -1}), -2, -1);
      const auto eye = torch::eye(a.size(-1), a.options());
      return torch::linalg::solve_triangular(l_inv, eye, /*upper=*/false, /*left=*/true,
                                             /*unitriangular=*/false);
    }
    case Parameterization::scale_diag: break;
  }
  throw std::logic_error("scale_tril_from: scale_diag has no matrix factor");
}

torch::Tensor log_prob_torch(Parameterization p, const torch::Tensor& loc, const torch::Tensor& action,
                             const torch::Tensor& param) {
  const double half_log_two_pi = 0.5 * std::log(2.0 * M_PI);
  const auto diff = action - loc;
  if (p == Parameterization::scale_diag) {
    // Independent(Normal(loc, σ), 1).log_prob
    const auto var = param.pow(2);
    return (-(diff.pow(2)) / (2 * var) - param.log() - half_log_two_pi).sum(-1);
  }
  const auto l = scale_tril_from(p, param);
  const int64_t d = diff.size(-1);
  const auto eps = torch::linalg::solve_triangular(l.expand({diff.size(0), d, d}), diff.unsqueeze(-1),
                                                   /*upper=*/false, /*left=*/true,
                                                   /*unitriangular=*/false)
                       .squeeze(-1);
  const auto half_log_det = l.diagonal(0, -2, -1).log().sum(-1);
  return -0.5 * (static_cast<double>(d) * 2 * half_log_two_pi + eps.pow(2).sum(-1)) - half_log_det;
}

class AutodiffReverse : public Method {
 public:
  std::string name() const override { return "autodiff_reverse"; }
  std::string summary() const override { return kAutodiffReverseSummary; }
  Result<double> evaluate(const Batch<double>& b, const Request<double>& r) const override {
    return run(b, r);
  }
  Result<float> evaluate(const Batch<float>& b, const Request<float>& r) const override { return run(b, r); }

 private:
  template <typename T>
  Result<T> run(const Batch<T>& given, const Request<T>& request) const {
    check_shapes(given, request, false, name());
    std::vector<SampleError> errors;
    const bool derive = given.action.size() == 0;
    const Batch<T> derived = derive ? with_actions(given, errors) : Batch<T>{};
    const Batch<T>& batch = derive ? derived : given;
    const Parameterization p = batch.parameterization;
    const Index n = batch.size(), d = batch.dim();
    const bool shared = batch.shared_param();

    const auto check_param = [&](Index b) -> std::optional<std::string> {
      if (auto e = check_param_values(p, batch.param_of(b))) return e;
      Mat<T> unused;
      if (is_symmetric(p)) return lower_cholesky<T>(scorebench::name(p), batch.param_of(b), unused);
      return std::nullopt;
    };
    if (shared)
      if (auto e = check_param(0)) throw std::domain_error(detail::shared_prefix(p, n) + *e);
    std::vector<char> bad(static_cast<size_t>(n), 0);
    for (const auto& e : errors) bad[static_cast<size_t>(e.sample)] = 1;
    std::vector<Index> valid;
    for (Index b = 0; b < n; ++b) {
      if (bad[static_cast<size_t>(b)]) continue;
      auto e = check_sample(batch, b, false);
      if (!e && !shared) e = check_param(b);
      if (e)
        errors.push_back({b, detail::sample_prefix(b) + *e});
      else
        valid.push_back(b);
    }
    std::sort(errors.begin(), errors.end(), [](const auto& x, const auto& y) { return x.sample < y.sample; });

    Result<T> result = make_result<T>(p, request.output, d, n);
    result.errors = std::move(errors);
    const size_t part = static_cast<size_t>(std::max<Index>(1, kPartEntries / (is_matrix(p) ? d * d : d)));
    for (size_t first = 0; first < valid.size(); first += part) {
      const std::vector<Index> samples(
          valid.begin() + static_cast<std::ptrdiff_t>(first),
          valid.begin() + static_cast<std::ptrdiff_t>(std::min(first + part, valid.size())));
      try {
        evaluate_part(batch, request, samples, result);
      } catch (const c10::Error& e) {
        // libtorch's message without its C++ backtrace, whose addresses
        // change from run to run (two runs of one sweep write the same JSON).
        throw std::domain_error(std::string("libtorch: ") + e.what_without_backtrace());
      }
    }
    return result;
  }

  // The samples `samples` (valid, increasing) through one torch graph: their
  // per-sample outputs written, or their weighted sum added to `result`.
  template <typename T>
  static void evaluate_part(const Batch<T>& batch, const Request<T>& request,
                            const std::vector<Index>& samples, Result<T>& result) {
    const Parameterization p = batch.parameterization;
    const Index d = batch.dim();
    const bool shared = batch.shared_param();
    const bool sum = request.output == Output::sum;
    const int64_t m = static_cast<int64_t>(samples.size());

    // Leaves: per-sample copies where per-sample gradients are asked for,
    // the one shared tensor (gradient summed by autograd) otherwise.
    const bool broadcast_loc = batch.loc.cols() == 1;
    torch::Tensor loc =
        rows_of(batch.loc, broadcast_loc ? std::vector<Index>(sum ? 1 : samples.size(), 0) : samples);
    torch::Tensor action = rows_of(batch.action, samples);
    torch::Tensor param = shared ? params_of(batch, {0}) : params_of(batch, samples);
    if (shared && !sum)
      param = param.expand(is_matrix(p) ? std::vector<int64_t>{m, d, d} : std::vector<int64_t>{m, d}).clone();
    loc.set_requires_grad(true);
    action.set_requires_grad(true);
    param.set_requires_grad(true);

    const torch::Tensor lp = log_prob_torch(p, loc, action, param);
    torch::Tensor c = torch::ones({m}, lp.options());
    if (sum && request.weights.size()) {
      Vec<T> cw(m);
      for (int64_t k = 0; k < m; ++k) cw(k) = request.weights(samples[static_cast<size_t>(k)]);
      c = torch::from_blob(cw.data(), {m}, lp.options()).clone();
    }
    const torch::Tensor objective = sum ? (c * lp).sum() : lp.sum();
    objective.backward();

    // (k, d) rows of a gradient tensor into the result's columns (added to
    // its one column for a sum).
    const auto copy_rows = [&](const torch::Tensor& t, Mat<T>& out) {
      const torch::Tensor tc = t.contiguous();
      const T* src = tc.template data_ptr<T>();
      const int64_t rows = tc.dim() == 1 ? 1 : tc.size(0);
      for (int64_t k = 0; k < rows; ++k) {
        const Eigen::Map<const Vec<T>> row(src + k * d, d);
        if (sum)
          out.col(0) += row;
        else
          out.col(samples[static_cast<size_t>(k)]) = row;
      }
    };
    if (sum) {
      result.log_prob(0) += objective.template item<T>();
      const auto gl = loc.grad().dim() == 2 ? loc.grad().sum(0) : loc.grad();
      copy_rows(gl.reshape({1, d}), result.grad_loc);
      copy_rows(action.grad().sum(0).reshape({1, d}), result.grad_action);
    } else {
      const torch::Tensor lpc = lp.detach().contiguous();
      for (int64_t k = 0; k < m; ++k)
        result.log_prob(samples[static_cast<size_t>(k)]) = lpc.template data_ptr<T>()[k];
      copy_rows(loc.grad(), result.grad_loc);
      copy_rows(action.grad(), result.grad_action);
    }
    // Parameter gradients: row-major torch blocks into column-major blocks.
    torch::Tensor gp = param.grad();
    if (sum && gp.dim() == (is_matrix(p) ? 3 : 2)) gp = gp.sum(0);
    gp = gp.contiguous();
    const T* src = gp.template data_ptr<T>();
    const int64_t blocks = sum ? 1 : m;
    const Index block_size = is_matrix(p) ? d * d : d;
    for (int64_t k = 0; k < blocks; ++k) {
      auto dst = result.grad_param_of(sum ? 0 : samples[static_cast<size_t>(k)]);
      if (is_matrix(p)) {
        const Eigen::Map<const Mat<T>> g(src + k * block_size, d, d);
        if (sum)
          dst += g.transpose();
        else
          dst = g.transpose();
      } else if (sum) {
        dst.col(0) += Eigen::Map<const Vec<T>>(src + k * block_size, d);
      } else {
        dst.col(0) = Eigen::Map<const Vec<T>>(src + k * block_size, d);
      }
    }
  }
};

Method* make_method() { return new AutodiffReverse(); }

void set_threads(int threads) {
  if (at::get_num_threads() != threads) at::set_num_threads(threads);
}

const TorchModule kModule{kTorchModuleAbi, &make_method, &set_threads, TORCH_VERSION};

}  // namespace
}  // namespace scorebench

extern "C" __attribute__((visibility("default"))) const scorebench::TorchModule*
scorebench_torch_module_v1() {
  return &scorebench::kModule;
}

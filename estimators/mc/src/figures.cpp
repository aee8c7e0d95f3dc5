#include "scorebench/mc/figures.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <iomanip>
#include <sstream>

namespace scorebench::mc {

namespace {
std::vector<double> grid(double first, double last, double step) {
  std::vector<double> ks;
  const int n = static_cast<int>(std::lround((last - first) / step));
  for (int i = 0; i <= n; ++i) ks.push_back(first + step * i);
  return ks;
}
}  // namespace

std::vector<FigureGrid> figure_grids() {
  return {{"square", grid(-3, 3, 0.5)}, {"exp_neg_square", grid(0, 3, 0.25)}, {"cos", grid(0.25, 5, 0.25)}};
}

std::vector<FigurePoint> reproduce_figures(const FigureOptions& options) {
  const double z = boost::math::quantile(boost::math::normal(), (1 + options.confidence) / 2);
  std::vector<FigurePoint> points;
  std::uint64_t run = 0;
  for (const FigureGrid& g : figure_grids()) {
    if (!options.families.empty() &&
        std::find(options.families.begin(), options.families.end(), g.family) == options.families.end())
      continue;
    for (double k : g.ks) {
      std::ostringstream spec;
      spec << g.family << ":" << k;
      Problem problem{parse_cost(spec.str()), Vec<double>::Ones(1), Parameterization::scale_diag,
                      Mat<double>::Ones(1, 1)};
      for (Estimator e : correct_estimators()) {
        EstimateOptions eo;
        eo.estimator = e;
        eo.method = options.method;
        eo.samples = options.samples;
        eo.seed = options.seed + run++;
        eo.threads = options.threads;
        const Estimate est = estimate(problem, eo);
        for (Index j = 0; j < 2; ++j) {
          FigurePoint p;
          p.family = g.family;
          p.k = k;
          p.estimator = std::string(name(e));
          p.parameter = j == 0 ? "mean" : "std";
          p.exact_gradient = est.exact(j);
          p.mean = est.mean(j);
          p.variance = est.variance(j);
          p.ci_low = std::max(0.0, p.variance - z * est.variance_stderr(j));
          p.ci_high = p.variance + z * est.variance_stderr(j);
          p.seconds_per_sample = est.seconds_per_sample();
          p.work_normalised_variance = p.variance * p.seconds_per_sample;
          points.push_back(p);
        }
      }
    }
  }
  return points;
}

void write_figures_csv(std::ostream& out, const std::vector<FigurePoint>& points) {
  out << "family,k,estimator,parameter,exact_gradient,mean,variance,ci_low,ci_high,seconds_per_sample,"
         "work_normalised_variance\n";
  out << std::setprecision(10);
  for (const FigurePoint& p : points)
    out << p.family << ',' << p.k << ',' << p.estimator << ',' << p.parameter << ',' << p.exact_gradient
        << ',' << p.mean << ',' << p.variance << ',' << p.ci_low << ',' << p.ci_high << ','
        << p.seconds_per_sample << ',' << p.work_normalised_variance << '\n';
}

}  // namespace scorebench::mc

// runtime/Psis.cpp — k-hat: Zhang-Stephens generalized Pareto fit of the largest importance weights.
#include "runtime/Psis.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

namespace mv::rt {

uint64_t psisTailLength(uint64_t samples) {
  const double n = double(samples);
  return uint64_t(std::ceil(std::min(0.2 * n, 3.0 * std::sqrt(n))));
}

GpdFit gpdFit(const std::vector<double>& x) {
  constexpr double kPriorBs = 3, kPriorK = 10;
  const size_t n = x.size();
  const size_t m = 30 + size_t(std::sqrt(double(n)));
  const double quartile = x[size_t(double(n) / 4 + 0.5) - 1];
  std::vector<double> b(m), l(m);
  for (size_t j = 0; j < m; ++j) {
    b[j] = (1 - std::sqrt(double(m) / (double(j + 1) - 0.5))) / (kPriorBs * quartile) + 1 / x[n - 1];
    double k = 0;
    for (double xi : x) k += std::log1p(-b[j] * xi);
    k /= double(n);
    l[j] = double(n) * (std::log(-(b[j] / k)) - k - 1);  // profile log likelihood
  }
  // Posterior weights of the grid points, 1 / sum_i exp(l_i - l_j); negligible ones dropped.
  double bPost = 0, wSum = 0;
  std::vector<double> w(m);
  for (size_t j = 0; j < m; ++j) {
    double s = 0;
    for (size_t i = 0; i < m; ++i) s += std::exp(l[i] - l[j]);
    w[j] = 1 / s;
  }
  for (size_t j = 0; j < m; ++j) {
    if (!(w[j] >= 10 * DBL_EPSILON)) continue;
    wSum += w[j];
  }
  for (size_t j = 0; j < m; ++j)
    if (w[j] >= 10 * DBL_EPSILON) bPost += b[j] * (w[j] / wSum);
  double k = 0;
  for (double xi : x) k += std::log1p(-bPost * xi);
  k /= double(n);
  GpdFit fit;
  fit.sigma = -k / bPost;
  fit.k = (double(n) * k + kPriorK * 0.5) / (double(n) + kPriorK);
  return fit;
}

double paretoKHat(const std::vector<double>& largestDesc, uint64_t samples) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (largestDesc.empty()) return nan;
  const size_t tail = size_t(psisTailLength(samples));
  const double max = largestDesc[0];
  // The (M+1)-th largest log weight; a zero weight (-inf) when there are not that many.
  const double cutoffLw = largestDesc.size() > tail ? largestDesc[tail] : -std::numeric_limits<double>::infinity();
  const double cutoff = std::max(cutoffLw - max, std::log(DBL_MIN));
  const double expCutoff = std::exp(cutoff);
  std::vector<double> x;
  for (size_t i = 0; i < largestDesc.size() && i < tail; ++i)
    if (largestDesc[i] - max > cutoff) x.push_back(std::exp(largestDesc[i] - max) - expCutoff);
  if (x.size() <= 4) return nan;
  std::sort(x.begin(), x.end());
  return gpdFit(x).k;
}

}  // namespace mv::rt

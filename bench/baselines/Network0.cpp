// bench/baselines/Network0.cpp — network_0's counterfactual query, sampled by hand-written C++.
//
// The same algorithm as the compiled query: N1, N0 observed (weight by their mass), the
// noise of N5 and N13 set by inversion (point proposal, weight by its mass), every other
// noise drawn from its prior from the stream of (seed, sample, site ordinal, world 0);
// the counterfactual world sets N1 = true and recomputes N9's ancestors below N1.
#include "bench/baselines/Baselines.h"

#include <cmath>

namespace mv::bench {

namespace {

inline bool bern(uint64_t seed, uint64_t sample, uint32_t site, double p) {
  mv_rt_stream s = mv_rt_stream_for(seed, sample, site, 0);
  return mv_rt_draw_bernoulli(&s, &p, 1) != 0;
}

inline double logMass(bool x, double p) { return x ? std::log(p) : std::log1p(-p); }

}  // namespace

int32_t network0Sample(void*, uint64_t seed, uint64_t i, double* logw, double* fullLogw, double* preds, mv_rt_error*) {
  static const double kObserved = std::log1p(-0.48792307175446303) + std::log(0.3901288429968601);
  const bool N1 = false, N0 = true;
  double lw = kObserved;
  const bool u2 = bern(seed, i, 2, 0.4367672176796678);
  const bool N2 = (0.8481486756602484 * N0 + 0.15185132433975151 * N1 > 0.5) != u2;
  const bool u3 = bern(seed, i, 3, 0.4384633992013566);
  const bool N3 = (0.3280684141050235 * N0 + 0.3241250853700423 * N1 + 0.34780650052493417 * N2 > 0.5) != u3;
  const bool u4 = bern(seed, i, 4, 0.49177225854534434);
  const bool N4 = (0.43551984806663885 * N0 + 0.16743316040810308 * N1 + 0.39704699152525813 * N3 > 0.5) != u4;
  const bool u6 = bern(seed, i, 5, 0.5609760959584957);
  const bool N6 = (0.17081698103034598 * N0 + 0.21452676234513754 * N1 + 0.37388141163873195 * N3 +
                   0.24077484498578455 * N4 > 0.5) != u6;
  const bool u7 = bern(seed, i, 6, 0.3273709118335185);
  const bool N7 = (0.3188190387579071 * N2 + 0.31467539156217983 * N4 + 0.3665055696799129 * N6 > 0.5) != u7;
  const bool u8 = bern(seed, i, 7, 0.4384694796966538);
  const bool N8 = (0.245921910334497 * N0 + 0.19855397309098222 * N2 + 0.1624136057583272 * N3 +
                   0.12586836482500458 * N4 + 0.267242145991189 * N7 > 0.5) != u8;
  const bool u9 = bern(seed, i, 8, 0.3972713094166225);
  const bool N9 = (0.1485734166903146 * N0 + 0.059530440402712305 * N1 + 0.16476528164363463 * N3 +
                   0.20268583427149547 * N4 + 0.1863867164309641 * N6 + 0.23805831056087895 * N8 > 0.5) != u9;
  const bool u12 = bern(seed, i, 9, 0.41010998071214055);
  const bool N12 = (0.34523488220767323 * N2 + 0.2421706136853261 * N3 + 0.14295088721634727 * N4 +
                    0.2696436168906535 * N9 > 0.5) != u12;
  const bool u10 = bern(seed, i, 10, 0.43674545097934836);
  const bool N10 = (0.26477419154696563 * N1 + 0.20443096623777635 * N2 + 0.15859777977078843 * N4 +
                    0.25880208455533177 * N8 + 0.1133949778891379 * N9 > 0.5) != u10;
  const bool u11 = bern(seed, i, 11, 0.3445234390192253);
  const bool N11 = (0.15151077665353313 * N0 + 0.21035710467208757 * N1 + 0.167877307683808 * N7 +
                    0.2160345783958964 * N9 + 0.25422023259467497 * N10 > 0.5) != u11;
  // observe N5 == true: its noise is the one value that makes it hold.
  const bool f5 = 0.6543881346929328 * N3 + 0.3456118653070672 * N4 > 0.5;
  const bool u5 = true != f5;
  lw += logMass(u5, 0.4430390978214756);
  const bool N5 = true;
  // observe N13 == true, likewise.
  const bool f13 = 0.054620954919194324 * N0 + 0.08993457495851079 * N1 + 0.09006744192142074 * N2 +
                       0.10834417665649687 * N3 + 0.07329831647593517 * N4 + 0.10148532103961792 * N5 +
                       0.09546637524612778 * N7 + 0.02890740567324637 * N8 + 0.11360846881731852 * N9 +
                       0.032293887333992154 * N10 + 0.11549943222284732 * N11 + 0.09647364473529195 * N12 >
                   0.5;
  const bool u13 = true != f13;
  lw += logMass(u13, 0.4403895719516282);

  // Counterfactual world: do N1 = true; the noise is kept.
  const bool M1 = true;
  const bool M2 = (0.8481486756602484 * N0 + 0.15185132433975151 * M1 > 0.5) != u2;
  const bool M3 = (0.3280684141050235 * N0 + 0.3241250853700423 * M1 + 0.34780650052493417 * M2 > 0.5) != u3;
  const bool M4 = (0.43551984806663885 * N0 + 0.16743316040810308 * M1 + 0.39704699152525813 * M3 > 0.5) != u4;
  const bool M6 = (0.17081698103034598 * N0 + 0.21452676234513754 * M1 + 0.37388141163873195 * M3 +
                   0.24077484498578455 * M4 > 0.5) != u6;
  const bool M7 = (0.3188190387579071 * M2 + 0.31467539156217983 * M4 + 0.3665055696799129 * M6 > 0.5) != u7;
  const bool M8 = (0.245921910334497 * N0 + 0.19855397309098222 * M2 + 0.1624136057583272 * M3 +
                   0.12586836482500458 * M4 + 0.267242145991189 * M7 > 0.5) != u8;
  const bool M9 = (0.1485734166903146 * N0 + 0.059530440402712305 * M1 + 0.16476528164363463 * M3 +
                   0.20268583427149547 * M4 + 0.1863867164309641 * M6 + 0.23805831056087895 * M8 > 0.5) != u9;
  *logw = lw;
  *fullLogw = *logw;
  preds[0] = M9;
  return 0;
}

}  // namespace mv::bench

// runtime/DataCheck.cpp — the checks of bound data that a query needs before sampling (ir::DataCheck).
#include "runtime/DataBind.h"
#include "runtime/Report.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace mv::rt {

namespace {

/// Slot `slot`'s word as a double (runtime/QueryMeta.h: type 0 bool, 1 int, 2 real).
double valueOf(const uint64_t* data, int32_t type, int32_t slot) {
  const uint64_t w = data[slot];
  if (type == 2) return std::bit_cast<double>(w);
  if (type == 1) return double(std::bit_cast<int64_t>(w));
  return w != 0 ? 1.0 : 0.0;
}

}  // namespace

std::string dataCheckText(const char* text, double value, const std::string& file) {
  std::string t;
  for (const char* c = text; *c; ++c) {
    if (*c == '\x07') t += file;
    else t += *c;
  }
  return fillTemplate(t.c_str(), value, 0, 0, 0);
}

int32_t failedDataCheck(const mv_rt_data_check* checks, int32_t n, const uint64_t* data, double* value, bool* sum) {
  *sum = false;
  for (int32_t k = 0; k < n; ++k) {
    const mv_rt_data_check& c = checks[k];
    if (c.kind == 0) {
      const double v = valueOf(data, c.type, c.slots[0]);
      const bool inside = (c.lo_open ? v > c.lo : v >= c.lo) && (c.hi_open ? v < c.hi : v <= c.hi);
      if (inside) continue;
      // An int site's message shows the int (\x05, its bits in the value); a real's the double.
      const bool asInt = c.element && std::strchr(c.element, '\x05') != nullptr;
      *value = asInt ? std::bit_cast<double>(int64_t(v)) : v;
      return k;
    }
    double total = 0;
    for (int32_t j = 0; j < c.count; ++j) {
      const double v = valueOf(data, c.type, c.slots[j]);
      if (!(v >= 0) || !std::isfinite(v)) {  // the domain's own check: finite and non-negative
        *value = v;
        return k;
      }
      total += v;
    }
    if (std::fabs(total - 1.0) > 1e-9) {
      *value = total;
      *sum = true;
      return k;
    }
  }
  return -1;
}

bool checkBoundData(const mv_rt_data_check* checks, int32_t n, const uint64_t* data, const std::string& file,
                    std::string* error) {
  double value = 0;
  bool sum = false;
  const int32_t k = failedDataCheck(checks, n, data, &value, &sum);
  if (k < 0) return true;
  *error = dataCheckText(sum ? checks[k].sum : checks[k].element, value, file);
  return false;
}

}  // namespace mv::rt

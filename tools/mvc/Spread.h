// tools/mvc/Spread.h — under MPI, the queries of one `mvc run` given whole to ranks when that beats splitting each.
#pragma once

#include "ir/Graph.h"

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <vector>

namespace mv::tools {

/// The rule (docs/parallel.md): with K > 1 ranks and Q sampling queries, each query runs
/// whole on one rank when every rank gets one and the shares are within 25% of even
/// (ceil(Q/K) <= 1.25 Q/K: Q = K, 2K, ..., or Q >= 4K); otherwise every query is split over
/// all ranks. A whole query is compiled (JIT) on one rank only and needs no sync per round,
/// so spreading wins whenever the ranks are evenly loaded; splitting wins when they would
/// not be (fewer queries than ranks, or one rank with an extra query). MV_MPI_SPREAD=0 or 1
/// overrides the rule (always split, always spread).
bool spreadQueries(size_t numQueries);

/// Runs query i on rank i mod K, in that process alone, with `runOne` writing its output and
/// diagnostics to the streams it is given; rank 0 prints every query's in the file's order
/// (the bytes one process prints). Returns the worst exit status, the same on every rank.
int runSpread(const std::vector<ir::QueryGraph>& queries,
              const std::function<int(const ir::QueryGraph&, std::ostream& out, std::ostream& err)>& runOne);

}  // namespace mv::tools

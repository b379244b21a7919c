// tools/mvc/Spread.cpp — whole queries on ranks, their printed results gathered on rank 0 in file order.
#include "tools/mvc/Spread.h"

#include "runtime/Mpi.h"
#include "runtime/Wire.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

namespace mv::tools {

bool spreadQueries(size_t numQueries) {
  const size_t k = size_t(rt::mpi::size());
  if (k <= 1) return false;
  if (const char* force = std::getenv("MV_MPI_SPREAD"); force && *force)  // 0: always split, 1: always spread
    return force[0] == '1';
  if (numQueries < k) return false;
  const size_t most = (numQueries + k - 1) / k;  // the busiest rank's queries
  return 4 * most * k <= 5 * numQueries;
}

int runSpread(const std::vector<ir::QueryGraph>& queries,
              const std::function<int(const ir::QueryGraph&, std::ostream& out, std::ostream& err)>& runOne) {
  const size_t k = size_t(rt::mpi::size()), me = size_t(rt::mpi::rank());
  rt::WireWriter w;
  for (size_t i = me; i < queries.size(); i += k) {
    std::ostringstream out, err;
    int status = 0;
    {
      rt::mpi::SoloScope solo;  // this query's samples all on this rank
      status = runOne(queries[i], out, err);
    }
    w.put<uint64_t>(i);
    w.put<int32_t>(status);
    w.putString(out.str());
    w.putString(err.str());
  }
  std::vector<std::string> parts = rt::mpi::gather(w.bytes());
  std::string decision;
  if (me == 0) {
    std::vector<int> status(queries.size(), -1);
    std::vector<std::string> outs(queries.size()), errs(queries.size());
    for (const std::string& part : parts) {
      rt::WireReader in(part);
      for (size_t n = 0; n < (queries.size() + k - 1) / k && in.ok(); ++n) {
        const uint64_t i = in.get<uint64_t>();
        const int32_t s = in.get<int32_t>();
        std::string o = in.getString(), e = in.getString();
        if (!in.ok()) break;
        if (i >= queries.size()) rt::mpi::abortAll("a rank sent a result for an unknown query");
        status[i] = s, outs[i] = std::move(o), errs[i] = std::move(e);
      }
    }
    int worst = 0;
    for (size_t i = 0; i < queries.size(); ++i) {
      if (status[i] < 0) rt::mpi::abortAll("no rank sent the result of query '" + queries[i].name + "'");
      std::cout << outs[i];
      std::cout.flush();
      std::cerr << errs[i];
      worst = std::max(worst, status[i]);
    }
    decision = std::to_string(worst);
  }
  return std::stoi(rt::mpi::broadcast(decision));
}

}  // namespace mv::tools

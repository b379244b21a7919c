// runtime/Report.h — printing a query's estimates (table or JSON lines): shared by mvc and native samplers.
#pragma once

#include "runtime/Driver.h"
#include "runtime/QueryMeta.h"
#include "runtime/Reliability.h"

#include <iosfwd>
#include <string>

namespace mv::rt {

struct RunInfo {
  std::string engine;
  uint64_t samples = 0;  ///< --samples: the most a run may use (it uses RunResult::acc.count())
  uint64_t seed = 0;
  int threads = 0;
  Targets targets;       ///< --target-stderr, --target-ess
};

/// Prints the result of one query in the spec's JSON-lines form (one object, one line).
void printJson(std::ostream& os, const mv_rt_query_meta& q, const RunInfo& info, const RunResult& r);
/// Prints the JSON line of a query that failed: query, model, kind, engine, and `error`, the
/// first line of `diagnostic` (the message as printed on stderr: "FILE:L:C: error: ...").
void printJsonError(std::ostream& os, const mv_rt_query_meta& q, const std::string& diagnostic);
/// Prints the result of one query as an aligned table.
void printTable(std::ostream& os, const mv_rt_query_meta& q, const RunInfo& info, const RunResult& r);

/// `text` with \x01 replaced by `value` (the shortest form that reads back exactly), \x02 by
/// seed, \x03 by sample, \x04 by samples, \x05 by `value`'s bits as an int64
/// (mv_rt_error::int_value).
std::string fillTemplate(const char* text, double value, uint64_t seed, uint64_t sample, uint64_t samples);

}  // namespace mv::rt

// driver/DataBinding.h — a program's `data` declarations as the runtime's binder takes them (runtime/DataBind.h).
#pragma once

#include "backend/Native.h"
#include "ir/Diagnostics.h"
#include "ir/Graph.h"
#include "ir/SourceManager.h"
#include "runtime/QueryMeta.h"

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace mv::driver {

/// The declarations, each with its diagnostic rendered at the declaration (mvc's format,
/// \x06 for the message): what mvc binds with and what `mvc build` embeds in an executable.
struct DataMeta {
  std::vector<mv_rt_data_meta> decls;
  int32_t size = 0;
  std::deque<std::string> texts;           ///< the strings decls point into
  std::deque<std::vector<int32_t>> dims;
};
DataMeta renderDataMeta(const SourceManager& sources, const std::vector<ir::DataDecl>& data, uint32_t size);

/// Binds `data` from file `path` into *buffer (an empty path: rt::bindData). Returns false with every error, as mvc prints it, in *errors.
bool bindDataFile(const SourceManager& sources, const std::vector<ir::DataDecl>& data, uint32_t size,
                  const std::string& path, std::vector<uint64_t>* buffer, std::string* errors);

/// The checks of bound data query `g` needs before sampling (ir::DataCheck), each message
/// rendered as mvc prints it: what mvc runs and what `mvc build` embeds.
std::vector<backend::NativeMessages::DataCheck> renderDataChecks(const SourceManager& sources, const ir::QueryGraph& g);

/// Makes `g`'s data checks on the bound `data` (bound from `file`, named in the messages):
/// reports the first that fails (spec/data.md §1: exit status 3) and returns true, else false.
bool reportDataChecks(DiagnosticEngine& diags, const ir::QueryGraph& g, const uint64_t* data, const std::string& file);

}  // namespace mv::driver

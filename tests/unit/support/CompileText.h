// tests/unit/support/CompileText.h — compiling .mv text to scheduled query graphs, for tests of any library.
#pragma once

#include "ir/Graph.h"
#include "passes/Passes.h"

#include <string>
#include <vector>

namespace mv::test {

/// Parses, checks and runs the pass pipeline (with `options`) on `text`; on error returns
/// no graphs and puts the printed diagnostics (or the verifier's first complaint) in *errors.
std::vector<ir::QueryGraph> compileText(const std::string& name, const std::string& text, std::string* errors,
                                        const passes::PipelineOptions& options = {});

/// The file's contents ("" when unreadable).
std::string readText(const std::string& path);

}  // namespace mv::test

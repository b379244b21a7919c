// tests/unit/support/CompileText.cpp — the front end and pass pipeline as tests call them.
#include "tests/unit/support/CompileText.h"

#include "frontend/Compile.h"
#include "frontend/Parse.h"

#include <fstream>
#include <sstream>

namespace mv::test {

std::vector<ir::QueryGraph> compileText(const std::string& name, const std::string& text, std::string* errors,
                                        const passes::PipelineOptions& options) {
  SourceManager sources;
  DiagnosticEngine diags(sources);
  uint32_t file = sources.add(name, text);
  ast::Program program = frontend::parse(sources, file, diags);
  std::vector<ir::QueryGraph> graphs;
  if (!diags.hasErrors()) graphs = frontend::lowerProgram(program, sources, diags);
  if (diags.hasErrors()) {
    std::ostringstream os;
    diags.print(os);
    if (errors) *errors = os.str();
    return {};
  }
  for (ir::QueryGraph& g : graphs) {
    std::vector<std::string> problems = passes::runPipeline(g, options);
    if (!problems.empty()) {
      if (errors) *errors = "invalid IR: " + problems.front();
      return {};
    }
  }
  return graphs;
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace mv::test

// tests/unit/support/CompileText.cpp — the driver's pipeline (parse, check, lower, passes) as tests call it.
#include "tests/unit/support/CompileText.h"

#include "driver/Session.h"

#include <fstream>
#include <sstream>

namespace mv::test {

std::vector<ir::QueryGraph> compileText(const std::string& name, const std::string& text, std::string* errors,
                                        const passes::PipelineOptions& options) {
  driver::Session session;
  if (driver::compile(session, name, text, options)) return std::move(session.queries);
  if (errors) {
    std::ostringstream os;
    session.diags->print(os);
    *errors = session.internalError.empty() ? os.str() : "invalid IR: " + session.internalError;
  }
  return {};
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace mv::test

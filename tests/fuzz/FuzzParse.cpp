// tests/fuzz/FuzzParse.cpp — libFuzzer target: the byte-level pre-scan and the ANTLR parser on arbitrary bytes.
// Finds crashes, sanitizer reports, hangs and memory blow-ups of the front end's first stage;
// every diagnostic it reports must also print.
#include "frontend/Parse.h"
#include "ir/Diagnostics.h"
#include "ir/SourceManager.h"
#include "tests/fuzz/LargeStack.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

namespace {

struct ParseCall {
  std::string text;
};

void parseOnWorker(void* p) {
  mv::SourceManager sources;
  mv::DiagnosticEngine diags(sources);
  uint32_t file = sources.add("fuzz.mv", std::move(static_cast<ParseCall*>(p)->text));
  mv::ast::Program program = mv::frontend::parse(sources, file, diags);
  std::ostringstream sink;
  diags.print(sink);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ParseCall call{std::string(reinterpret_cast<const char*>(data), size)};
  // On a 1 GB stack as mvc parses (driver::withLargeStack), without linking the engines.
  mv::fuzz::LargeStackWorker::run(parseOnWorker, &call);
  return 0;
}

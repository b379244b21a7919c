// tests/fuzz/FuzzParse.cpp — libFuzzer target: the byte-level pre-scan and the ANTLR parser on arbitrary bytes.
// Finds crashes, sanitizer reports, hangs and memory blow-ups of the front end's first stage;
// every diagnostic it reports must also print.
#include "frontend/Parse.h"
#include "ir/Diagnostics.h"
#include "ir/SourceManager.h"

#include <cstddef>
#include <cstdint>
#include <pthread.h>
#include <sstream>
#include <string>

namespace {

struct ParseCall {
  std::string text;
};

void* parseOnThread(void* p) {
  mv::SourceManager sources;
  mv::DiagnosticEngine diags(sources);
  uint32_t file = sources.add("fuzz.mv", std::move(static_cast<ParseCall*>(p)->text));
  mv::ast::Program program = mv::frontend::parse(sources, file, diags);
  std::ostringstream sink;
  diags.print(sink);
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ParseCall call{std::string(reinterpret_cast<const char*>(data), size)};
  // On a 1 GB stack as mvc parses (driver::withLargeStack), without linking the engines.
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(1) << 30);
  pthread_t thread;
  if (pthread_create(&thread, &attr, parseOnThread, &call) != 0) __builtin_trap();
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return 0;
}

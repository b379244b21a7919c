// tests/fuzz/FuzzCompile.cpp — libFuzzer target: parse, check, lower and every pass, verifying after each.
// A verifier complaint on a program that checked is a finding (the pipeline made invalid IR);
// so is any crash, sanitizer report, hang or blow-up. Each graph is also printed.
#include "ir/Printer.h"
#include "tests/fuzz/FuzzCommon.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mv::driver::Session s;
  if (!mv::fuzz::compileInput(data, size, s, /*verifyEach=*/true)) return 0;
  std::ostringstream sink;
  for (const mv::ir::QueryGraph& g : s.queries) mv::ir::print(sink, g);
  return 0;
}

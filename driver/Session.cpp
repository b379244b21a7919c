// driver/Session.cpp — reading, compiling and the large-stack compiler thread.
#include "driver/Session.h"

#include "frontend/Compile.h"
#include "frontend/Parse.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <pthread.h>
#include <sstream>

namespace mv::driver {

std::optional<std::string> readFile(const std::string& path, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<std::string> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return fail("it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(std::strerror(errno));
  // Read in chunks up to the limit: a device such as /dev/zero never ends.
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    if (text.size() + size_t(in.gcount()) > kMaxInputBytes)
      return fail("it is larger than the input limit of " + std::to_string(kMaxInputBytes >> 20) + " MiB");
    text.append(buf, size_t(in.gcount()));
  }
  if (in.bad()) return fail(std::strerror(errno));
  return text;
}

bool compile(Session& s, const std::string& name, std::string text, const passes::PipelineOptions& pipeline,
             const std::string& only) {
  uint32_t file = s.sources.add(name, std::move(text));
  ast::Program program = frontend::parse(s.sources, file, *s.diags);
  if (s.diags->hasErrors()) return false;
  s.queries = frontend::lowerProgram(program, s.sources, *s.diags, s.limits);
  if (s.diags->hasErrors()) return false;
  for (ir::QueryGraph& g : s.queries) {
    if (!only.empty() && g.name != only) continue;
    std::vector<std::string> problems = passes::runPipeline(g, pipeline);
    if (!problems.empty()) {
      s.internalError = "internal error: invalid IR for query '" + g.name + "':\n";
      for (const std::string& p : problems) s.internalError += "  " + p + "\n";
      return false;
    }
  }
  return true;
}

bool compileEach(Session& s, const std::string& name, std::string text, const passes::PipelineOptions& pipeline,
                 const std::string& only, const std::function<bool()>& checked,
                 const std::function<bool(ir::QueryGraph&)>& each) {
  uint32_t file = s.sources.add(name, std::move(text));
  ast::Program program = frontend::parse(s.sources, file, *s.diags);
  if (s.diags->hasErrors()) return false;
  frontend::QueryLowering lowering(program, s.sources, *s.diags, s.limits);
  for (size_t k = 0; k < lowering.queries().size(); ++k) {
    s.queryNames.push_back(lowering.queries()[k]->name);
    lowering.lower(k);  // its diagnostics; the graph is dropped at once
  }
  if (s.diags->hasErrors()) return false;
  s.data = lowering.data();
  s.dataSize = lowering.dataSize();
  if (!checked()) return true;
  for (size_t k = 0; k < lowering.queries().size(); ++k) {
    if (!only.empty() && lowering.queries()[k]->name != only) continue;
    std::optional<ir::QueryGraph> g = lowering.lower(k);
    if (!g) continue;  // not reached: it lowered without errors above
    std::vector<std::string> problems = passes::runPipeline(*g, pipeline);
    if (!problems.empty()) {
      s.internalError = "internal error: invalid IR for query '" + g->name + "':\n";
      for (const std::string& p : problems) s.internalError += "  " + p + "\n";
      return false;
    }
    if (!each(*g)) break;
  }
  return true;
}

void printPassNotes(const Session& s, const ir::QueryGraph& g, std::ostream& os, WarningCap* cap) {
  DiagnosticEngine notes(s.sources);
  for (const ir::PassNote& note : g.notes) notes.report(note.id, note.loc, note.args);
  notes.print(os, cap);
}

void printPassNotes(const Session& s, std::ostream& os) {
  DiagnosticEngine notes(s.sources);
  for (const ir::QueryGraph& g : s.queries)
    for (const ir::PassNote& note : g.notes) notes.report(note.id, note.loc, note.args);
  notes.print(os);
}

namespace {

struct Call {
  int (*fn)(void*);
  void* arg;
  int result;
};

void* trampoline(void* p) {
  Call* c = static_cast<Call*>(p);
  c->result = c->fn(c->arg);
  return nullptr;
}

}  // namespace

int withLargeStack(int (*fn)(void*), void* arg) {
  Call call{fn, arg, 0};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(1) << 30);  // virtual: only touched pages cost memory
  pthread_t thread;
  if (pthread_create(&thread, &attr, trampoline, &call) != 0) {
    pthread_attr_destroy(&attr);
    return fn(arg);
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return call.result;
}

}  // namespace mv::driver

// tools/repl/ReplSession.cpp — incremental definitions: reparse owned declarations, lower the whole program.
#include "tools/repl/ReplSession.h"

#include "frontend/Compile.h"
#include "frontend/Parse.h"
#include "ir/Printer.h"

#include <algorithm>
#include <ostream>
#include <set>
#include <sstream>

namespace mv::tools::repl {

namespace {

/// Each declaration of `p` as (key, line of its location).
std::vector<std::pair<std::string, uint32_t>> declKeys(const ast::Program& p) {
  std::vector<std::pair<std::string, uint32_t>> out;
  for (const ast::ConstDecl& d : p.consts) out.emplace_back("const " + d.name, d.loc.line);
  for (const ast::FnDecl& d : p.fns) out.emplace_back("fn " + d.name, d.loc.line);
  for (const ast::ModelDecl& d : p.models) out.emplace_back("model " + d.name, d.loc.line);
  for (const ast::QueryDecl& d : p.queries) out.emplace_back("query " + d.name, d.loc.line);
  for (const ast::DataDecl& d : p.datas) out.emplace_back("data " + d.name, d.loc.line);
  return out;
}

/// Moves the declaration with key `key` from `from` to `to`.
void take(ast::Program& from, const std::string& key, ast::Program& to) {
  auto move = [&](auto& src, auto& dst, const std::string& kind) {
    for (auto& d : src)
      if (kind + " " + d.name == key) {
        dst.push_back(std::move(d));
        d.name.clear();  // moved-from: never matches again
        return true;
      }
    return false;
  };
  move(from.consts, to.consts, "const") || move(from.fns, to.fns, "fn") ||
      move(from.models, to.models, "model") || move(from.queries, to.queries, "query") ||
      move(from.datas, to.datas, "data");
}

}  // namespace

bool ReplSession::check(const std::map<std::string, uint32_t>& owner, const std::vector<std::string>& order,
                        std::vector<ir::QueryGraph>* graphs, std::ostream& err) {
  std::map<uint32_t, ast::Program> parsed;
  DiagnosticEngine scratch(session_.sources);
  for (const auto& [key, file] : owner)
    if (!parsed.count(file)) parsed.emplace(file, frontend::parse(session_.sources, file, scratch));
  ast::Program program;
  for (const std::string& key : order) {
    uint32_t file = owner.at(key);
    // A chunk defining a name twice keeps both, so the checker reports the duplicate.
    std::vector<std::pair<std::string, uint32_t>> keys = declKeys(parsed.at(file));
    size_t n = size_t(std::count_if(keys.begin(), keys.end(), [&](const auto& k) { return k.first == key; }));
    for (size_t i = 0; i < std::max<size_t>(n, 1); ++i) take(parsed.at(file), key, program);
  }
  session_.diags = std::make_unique<DiagnosticEngine>(session_.sources);
  *graphs = frontend::lowerProgram(program, session_.sources, *session_.diags);
  session_.diags->print(err);
  return !session_.diags->hasErrors();
}

bool ReplSession::define(const std::string& name, std::string text, std::ostream& err, std::ostream& out) {
  uint32_t file = session_.sources.add(name, std::move(text));
  DiagnosticEngine diags(session_.sources);
  ast::Program program = frontend::parse(session_.sources, file, diags);
  if (diags.hasErrors()) {
    diags.print(err);
    return false;
  }
  std::vector<std::pair<std::string, uint32_t>> keys = declKeys(program);
  if (keys.empty()) {
    diags.print(err);
    return true;
  }
  std::map<std::string, uint32_t> owner = owner_;
  std::vector<std::string> order = order_;
  std::vector<std::string> replaced;
  for (const auto& [key, line] : keys) {
    if (owner.count(key) && owner[key] != file) replaced.push_back(key);
    if (!owner.count(key)) order.push_back(key);
    owner[key] = file;
  }
  std::vector<ir::QueryGraph> graphs;
  if (!check(owner, order, &graphs, err)) return false;
  commit(std::move(owner), std::move(order), std::move(graphs), keys, replaced, out);
  return true;
}

void ReplSession::commit(std::map<std::string, uint32_t> owner, std::vector<std::string> order,
                         std::vector<ir::QueryGraph> graphs, const std::vector<std::pair<std::string, uint32_t>>& keys,
                         const std::vector<std::string>& replaced, std::ostream& out) {
  owner_ = std::move(owner);
  order_ = std::move(order);
  graphs_ = std::move(graphs);
  std::set<std::string> said;
  for (const auto& [key, line] : keys) {
    if (!said.insert(key).second) continue;
    bool re = std::find(replaced.begin(), replaced.end(), key) != replaced.end();
    out << (re ? "redefined " : "defined ") << key << "\n";
  }
}

bool ReplSession::defineEach(const std::string& name, std::string text, std::ostream& err, std::ostream& out) {
  uint32_t file = session_.sources.add(name, std::move(text));
  DiagnosticEngine diags(session_.sources);
  ast::Program program = frontend::parse(session_.sources, file, diags);
  if (diags.hasErrors()) {
    diags.print(err);
    err << "error: " << name << " has syntax errors; nothing was loaded\n";
    return false;
  }
  std::vector<std::pair<std::string, uint32_t>> all = declKeys(program);
  std::vector<std::pair<std::string, uint32_t>> keys = all;  // candidates still in
  std::vector<std::string> leftOut;
  std::ostringstream report;  // the diagnostics of what was left out
  // Each round checks the candidates and drops every declaration an error points into; a
  // declaration that needs a dropped one fails in the next round. Rounds <= declarations.
  while (!keys.empty()) {
    std::map<std::string, uint32_t> owner = owner_;
    std::vector<std::string> order = order_, replaced;
    for (const auto& [key, line] : keys) {
      if (owner.count(key) && owner[key] != file) replaced.push_back(key);
      if (!owner.count(key)) order.push_back(key);
      owner[key] = file;
    }
    std::ostringstream attempt;
    std::vector<ir::QueryGraph> graphs;
    if (check(owner, order, &graphs, attempt)) {
      commit(std::move(owner), std::move(order), std::move(graphs), keys, replaced, out);
      break;
    }
    std::set<std::string> bad;
    for (const Diagnostic& d : session_.diags->diagnostics()) {
      if (d.severity != Severity::Error) continue;
      const std::pair<std::string, uint32_t>* at = nullptr;  // the declaration the error is in
      if (d.loc.file == file)
        for (const auto& k : keys)
          if (k.second <= d.loc.line && (!at || k.second >= at->second)) at = &k;
      if (!at) {  // an error outside this file (a session declaration it breaks): keep nothing
        report << attempt.str();
        keys.clear();
        bad.clear();
        break;
      }
      bad.insert(at->first);
    }
    if (keys.empty()) {
      for (const auto& k : all) leftOut.push_back(k.first);
      break;
    }
    report << attempt.str();
    for (const std::string& key : bad) leftOut.push_back(key);
    keys.erase(std::remove_if(keys.begin(), keys.end(), [&](const auto& k) { return bad.count(k.first) > 0; }),
               keys.end());
  }
  if (leftOut.empty()) return true;
  err << report.str();
  std::sort(leftOut.begin(), leftOut.end());
  leftOut.erase(std::unique(leftOut.begin(), leftOut.end()), leftOut.end());
  err << "error: " << name << ": left out ";
  for (size_t i = 0; i < leftOut.size(); ++i) err << (i ? ", " : "") << leftOut[i];
  err << (leftOut.size() == std::set<std::string>(leftOut.begin(), leftOut.end()).size() && leftOut.size() >= all.size()
              ? " (the errors above); nothing was loaded\n"
              : " (the errors above); kept the rest\n");
  return false;
}

bool ReplSession::temporary(const std::string& name, std::string text, const std::string& queryName,
                            ir::QueryGraph* g, std::ostream& err) {
  uint32_t file = session_.sources.add(name, std::move(text));
  DiagnosticEngine diags(session_.sources);
  frontend::parse(session_.sources, file, diags);
  if (diags.hasErrors()) {
    diags.print(err);
    return false;
  }
  std::map<std::string, uint32_t> owner = owner_;
  std::vector<std::string> order = order_;
  std::string key = "query " + queryName;
  if (!owner.count(key)) order.push_back(key);
  owner[key] = file;
  std::vector<ir::QueryGraph> graphs;
  if (!check(owner, order, &graphs, err)) return false;
  for (ir::QueryGraph& q : graphs)
    if (q.name == queryName) *g = std::move(q);
  return true;
}

const ir::QueryGraph* ReplSession::query(const std::string& name) const {
  for (const ir::QueryGraph& g : graphs_)
    if (g.name == name) return &g;
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> ReplSession::show(const std::string& name) const {
  std::vector<std::pair<std::string, std::string>> out;
  DiagnosticEngine scratch(session_.sources);
  for (const std::string& key : order_) {
    if (key.substr(key.find(' ') + 1) != name) continue;
    uint32_t file = owner_.at(key);
    std::vector<std::pair<std::string, uint32_t>> keys = declKeys(frontend::parse(session_.sources, file, scratch));
    std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    uint32_t first = 0, last = UINT32_MAX;
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i].first == key) {
        first = keys[i].second;
        for (size_t j = i + 1; j < keys.size() && last == UINT32_MAX; ++j)
          if (keys[j].second > first) last = keys[j].second - 1;
        break;
      }
    std::string text;
    for (uint32_t line = first; line <= last; ++line) {
      std::istringstream all(session_.sources.text(file));
      std::string l;
      uint32_t n = 0;
      bool found = false;
      while (std::getline(all, l))
        if (++n == line) {
          found = true;
          break;
        }
      if (!found) break;
      text += l + "\n";
    }
    while (text.size() > 1 && text[text.size() - 2] == '\n') text.pop_back();  // trailing blank lines
    out.emplace_back(key, text);
  }
  return out;
}

bool ReplSession::optimize(const ir::QueryGraph& g, ir::QueryGraph* out, std::ostream& err) {
  *out = g;
  std::vector<std::string> problems = passes::runPipeline(*out, passes::PipelineOptions{});
  if (problems.empty()) return true;
  err << "internal error: invalid IR for query '" << g.name << "':\n";
  for (const std::string& p : problems) err << "  " << p << "\n";
  return false;
}

const backend::JitQuery* ReplSession::jit(const ir::QueryGraph& g, const std::string& cacheDir, bool* cached,
                                          std::string* error) {
  std::ostringstream key;
  ir::print(key, g);
  auto it = jitCache_.find(key.str());
  *cached = it != jitCache_.end();
  if (*cached) return it->second.get();
  backend::JitOptions options;
  options.cacheDir = cacheDir;
  std::unique_ptr<backend::JitQuery> q = backend::JitQuery::compile(g, options, error);
  if (!q) return nullptr;
  return (jitCache_[key.str()] = std::move(q)).get();
}

}  // namespace mv::tools::repl

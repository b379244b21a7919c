// tools/repl/ReplSession.h — the REPL's program: declarations by name, rechecked on every change.
#pragma once

#include "backend/Jit.h"
#include "ir/Graph.h"
#include "driver/Session.h"

#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mv::tools::repl {

/// The declarations entered so far, each keyed by kind and name ("model m"), and the last
/// successful check of all of them. Each entered chunk is its own source file (named
/// `<repl:N>` or by its path), so diagnostics point at what the user typed.
class ReplSession {
public:
  /// Adds the declarations of `text` (replacing any of the same kind and name) and checks the
  /// whole program. On error prints the diagnostics to `err`, keeps nothing and returns false.
  bool define(const std::string& name, std::string text, std::ostream& err, std::ostream& out);
  /// `:load`: adds every declaration of `text` that checks (with the session and with each
  /// other) and leaves out the rest, printing their diagnostics and which were left out.
  /// A syntax error keeps nothing. Returns false when something was left out.
  bool defineEach(const std::string& name, std::string text, std::ostream& err, std::ostream& out);
  /// Checks the program plus the temporary query `text` (not kept); its graph in `*g`.
  bool temporary(const std::string& name, std::string text, const std::string& queryName, ir::QueryGraph* g,
                 std::ostream& err);
  /// The checked (not yet optimised) graph of query `name`, or null.
  const ir::QueryGraph* query(const std::string& name) const;
  /// The declaration keys in order of first definition.
  const std::vector<std::string>& keys() const { return order_; }
  /// The source text of every declaration named `name` (of any kind), with its key.
  std::vector<std::pair<std::string, std::string>> show(const std::string& name) const;
  /// The compilation state (sources, for diagnostics).
  driver::Session& session() { return session_; }

  /// Runs the pass pipeline on a copy of `g`; prints internal errors to `err`.
  static bool optimize(const ir::QueryGraph& g, ir::QueryGraph* out, std::ostream& err);
  /// The JIT-compiled form of optimised graph `g`, compiled once per distinct IR text (with
  /// the on-disk cache in `cacheDir` unless it is empty). `*cached` tells whether it was
  /// already there. Null (with `*error`) on failure.
  const backend::JitQuery* jit(const ir::QueryGraph& g, const std::string& cacheDir, bool* cached, std::string* error);

private:
  /// Commits a checked program state and says what `keys` defined or redefined.
  void commit(std::map<std::string, uint32_t> owner, std::vector<std::string> order, std::vector<ir::QueryGraph> graphs,
              const std::vector<std::pair<std::string, uint32_t>>& keys, const std::vector<std::string>& replaced,
              std::ostream& out);
  bool check(const std::map<std::string, uint32_t>& owner, const std::vector<std::string>& order,
             std::vector<ir::QueryGraph>* graphs, std::ostream& err);
  driver::Session session_;
  std::map<std::string, uint32_t> owner_;  // key -> file id of its current definition
  std::vector<std::string> order_;
  std::vector<ir::QueryGraph> graphs_;
  std::map<std::string, std::unique_ptr<backend::JitQuery>> jitCache_;  // IR text -> compiled query
};

}  // namespace mv::tools::repl

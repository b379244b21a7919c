// frontend/Compile.h — checks a parsed program and lowers each query to a query graph.
#pragma once

#include "frontend/Ast.h"
#include "ir/Diagnostics.h"
#include "ir/Graph.h"

#include <memory>
#include <optional>
#include <vector>

namespace mv::frontend {

/// Limits on what unrolling may produce.
inline constexpr int64_t kMaxLoopIterations = 1'000'000;
inline constexpr size_t kMaxModelNodes = 1'000'000;
inline constexpr size_t kCompactModelNodes = 10'000;
/// What lowering may produce (mvc's --max-model-nodes sets both): the iterations of one loop
/// and of a loop nest (the product of its trip counts), and the nodes of one model's or
/// query's graph after unrolling and inlining. At most 10^9 each (so a nest's product of
/// two factors within the limit fits in 64 bits).
struct Limits {
  int64_t loopIterations = kMaxLoopIterations;
  size_t modelNodes = kMaxModelNodes;
  /// A query on a model of more nodes than this gets only the model nodes it reads (renumbered;
  /// the answers are the same), so lowering and the passes cost the query's part, not the
  /// model's size, per query. At or below it the graph holds every model node (stable
  /// numbering for `mvc dump`).
  size_t compactModelNodes = kCompactModelNodes;
};

/// Outcomes of one categorical (a site's parameter count is 16 bits).
inline constexpr size_t kMaxOutcomes = 65'535;

/// Checks every static rule of the language over `program` (reporting every error to
/// `diags`) and returns one graph per query, in source order. The graphs are only
/// meaningful when `diags` has no errors. Their worlds have empty schedules: the
/// pipeline's twin-world pass fills them.
std::vector<ir::QueryGraph> lowerProgram(const ast::Program& program, const SourceManager& sources,
                                         DiagnosticEngine& diags, const Limits& limits = {});

class Lowerer;

/// lowerProgram one query at a time: a caller that lowers, uses and drops one graph before
/// asking for the next keeps one query's graph in memory, not one per query. The constructor checks the program's declarations and lowers
/// its models (reporting to `diags`, which must outlive this object, as `program` must).
class QueryLowering {
public:
  QueryLowering(const ast::Program& program, const SourceManager& sources, DiagnosticEngine& diags,
                const Limits& limits = {});
  ~QueryLowering();
  /// The queries to lower, in source order (a duplicate name is reported and left out).
  const std::vector<const ast::QueryDecl*>& queries() const { return queries_; }
  /// Lowers query `k` of queries(), reporting its errors (as lowerProgram would); nothing
  /// when it has errors. Lowering a query again gives the same graph.
  std::optional<ir::QueryGraph> lower(size_t k);
  /// The program's `data` declarations (every query graph's QueryGraph::data) and buffer size.
  const std::vector<ir::DataDecl>& data() const;
  uint32_t dataSize() const;

private:
  std::unique_ptr<Lowerer> lowerer_;
  std::vector<const ast::QueryDecl*> queries_;
};

}  // namespace mv::frontend

// frontend/Value.h — the result of lowering an expression: known at compile time, or IR nodes.
#pragma once

#include "frontend/Types.h"
#include "ir/Graph.h"

#include <memory>
#include <string>
#include <vector>

namespace mv::frontend {

/// Where a value may come from a named constant table: the rows it can be are the table's
/// sub-arrays along `path` (a fixed index, or -1 for one known only at run time). Kept so
/// `categorical` can check, at compile time, every row a run-time index can select.
struct TableSource {
  std::string name;                               ///< the constant ("P_WET")
  Type type;                                      ///< the whole table's type
  std::shared_ptr<const std::vector<ir::Word>> table;  ///< its elements, row-major
  std::vector<int64_t> path;                      ///< one entry per index applied
};

/// A lowered expression. Arrays are scalarised: one entry per element.
struct Value {
  Type type;
  bool error = false;     ///< poisoned by an error already reported: stay quiet
  bool constant = false;  ///< every element is known at compile time (in `constants`)
  std::vector<ir::Word> constants;  ///< of the element type
  std::vector<ir::NodeId> nodes;  ///< when !constant: one node per element
  std::vector<std::shared_ptr<const TableSource>> sources;  ///< constant tables it may be a part of

  size_t size() const { return type.count(); }

  static Value poison() {
    Value v;
    v.error = true;
    return v;
  }
  static Value known(Type t, std::vector<ir::Word> values) {
    Value v;
    v.type = t;
    v.constant = true;
    v.constants = std::move(values);
    return v;
  }
  static Value scalar(Scalar s, ir::Word x) { return known(Type{s, -1}, {x}); }
  static Value node(Scalar s, ir::NodeId id) {
    Value v;
    v.type = Type{s, -1};
    v.nodes = {id};
    return v;
  }
};

}  // namespace mv::frontend

// frontend/Value.h — the result of lowering an expression: known at compile time, or IR nodes.
#pragma once

#include "frontend/Types.h"
#include "ir/Graph.h"

#include <vector>

namespace mv::frontend {

/// A lowered expression. Arrays are scalarised: one entry per element.
struct Value {
  Type type;
  bool error = false;     ///< poisoned by an error already reported: stay quiet
  bool constant = false;  ///< every element is known at compile time (in `constants`)
  std::vector<ir::Word> constants;  ///< of the element type
  std::vector<ir::NodeId> nodes;  ///< when !constant: one node per element

  size_t size() const { return type.isArray() ? size_t(type.length) : 1; }

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

// ir/Graph.cpp — names of node kinds, scalar types, worlds and query kinds.
#include "ir/Graph.h"

namespace mv::ir {

const char* mnemonic(NodeKind k) {
  switch (k) {
#define MV_NODE(Kind, mn, ar) \
  case NodeKind::Kind: return #mn;
#include "ir/NodeKinds.def"
#undef MV_NODE
  }
  return "?";
}

int arity(NodeKind k) {
  switch (k) {
#define MV_NODE(Kind, mn, ar) \
  case NodeKind::Kind: return ar;
#include "ir/NodeKinds.def"
#undef MV_NODE
  }
  return -1;
}

const char* scalarName(Scalar s) {
  switch (s) {
    case Scalar::Bool: return "bool";
    case Scalar::Int: return "int";
    case Scalar::Real: return "real";
  }
  return "?";
}

const char* worldKindName(WorldKind k) {
  switch (k) {
    case WorldKind::Factual: return "factual";
    case WorldKind::Counterfactual: return "counterfactual";
  }
  return "?";
}

const char* queryKindName(QueryKind k) {
  switch (k) {
    case QueryKind::Observational: return "observational";
    case QueryKind::Interventional: return "interventional";
    case QueryKind::Counterfactual: return "counterfactual";
  }
  return "?";
}

}  // namespace mv::ir

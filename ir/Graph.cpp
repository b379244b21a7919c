// ir/Graph.cpp — names of node kinds, scalar types, worlds and query kinds.
#include "ir/Graph.h"
#include "ir/Printer.h"

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

const DataDecl* dataDeclOf(const QueryGraph& g, uint32_t slot) {
  for (const DataDecl& d : g.data)
    if (slot >= d.offset && slot - d.offset < d.count()) return &d;
  return nullptr;
}

std::string dataElementName(const QueryGraph& g, uint32_t slot) {
  const DataDecl* d = dataDeclOf(g, slot);
  if (!d) return "data?";
  std::string out = d->name;
  size_t k = slot - d->offset, stride = d->count();
  for (int dim : d->dims) {
    stride /= size_t(dim);
    out += "[" + std::to_string(k / stride) + "]";
    k %= stride;
  }
  return out;
}

std::string observedText(const QueryGraph& g, const Evidence& e) {
  if (e.isData()) return "data " + dataElementName(g, e.dataSlot);
  return formatValue(e.value, g.nodes[e.node].type);
}

}  // namespace mv::ir

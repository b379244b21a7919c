// ir/Printer.cpp — the stable text form of a query graph.
#include "ir/Printer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>
#include <sstream>

namespace mv::ir {
namespace {

std::string ref(const QueryGraph& g, NodeId id) {
  std::string s = "%" + std::to_string(id);
  if (id < g.nodes.size() && !g.nodes[id].name.empty()) s += "<" + g.nodes[id].name + ">";
  return s;
}

void printOperands(std::ostream& os, const QueryGraph& g, const Node& n, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) os << (i > from ? ", " : "") << ref(g, n.operands[i]);
}

void printNode(std::ostream& os, const QueryGraph& g, NodeId id) {
  const Node& n = g.nodes[id];
  os << "  %" << id;
  if (!n.name.empty()) os << " " << n.name;
  os << " = " << mnemonic(n.kind);
  if (n.kind == NodeKind::Const) {
    os << " " << formatValue(n.constant, n.type);
  } else if (n.kind == NodeKind::Site) {
    const SiteInfo& s = n.site;
    os << " #" << s.ordinal << " " << stdlib::distribution(s.dist).name << "(";
    printOperands(os, g, n, 0, s.numParams);
    os << ")";
    size_t end = s.numParams + s.numProposalParams;
    if (s.proposal == ProposalKind::Distribution) {
      os << " propose " << stdlib::distribution(s.proposalDist).name << "(";
      printOperands(os, g, n, s.numParams, end);
      os << ")";
    } else if (s.proposal == ProposalKind::Point) {
      os << " propose point(";
      printOperands(os, g, n, s.numParams, end);
      os << ") logjac " << formatValue(Word::ofReal(s.logJacobian), Scalar::Real);
      if (s.weighedElsewhere) os << " unweighted";
    }
    if (s.separated) os << " separated";
  } else if (n.kind == NodeKind::Read) {
    os << " " << (n.readWorld < g.worlds.size() ? g.worldName(n.readWorld) : "?") << "." << ref(g, n.readNode);
  } else if (n.kind == NodeKind::Data) {
    os << " " << dataElementName(g, n.dataIndex);
  } else if (n.kind == NodeKind::Table) {
    // The 2^k entries as one hex number, entry 0 the lowest bit.
    const size_t entries = size_t(1) << std::min<size_t>(n.operands.size(), 16);
    const char* digits = "0123456789abcdef";
    os << " 0x";
    for (size_t d = std::max<size_t>(entries / 4, 1); d-- > 0;) {
      const size_t bit = 4 * d;
      os << digits[bit / 64 < n.table.size() ? (n.table[bit / 64] >> (bit % 64)) & (entries < 4 ? entries * 2 - 1 : 15) : 0];
    }
    os << "(";
    printOperands(os, g, n, 0, n.operands.size());
    os << ")";
  } else if (n.kind == NodeKind::Call) {
    os << " " << stdlib::builtin(n.builtin).name << "(";
    printOperands(os, g, n, 0, n.operands.size());
    os << ")";
  } else {
    os << " ";
    printOperands(os, g, n, 0, n.operands.size());
  }
  os << " : " << scalarName(n.type);
  if (n.guard != kNoNode) os << " if " << ref(g, n.guard);
  if (n.shadowOf != kNoNode) os << " pre " << ref(g, n.shadowOf);
  if (n.home != 0) os << " in " << (n.home < g.worlds.size() ? g.worldName(n.home) : "?");
  os << "\n";
}

}  // namespace

std::string formatValue(Word w, Scalar type) {
  switch (type) {
    case Scalar::Bool: return w.asBool() ? "true" : "false";
    case Scalar::Int: return std::to_string(w.asInt());
    case Scalar::Real: break;
  }
  const double v = w.asReal();
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

void print(std::ostream& os, const QueryGraph& g) {
  os << "query " << g.name << " on " << g.model << " : " << queryKindName(g.kind) << "\n";
  os << "nodes:\n";
  for (NodeId id = 0; id < g.nodes.size(); ++id) printNode(os, g, id);
  for (size_t w = 0; w < g.worlds.size(); ++w) {
    const World& world = g.worlds[w];
    os << "world " << w << " " << g.worldName(w) << ":\n";
    const char* verb = world.kind == WorldKind::Factual ? "intervene" : "do";
    for (const Intervention& iv : world.interventions)
      os << "  " << verb << " " << ref(g, iv.node) << " = " << ref(g, iv.valueNode) << "\n";
    {
      for (const Evidence& e : g.evidence) {
        if (e.world != w) continue;
        os << "  observe " << ref(g, e.node) << " == " << observedText(g, e);
        if (e.invertedSite != kNoNode) os << " inverted by " << ref(g, e.invertedSite);
        if (e.separated) os << " separated";
        os << "\n";
      }
      for (const Constraint& c : g.constraints)
        if (c.world == w) os << "  constrain " << ref(g, c.cond) << "\n";
    }
    os << "  " << (world.kind == WorldKind::Factual ? "compute" : "recompute");
    for (NodeId id : world.schedule) os << " %" << id;
    os << "\n";
  }
  for (const Prediction& p : g.predictions)
    os << "predict \"" << p.label << "\" " << g.worldName(p.world) << " " << ref(g, p.node)
       << (p.worlds.empty() ? "" : " reads " + p.worlds) << "\n";
}

std::string toString(const QueryGraph& g) {
  std::ostringstream os;
  print(os, g);
  return os.str();
}

}  // namespace mv::ir

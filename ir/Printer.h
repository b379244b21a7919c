// ir/Printer.h — the stable text form of a query graph (golden tests depend on it).
#pragma once

#include "ir/Graph.h"

#include <iosfwd>
#include <string>

namespace mv::ir {

/// Formats a value of type `type` as source text: true/false, an int, or a shortest
/// round-trip real.
std::string formatValue(Word v, Scalar type);

/// Prints `g`: its nodes in id order, then each world's interventions, evidence and
/// schedule, then the predictions. No addresses; no source locations.
void print(std::ostream& os, const QueryGraph& g);
std::string toString(const QueryGraph& g);

}  // namespace mv::ir

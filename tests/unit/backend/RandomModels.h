// tests/unit/backend/RandomModels.h — a generator of random well-typed .mv programs (models and queries).
#pragma once

#include <cstdint>
#include <string>

namespace mv::test {

/// A random well-typed program: one model (sites of several distributions, proposals,
/// deterministic nodes of every type, if/else, loops, array indexing) and two queries
/// (evidence, constraints, interventions, counterfactuals, predictions). Deterministic in
/// `seed`. Run-time errors (domain, index, integer % 0) are possible on purpose.
std::string randomProgram(uint64_t seed);

/// A random program with `data` declarations (spec/data.md §1) and a JSON file binding them:
/// data in expressions, as categorical rows (whole, and a table indexed at run time) and as
/// observed values (scalars, whole families, query loops, inverted nodes, world evidence).
struct RandomDataProgram {
  std::string text;
  std::string dataJson;
};
RandomDataProgram randomDataProgram(uint64_t seed);

}  // namespace mv::test

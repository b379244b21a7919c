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

}  // namespace mv::test

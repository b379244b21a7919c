// runtime/DataBind.h — binds a program's `data` declarations from a JSON or CSV file (`--data FILE`):
// shared by mvc and native samplers, so both accept the same files and print the same errors.
#pragma once

#include "runtime/QueryMeta.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mv::rt {

/// Reads `path` (CSV when it ends in ".csv", else JSON) and fills *buffer (size words) with
/// the values of the `n` declarations `decls`. A JSON file is an object, name -> value:
/// numbers for real, integers for int, true/false for bool, nested lists for arrays. A CSV
/// file has a header row of names and binds 1-D arrays, one per column, of its row count.
/// An empty `path` (no --data) binds a program without declarations, and is an error for each
/// declaration otherwise. Returns false with *errors set (every error found, each as mvc prints it, in order:
/// the file's own problems, then per declaration) when the file cannot be read or parsed,
/// a declaration has no value, a name has no declaration, or a value has the wrong type,
/// shape or domain.
bool bindData(const mv_rt_data_meta* decls, int32_t n, int32_t size, const std::string& path,
              std::vector<uint64_t>* buffer, std::string* errors);

/// bindData on the text of a file (named `name` in messages), JSON or CSV.
bool bindDataText(const mv_rt_data_meta* decls, int32_t n, int32_t size, const std::string& text,
                  const std::string& name, bool csv, std::vector<uint64_t>* buffer, std::string* errors);

/// The first of the `n` checks `checks` (runtime/QueryMeta.h) that fails on the bound `data`,
/// or -1. *value is what its message shows (for \x05, the int's bits); *sum is set when a
/// row's sum failed (its `sum` message; else its `element` one).
int32_t failedDataCheck(const mv_rt_data_check* checks, int32_t n, const uint64_t* data, double* value, bool* sum);
/// A check's message with the value and the data file's name (\x07) filled in.
std::string dataCheckText(const char* text, double value, const std::string& file);

/// Makes the checks `checks` (runtime/QueryMeta.h) on the bound `data` in order; returns
/// false at the first that fails, with its diagnostic in *error (the value and `file`, the
/// data file's name, filled in). What mvc and native samplers run before any sampling.
bool checkBoundData(const mv_rt_data_check* checks, int32_t n, const uint64_t* data, const std::string& file,
                    std::string* error);

}  // namespace mv::rt

// runtime/DataBind.cpp — `--data FILE`: a JSON object or a CSV table bound to the `data` declarations.
#include "runtime/DataBind.h"

#include <nlohmann/json.hpp>

#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>

namespace mv::rt {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxDataBytes = size_t(1) << 30;  // a mistaken path to a device fails, not fills memory

/// The type of declaration `d` as the language writes it ("real[50][2]").
std::string typeText(const mv_rt_data_meta& d) {
  std::string t = d.type == 0 ? "bool" : d.type == 1 ? "int" : "real";
  for (int32_t k = 0; k < d.rank; ++k) t += "[" + std::to_string(d.dims[k]) + "]";
  return t;
}

/// The shortest text that reads back as `x`.
std::string realText(double x) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

/// A JSON value, briefly, for messages.
std::string describe(const json& v) {
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.size() > 40) s = s.substr(0, 40) + "...";
    return "the string \"" + s + "\"";
  }
  if (v.is_array()) return "a list of " + std::to_string(v.size());
  if (v.is_object()) return "an object";
  if (v.is_null()) return "null";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_float()) return realText(v.get<double>());
  return v.dump();
}

class Binder {
public:
  Binder(const mv_rt_data_meta* decls, int32_t n, const std::string& path, std::vector<uint64_t>* buffer)
      : decls_(decls), n_(n), path_(path), buffer_(*buffer) {}

  /// An error of the file itself (no declaration to name).
  void fileError(const std::string& message) { errors_ += "error: data file '" + path_ + "': " + message + "\n"; }
  /// An error of declaration k, at its declaration.
  void declError(int32_t k, const std::string& message) {
    std::string text = decls_[k].text ? decls_[k].text : "error: \x06\n";
    const size_t at = text.find('\x06');
    if (at != std::string::npos) text.replace(at, 1, message);
    errors_ += text;
  }
  std::string errors() const { return errors_; }

  /// Declaration k's value `v` (an element or row at `where`, `depth` dimensions in).
  void bindJson(int32_t k, const json& v, int32_t depth, size_t offset, const std::string& where) {
    const mv_rt_data_meta& d = decls_[k];
    if (depth < d.rank) {
      const size_t want = size_t(d.dims[depth]);
      std::string shape = "'" + typeText(d) + "'";
      if (!v.is_array()) {
        declError(k, "'" + where + "' in '" + path_ + "' is " + describe(v) + ", but " + shape +
                         " needs a list of " + std::to_string(want) + " there");
        return;
      }
      if (v.size() != want) {
        declError(k, "'" + where + "' in '" + path_ + "' has " + std::to_string(v.size()) + " element" +
                         (v.size() == 1 ? "" : "s") + ", but " + shape + " needs " + std::to_string(want));
        return;
      }
      size_t stride = 1;
      for (int32_t j = depth + 1; j < d.rank; ++j) stride *= size_t(d.dims[j]);
      for (size_t i = 0; i < want; ++i)
        bindJson(k, v[i], depth + 1, offset + i * stride, where + "[" + std::to_string(i) + "]");
      return;
    }
    uint64_t& slot = buffer_[size_t(d.offset) + offset];
    auto wrong = [&](const char* need) {
      declError(k, "'" + where + "' in '" + path_ + "' is " + describe(v) + ", not " + need);
    };
    if (d.type == 0) {
      if (!v.is_boolean()) return wrong("a bool (true or false)");
      slot = v.get<bool>() ? 1 : 0;
    } else if (d.type == 1) {
      if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX))
        return wrong("an int (it is outside the 64-bit range)");
      if (!v.is_number_integer()) return wrong("an int");
      slot = uint64_t(v.get<int64_t>());
    } else {
      if (!v.is_number()) return wrong("a real");
      slot = std::bit_cast<uint64_t>(v.get<double>());
    }
  }

  void bindJsonFile(const std::string& text) {
    json root;
    try {
      root = json::parse(text);
    } catch (const json::parse_error& e) {
      std::string what = e.what();
      if (size_t close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
      return fileError("not valid JSON: " + what);
    }
    if (!root.is_object())
      return fileError("a JSON data file must hold one object (data name -> value), not " + describe(root));
    std::set<std::string> declared;
    for (int32_t k = 0; k < n_; ++k) {
      declared.insert(decls_[k].name);
      auto it = root.find(decls_[k].name);
      if (it == root.end()) declError(k, "no value for data '" + std::string(decls_[k].name) + "' in '" + path_ + "'");
      else bindJson(k, *it, 0, 0, decls_[k].name);
    }
    for (auto it = root.begin(); it != root.end(); ++it)
      if (!declared.count(it.key())) fileError("'" + it.key() + "' is not a 'data' declaration of the program");
  }

  void bindCsvFile(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::vector<std::string> fields;
      size_t start = 0;
      for (;;) {
        size_t comma = line.find(',', start);
        std::string f = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const size_t a = f.find_first_not_of(" \t"), b = f.find_last_not_of(" \t");
        f = a == std::string::npos ? "" : f.substr(a, b - a + 1);
        if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
        fields.push_back(f);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      rows.push_back(std::move(fields));
    }
    while (!rows.empty() && rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();  // trailing blank lines
    if (rows.empty()) return fileError("a CSV data file needs a header row of data names");
    const std::vector<std::string>& header = rows[0];
    const size_t numRows = rows.size() - 1;
    bool shapeOk = true;
    for (size_t r = 1; r < rows.size(); ++r)
      if (rows[r].size() != header.size()) {
        fileError("line " + std::to_string(r + 1) + " has " + std::to_string(rows[r].size()) + " fields, but the header has " +
                  std::to_string(header.size()));
        shapeOk = false;
      }
    std::map<std::string, size_t> column;
    for (size_t c = 0; c < header.size(); ++c)
      if (!column.emplace(header[c], c).second) fileError("column '" + header[c] + "' appears twice in the header");
    std::set<std::string> declared;
    for (int32_t k = 0; k < n_; ++k) {
      const mv_rt_data_meta& d = decls_[k];
      declared.insert(d.name);
      auto it = column.find(d.name);
      if (it == column.end()) {
        declError(k, "no column for data '" + std::string(d.name) + "' in '" + path_ + "'");
        continue;
      }
      if (d.rank != 1) {
        declError(k, "data '" + std::string(d.name) + "' is '" + typeText(d) + "', but a CSV file binds only 1-D arrays (one per column); use a JSON file");
        continue;
      }
      if (size_t(d.dims[0]) != numRows) {
        declError(k, "column '" + std::string(d.name) + "' of '" + path_ + "' has " + std::to_string(numRows) + " row" +
                         (numRows == 1 ? "" : "s") + ", but '" + typeText(d) + "' needs " + std::to_string(d.dims[0]));
        continue;
      }
      if (!shapeOk) continue;
      for (size_t r = 0; r < numRows; ++r) bindCsvField(k, rows[r + 1][it->second], r, it->second);
    }
    for (const std::string& name : header)
      if (!declared.count(name)) fileError("column '" + name + "' is not a 'data' declaration of the program");
  }

  void bindCsvField(int32_t k, const std::string& f, size_t r, size_t c) {
    const mv_rt_data_meta& d = decls_[k];
    uint64_t& slot = buffer_[size_t(d.offset) + r];
    auto wrong = [&](const char* need) {
      declError(k, "'" + std::string(d.name) + "[" + std::to_string(r) + "]' in '" + path_ + "' (line " +
                       std::to_string(r + 2) + ", field " + std::to_string(c + 1) + ") is '" + f + "', not " + need);
    };
    const char* b = f.data();
    const char* e = f.data() + f.size();
    if (d.type == 0) {
      if (f == "true") slot = 1;
      else if (f == "false") slot = 0;
      else wrong("a bool (true or false)");
    } else if (d.type == 1) {
      int64_t v = 0;
      auto res = std::from_chars(b, e, v);
      if (f.empty() || res.ec != std::errc() || res.ptr != e) return wrong("an int");
      slot = uint64_t(v);
    } else {
      double v = 0;
      auto res = std::from_chars(b, e, v);
      if (f.empty() || res.ec != std::errc() || res.ptr != e || !std::isfinite(v)) return wrong("a finite real");
      slot = std::bit_cast<uint64_t>(v);
    }
  }

private:
  const mv_rt_data_meta* decls_;
  int32_t n_;
  const std::string& path_;
  std::vector<uint64_t>& buffer_;
  std::string errors_;
};

bool readText(const std::string& path, std::string* out, std::string* why) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return *why = std::strerror(errno), false;
  if (S_ISDIR(st.st_mode)) return *why = "it is a directory", false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return *why = std::strerror(errno), false;
  std::ostringstream os;
  char buf[65536];
  size_t total = 0;
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    total += size_t(in.gcount());
    if (total > kMaxDataBytes) return *why = "it is larger than 1 GiB", false;
    os.write(buf, in.gcount());
  }
  *out = os.str();
  return true;
}

}  // namespace

bool bindData(const mv_rt_data_meta* decls, int32_t n, int32_t size, const std::string& path,
              std::vector<uint64_t>* buffer, std::string* errors) {
  buffer->assign(size_t(size), 0);
  Binder binder(decls, n, path, buffer);
  if (path.empty()) {  // no --data: fine only for a program without data
    for (int32_t k = 0; k < n; ++k)
      binder.declError(k, "data '" + std::string(decls[k].name) + "' has no value (bind it with --data FILE; in the REPL, :data FILE)");
    *errors = binder.errors();
    return errors->empty();
  }
  std::string text, why;
  if (!readText(path, &text, &why)) {
    *errors = "error: cannot read data file '" + path + "': " + why + "\n";
    return false;
  }
  const bool csv = path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  return bindDataText(decls, n, size, text, path, csv, buffer, errors);
}

bool bindDataText(const mv_rt_data_meta* decls, int32_t n, int32_t size, const std::string& text,
                  const std::string& name, bool csv, std::vector<uint64_t>* buffer, std::string* errors) {
  buffer->assign(size_t(size), 0);
  Binder binder(decls, n, name, buffer);
  if (csv) binder.bindCsvFile(text);
  else binder.bindJsonFile(text);
  *errors = binder.errors();
  return errors->empty();
}

}  // namespace mv::rt

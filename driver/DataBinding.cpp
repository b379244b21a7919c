// driver/DataBinding.cpp — renders `data` declarations for the runtime's binder and binds --data FILE.
#include "driver/DataBinding.h"

#include "ir/Diagnostics.h"
#include "runtime/DataBind.h"

#include <sstream>

namespace mv::driver {

DataMeta renderDataMeta(const SourceManager& sources, const std::vector<ir::DataDecl>& data, uint32_t size) {
  DataMeta out;
  out.size = int32_t(size);
  for (const ir::DataDecl& d : data) {
    DiagnosticEngine diags(sources);
    diags.report(DiagId::DataBinding, d.loc, {"\x06"});
    std::ostringstream os;
    diags.print(os);
    const std::string& name = out.texts.emplace_back(d.name);
    const std::string& text = out.texts.emplace_back(os.str());
    std::vector<int32_t>& dims = out.dims.emplace_back(d.dims.begin(), d.dims.end());
    out.decls.push_back(mv_rt_data_meta{name.c_str(), int32_t(d.type), int32_t(dims.size()), dims.data(),
                                        int32_t(d.offset), text.c_str()});
  }
  return out;
}

bool bindDataFile(const SourceManager& sources, const std::vector<ir::DataDecl>& data, uint32_t size,
                  const std::string& path, std::vector<uint64_t>* buffer, std::string* errors) {
  DataMeta meta = renderDataMeta(sources, data, size);
  return rt::bindData(meta.decls.data(), int32_t(meta.decls.size()), meta.size, path, buffer, errors);
}

std::vector<backend::NativeMessages::DataCheck> renderDataChecks(const SourceManager& sources, const ir::QueryGraph& g) {
  auto text = [&](const ir::DataCheck::Message& m) {
    DiagnosticEngine diags(sources);
    diags.report(m.id, m.loc, m.args).note(m.note, m.noteLoc, m.noteArgs);
    std::ostringstream os;
    diags.print(os);
    return os.str();
  };
  std::vector<backend::NativeMessages::DataCheck> out;
  for (const ir::DataCheck& c : g.dataChecks) {
    backend::NativeMessages::DataCheck r;
    r.kind = c.kind == ir::DataCheck::Kind::Support ? 0 : 1;
    r.type = int32_t(c.type);
    r.slots.assign(c.slots.begin(), c.slots.end());
    r.lo = c.lo, r.hi = c.hi, r.loOpen = c.loOpen, r.hiOpen = c.hiOpen;
    r.element = text(c.element);
    if (c.kind == ir::DataCheck::Kind::Simplex) r.sum = text(c.sum);
    out.push_back(std::move(r));
  }
  return out;
}

bool reportDataChecks(DiagnosticEngine& diags, const ir::QueryGraph& g, const uint64_t* data, const std::string& file) {
  if (g.dataChecks.empty()) return false;
  std::vector<mv_rt_data_check> checks;
  for (const ir::DataCheck& c : g.dataChecks) {
    bool asInt = false;
    for (const std::string& a : c.element.args) asInt = asInt || a == "\x05";
    checks.push_back(mv_rt_data_check{c.kind == ir::DataCheck::Kind::Support ? 0 : 1, int32_t(c.type),
                                      int32_t(c.slots.size()), reinterpret_cast<const int32_t*>(c.slots.data()), c.lo,
                                      c.hi, c.loOpen, c.hiOpen, asInt ? "\x05" : "", ""});
  }
  double value = 0;
  bool sum = false;
  const int32_t k = rt::failedDataCheck(checks.data(), int32_t(checks.size()), data, &value, &sum);
  if (k < 0) return false;
  const ir::DataCheck::Message& m = sum ? g.dataChecks[size_t(k)].sum : g.dataChecks[size_t(k)].element;
  auto fill = [&](std::vector<std::string> args) {
    for (std::string& a : args) a = rt::dataCheckText(a.c_str(), value, file);
    return args;
  };
  diags.report(m.id, m.loc, fill(m.args)).note(m.note, m.noteLoc, fill(m.noteArgs));
  return true;
}

}  // namespace mv::driver

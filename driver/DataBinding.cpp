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

}  // namespace mv::driver

// explain.cc — Policy::explain and the traces of EvaluateOptions::trace: the record written as a
// one-row CSV, read as `credo explain` reads it, through the interpreter with probes.
#include <exception>

#include "api/json_record.h"
#include "api/trace_record.h"
#include "compiler/explain/records.h"
#include "compiler/explain/render.h"
#include "compiler/interp/trace.h"

namespace credo::v1 {

bool ExplainRecord(const PolicyImpl& p, const Record::Impl& r, std::string& error,
                   const std::function<void(const explain::Explanation&)>& use) {
  const Compilation* c = p.Probed(error);
  if (!c) return false;
  explain::Records records;
  if (!explain::ReadRecords(c->program->info, RecordCsv(r), records, error)) return false;
  Trace trace = TraceBatch(*c->program, records.batch, records.unparsed, p.probed_references);
  explain::Context context{*c, records, trace};
  explain::Explainer explainer(context);
  use(explainer.Explain(0));
  return true;
}

namespace {

Explanation Explain(const PolicyImpl& p, const Record::Impl* r, const std::string& record_error) {
  Explanation out;
  if (!r) {
    out.error = record_error;
    return out;
  }
  if (!r->error.empty()) {
    out.error = r->error;
    return out;
  }
  try {
    ExplainRecord(p, *r, out.error, [&](const explain::Explanation& e) {
      out.json = explain::RenderJson(e, true);
      out.text = explain::RenderText(e);
    });
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    out.error = std::string("internal error: ") + e.what();
  }
  return out;
}

}  // namespace

Explanation Policy::explain(const Record& record) const {
  const Record::Impl* r = RecordAccess::Of(record);
  if (r && r->policy.get() != impl_.get()) {
    Explanation out;
    out.error = "the record was made for another policy; make it with this policy's record()";
    return out;
  }
  return Explain(*impl_, r, record.error());
}

Explanation Policy::explain_json(std::string_view json) const {
  Record record = this->record();
  ReadJsonRecord(json, RecordAccess::Of(record));
  return Explain(*impl_, &RecordAccess::Of(record), record.error());
}

}  // namespace credo::v1

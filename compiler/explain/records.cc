// records.cc — ReadRecords and RejectReason (records.h), as runtime/exec/runner.cc parses and
// rejects.
#include "compiler/explain/records.h"

#include <cstdio>
#include <map>
#include <memory>

#include "runtime/exec/header_check.h"
#include "runtime/exec/runner.h"
#include "runtime/io/csv.h"

namespace credo::explain {

using rt::Kind;

namespace {

// Record r failed at field f: its fields from f on read as missing (runner.cc, Run::Fail).
void Fail(const rt::PolicyInfo& info, Records& out, size_t r, int f, std::string reason) {
  out.unparsed[r] = 1;
  out.parse_field[r] = f;
  out.parse_reason[r] = std::move(reason);
  for (size_t c = size_t(f); c < out.batch.fields.size(); ++c) {
    out.batch.fields[c].valid[r] = 0;
    out.batch.fields[c].values[r] = 0;
  }
  for (size_t c = 0; c < out.batch.fields.size(); ++c)
    if (info.inputs[c].type.kind == Kind::String && !out.batch.fields[c].valid[r])
      out.batch.fields[c].values[r] = rt::StrBits(out.batch.strings->Add(""));
}

}  // namespace

bool ReadRecords(const rt::PolicyInfo& info, std::string_view csv, Records& out, std::string& error) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(fmemopen(const_cast<char*>(csv.data()), csv.size(), "r"), std::fclose);
  if (csv.empty() || !in) {
    error = "the input is empty: it needs a header line";
    return false;
  }
  io::CsvReader reader(in.get());
  if (!reader.ReadHeader(out.header)) {
    error = "the input is empty: it needs a header line";
    return false;
  }
  if (!exec::CheckHeader(info, out.header, error)) return false;
  out.batch.strings = std::make_shared<rt::StringArena>();
  out.batch.fields.assign(info.inputs.size(), rt::Column{});
  io::TextBatch text;
  while (reader.ReadBatch(4096, text) > 0) {
    for (size_t t = 0; t < text.rows(); ++t) {
      size_t r = out.size();
      auto fields = text.row(t);
      out.line.push_back(text.line[t]);
      out.cells.emplace_back(fields.begin(), fields.end());
      out.ids.emplace_back(fields.empty() ? std::string_view() : fields[0]);
      out.unparsed.push_back(0);
      out.parse_field.push_back(-1);
      out.parse_reason.emplace_back();
      for (auto& c : out.batch.fields) {
        c.values.push_back(0);
        c.valid.push_back(1);
      }
      out.batch.rows = r + 1;
      if (!text.error[t].empty()) {
        Fail(info, out, r, 0, info.rejects.Format(rt::RejectKind::BadQuote, ""));
      } else if (fields.size() != info.inputs.size()) {
        Fail(info, out, r, 0, info.rejects.Format(rt::RejectKind::FieldCount, std::to_string(fields.size())));
      } else {
        for (size_t f = 0; f < fields.size(); ++f) {
          exec::FieldError why = exec::ParseField(info, f, fields[f], out.batch, r);
          if (why != exec::FieldError::None) {
            Fail(info, out, r, int(f), exec::RejectReason(info, why, info.inputs[f].name));
            break;
          }
        }
      }
    }
  }
  if (info.group_key >= 0) {  // dense ids in input order, as the runner's
    std::map<std::string, int32_t> ids;
    const rt::Column& key = out.batch.fields[size_t(info.group_key)];
    out.batch.group.assign(out.batch.rows, -1);
    for (size_t r = 0; r < out.batch.rows; ++r)
      if (key.valid[r])
        out.batch.group[r] = ids.try_emplace(std::string(rt::StrOf(key.values[r])->view()), int32_t(ids.size())).first->second;
  }
  return true;
}

std::string RejectReason(const rt::PolicyInfo& info, const Records& records, const Trace& trace, size_t r) {
  int32_t status = trace.status[r];
  if (status == 0) return "";
  if (status == Trace::kUnparsed) {
    // A field's own check on an earlier column is reported before the parse failure.
    int32_t checked = trace.record_status[r];
    const rt::RejectReason* check = checked > 0 ? &info.reasons[size_t(checked)] : nullptr;
    bool earlier = check && check->field >= 0 && check->field < records.parse_field[r];
    return earlier ? check->text : records.parse_reason[r];
  }
  if (status <= Trace::kDuplicate) {
    int field = info.unique_keys[size_t(Trace::kDuplicate - status)];
    return info.rejects.Format(rt::RejectKind::Duplicate, info.inputs[size_t(field)].name);
  }
  return info.reasons[size_t(status)].text;
}

std::string OutputRow(const rt::PolicyInfo& info, const Trace& trace, size_t r) {
  std::string row;
  for (size_t c = 0; c < info.outputs.size(); ++c) {
    if (c) row += ',';
    int slot = info.outputs[c].state;
    const rt::ValueType& type = info.state[size_t(slot)];
    const rt::Column& col = trace.state.slots[size_t(slot)];
    if (type.optional && !col.valid[r]) continue;
    std::string cell;
    exec::AppendValue(info, type, col.values[r], true, cell);
    if (type.kind == Kind::String || type.kind == Kind::Enum) io::AppendCsvField(row, cell);  // as the runner quotes
    else row += cell;
  }
  return row;
}

std::string RejectRow(const rt::PolicyInfo& info, const Records& records, const Trace& trace, size_t r) {
  std::string row = std::to_string(records.line[r]) + ",";
  io::AppendCsvField(row, records.ids[r]);
  row += ',';
  io::AppendCsvField(row, RejectReason(info, records, trace, r));
  return row;
}

}  // namespace credo::explain

// records.cc — ReadRecords and RejectReason (records.h), as runtime/exec/runner.cc parses and
// rejects.
#include "compiler/explain/records.h"

#include <cstdio>
#include <map>
#include <memory>

#include "runtime/exec/columns.h"
#include "runtime/exec/record_reader.h"
#include "runtime/exec/reject_detail.h"
#include "runtime/exec/runner.h"
#include "runtime/io/csv.h"

namespace credo::explain {

using rt::Kind;

bool ReadRecords(const rt::PolicyInfo& info, std::string_view text, const ReadOptions& how, Records& out,
                 std::string& error) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(
      text.empty() ? nullptr : fmemopen(const_cast<char*>(text.data()), text.size(), "r"), std::fclose);
  if (!in) {
    error = how.format == exec::Format::Csv ? "the input is empty: it needs a header line"
                                            : "the input is empty: it has no records";
    return false;
  }
  // Columns by name, in any order, as `credo run` finds them; the cells are kept in the policy's
  // field order.
  exec::RecordReader reader(in.get(), info, how.format, how.columns);
  if (!reader.Start(error)) return false;
  const exec::ColumnMap& columns = reader.columns();
  out.how = how;
  out.width = columns.width;
  out.header.clear();
  for (const auto& f : info.inputs) out.header.push_back(f.name);
  out.batch.fields.assign(info.inputs.size(), rt::Column{});
  io::TextBatch rows;
  rt::InputBatch parsed;
  std::vector<int32_t> parse_field;
  std::vector<std::string> parse_reason, parse_detail;
  // Each text batch is parsed as the runner parses it, then appended; its strings stay in its
  // own arena, kept alive beside the batch.
  while (reader.ReadBatch(4096, rows) > 0) {
    exec::ParseRows(info, columns, rows, parsed, parse_field, parse_reason, parse_detail);
    out.arenas.push_back(parsed.strings);
    for (size_t c = 0; c < parsed.fields.size(); ++c) {
      auto& to = out.batch.fields[c];
      to.values.insert(to.values.end(), parsed.fields[c].values.begin(), parsed.fields[c].values.end());
      to.valid.insert(to.valid.end(), parsed.fields[c].valid.begin(), parsed.fields[c].valid.end());
    }
    out.batch.rows += parsed.rows;
    for (size_t t = 0; t < rows.rows(); ++t) {
      auto fields = rows.row(t);
      out.line.push_back(rows.line[t]);
      out.row_cells.push_back(uint32_t(fields.size()));
      out.whole.push_back(fields.size() == columns.width);
      auto& cells = out.cells.emplace_back();
      for (uint32_t c : columns.column_of)
        cells.push_back(c < fields.size() ? std::optional<std::string>(fields[c]) : std::nullopt);
      size_t id_cell = columns.column_of.empty() ? 0 : columns.column_of[0];
      out.ids.emplace_back(id_cell < fields.size() ? fields[id_cell] : std::string_view());
      out.unparsed.push_back(parse_field[t] >= 0);
      out.parse_field.push_back(parse_field[t]);
      out.parse_reason.push_back(std::move(parse_reason[t]));
      out.parse_detail.push_back(std::move(parse_detail[t]));
    }
  }
  out.batch.strings = out.arenas.empty() ? std::make_shared<rt::StringArena>() : out.arenas.back();
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
  if (status == Trace::kUnparsed)
    return exec::ParseRejectReason(info, trace.record_status[r], records.parse_field[r], records.parse_reason[r]);
  if (status <= Trace::kDuplicate) {
    int field = info.unique_keys[size_t(Trace::kDuplicate - status)];
    return info.rejects.Format(rt::RejectKind::Duplicate, info.inputs[size_t(field)].name);
  }
  return info.reasons[size_t(status)].text;
}

std::string RejectDetail(const rt::PolicyInfo& info, const Records& records, const Trace& trace, size_t r) {
  int32_t status = trace.status[r];
  if (status == 0) return "";
  if (status == Trace::kUnparsed) {
    const std::string& reason =
        exec::ParseRejectReason(info, trace.record_status[r], records.parse_field[r], records.parse_reason[r]);
    if (&reason == &records.parse_reason[r]) return records.parse_detail[r];
    return exec::RuleDetail(info, trace.record_status[r], records.batch, r);  // an earlier field's check
  }
  if (status <= Trace::kDuplicate) {
    size_t f = size_t(info.unique_keys[size_t(Trace::kDuplicate - status)]);
    const rt::Column& col = records.batch.fields[f];
    auto key = [&](size_t row) {
      std::string k;
      exec::AppendValue(info, info.inputs[f].type, col.values[row], true, k);
      return k;
    };
    std::string mine = key(r);
    for (size_t e = 0; e < r; ++e)  // the first accepted record with the same value, as the run keeps it
      if (trace.status[e] == 0 && col.valid[e] && key(e) == mine) return exec::DuplicateDetail(info, f, mine, records.line[e]);
    return "";
  }
  return exec::RuleDetail(info, status, records.batch, r);
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
  row += ',';
  io::AppendCsvField(row, RejectDetail(info, records, trace, r));
  return row;
}

}  // namespace credo::explain

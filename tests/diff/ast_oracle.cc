// ast_oracle.cc — the AST oracle's run over a CSV text: reading a row ("How a CSV row is read"),
// its cells and their validation, `unique` items, then the output and the rejects, each as
// docs/language.md describes it (the Oracle class: ast_oracle_impl.h).
#include "ast_oracle_impl.h"

namespace credo::oracle {

// A `YYYY-MM-DD` cell that names a real day.
bool ParseDate(std::string_view s, int64_t& days) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t k : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[k] < '0' || s[k] > '9') return false;
  auto number = [&](size_t at, size_t n) {
    int64_t v = 0;
    for (size_t k = at; k < at + n; ++k) v = v * 10 + (s[k] - '0');
    return v;
  };
  int64_t y = number(0, 4);
  int m = int(number(5, 2)), d = int(number(8, 2));
  if (m < 1 || m > 12 || d < 1 || d > rt::DaysInMonth(y, m)) return false;
  days = rt::DaysFromCivil(y, m, d);
  return true;
}

bool ParseBool(std::string_view s, bool& b) {
  static const char* kTrue[] = {"true", "TRUE", "True", "yes", "YES", "Yes", "Y", "y", "1"};
  static const char* kFalse[] = {"false", "FALSE", "False", "no", "NO", "No", "N", "n", "0"};
  for (const char* t : kTrue)
    if (s == t) return b = true, true;
  for (const char* f : kFalse)
    if (s == f) return b = false, true;
  return false;
}

OracleRun Oracle::Run(const std::string& csv) {
  OracleRun run;
  std::FILE* in = fmemopen(const_cast<char*>(csv.data()), csv.size(), "r");
  if (!in) return run.error = "cannot read the input", run;
  io::CsvReader reader(in);
  std::vector<std::string> header;
  const auto& fields = ast_.inputs[0].fields;
  bool fits = reader.ReadHeader(header) && header.size() == fields.size();
  for (size_t f = 0; fits && f < fields.size(); ++f) fits = header[f] == fields[f].name.text;
  if (!fits) {
    std::fclose(in);
    return run.error = "the input's header does not list the input fields", run;
  }
  io::TextBatch batch;
  while (reader.ReadBatch(4096, batch) > 0)
    for (size_t r = 0; r < batch.rows(); ++r) ReadRecord(batch, r);
  std::fclose(in);
  if (!ast_.groups.empty()) GroupPass();
  run.ok = true;
  run.out = Output();
  run.rejects = Rejects();
  for (size_t o = 0; o < ast_.group_outputs.size(); ++o) run.group_outputs.push_back(GroupOutput(o));
  return run;
}

void Oracle::ReadRecord(const io::TextBatch& batch, size_t r) {
  records_.emplace_back();
  Record& rec = records_.back();
  rec.line = batch.line[r];
  auto cells = batch.row(r);
  rec.id = cells.empty() ? "" : std::string(cells[0]);
  rec.sink = std::make_unique<ErrorSink>(rule_);
  rec.sink->text = [this](const std::string& kind, const std::string& name) { return Text(kind, name); };
  const auto& fields = ast_.inputs[0].fields;
  if (!batch.error[r].empty()) return Reject(rec, Text("bad_quote", ""));
  if (cells.size() != fields.size()) return Reject(rec, Text("field_count", std::to_string(cells.size())));
  int parse_failure = -1;
  std::string parse_reason;
  for (size_t f = 0; f < fields.size(); ++f) {
    const Type& t = cp_.symbols[cp_.field_symbols[f]].type;
    Value v = MissingValue(t);
    if (parse_failure < 0) parse_reason = ParseCell(fields[f], t, cells[f], v);
    if (parse_failure < 0 && !parse_reason.empty()) parse_failure = int(f), v = MissingValue(t);
    rec.values[{cp_.field_symbols[f], -1, -1}] = v;
  }
  ErrorSink& sink = *rec.sink;
  ExprEval eval(cp_, sink);
  Env env = RecordEnv(rec);
  // Each field's `where`, left to right; with a parse failure only the fields before it count.
  size_t checked = parse_failure < 0 ? fields.size() : size_t(parse_failure);
  for (size_t f = 0; f < checked; ++f) {
    if (!fields[f].where || !rec.values[{cp_.field_symbols[f], -1, -1}].present) continue;
    Value ok = eval.Eval(*fields[f].where, env, fields[f].name.text);
    sink.Use(ok);
    if (ok.present && !ok.i)
      sink.Fail(fields[f].reason.empty() ? Text("out_of_range", fields[f].name.text) : fields[f].reason, int(f));
  }
  if (parse_failure >= 0) {
    const Error& first = sink.first();
    bool earlier = first.set() && first.field >= 0 && first.field < parse_failure;
    return Reject(rec, earlier ? first.reason : parse_reason);
  }
  for (const auto& check : ast_.inputs[0].checks) {
    Value ok = eval.Eval(*check.condition, env, "check");
    sink.Use(ok);
    if (!ok.i) sink.Fail(Text("inconsistent", check.reason), -1);
  }
  // A failed `where` or `check` comes before anything computed from the record.
  if (sink.first().validation) return Reject(rec, sink.first().reason);
  for (int s : cp_.record_order) Compute(rec, eval, env, s);
  for (int s : cp_.group_lets)
    if (s >= 0) rec.values[{s, -1, -1}] = MissingValue(cp_.symbols[size_t(s)].type.Optional(true));
  ComputeColumns(rec, eval, env);
  if (sink.first().set()) return Reject(rec, sink.first().reason);
  if (!Unique(rec)) return;
  rec.accepted = true;
  if (group_field_ < 0 && !ast_.groups.empty())
    for (size_t f = 0; f < fields.size(); ++f)
      if (fields[f].name.text == ast_.groups[0].key.text) group_field_ = int(f);
  if (group_field_ >= 0) {
    const Value& key = rec.values[{cp_.field_symbols[size_t(group_field_)], -1, -1}];
    if (key.present) rec.group = key.s, in_group_.push_back(records_.size() - 1);
  }
}

std::string Oracle::ParseCell(const ast::FieldDecl& field, const Type& t, std::string_view cell, Value& v) {
  const std::string& name = field.name.text;
  if (cell.empty()) return t.optional ? "" : Text("missing", name);
  v.present = true;
  rt::ParseStatus status = rt::ParseStatus::Ok;
  switch (t.base) {
    case Base::String:
      v.s = std::string(cell);
      break;
    case Base::Int:
      status = rt::ParseInteger(cell, rt::PolicyInfo::kIntLimit, &v.i);
      break;
    case Base::Decimal:
      if (field.type.name.text == "percent") {  // a percentage, 4 digits, optional '%': the fraction at scale 6
        std::string_view digits = !cell.empty() && cell.back() == '%' ? cell.substr(0, cell.size() - 1) : cell;
        status = rt::ParseDecimal(digits, 4, 10'000'000'000'000, &v.i);
      } else {
        status = rt::ParseDecimal(cell, t.scale, 1'000'000'000'000'000, &v.i);
      }
      break;
    case Base::Number:
      status = rt::ParseNumber(cell, &v.d);
      break;
    case Base::Bool: {
      bool b = false;
      if (!ParseBool(cell, b)) status = rt::ParseStatus::Unparsable;
      v.i = b;
      break;
    }
    case Base::Date:
      if (!ParseDate(cell, v.i)) status = rt::ParseStatus::Unparsable;
      break;
    case Base::Enum: {
      const auto& values = cp_.enums[t.enum_id].values;
      auto it = std::find(values.begin(), values.end(), cell);
      if (it == values.end()) return Text("not_in_list", name);
      v.i = it - values.begin();
      break;
    }
    default:
      status = rt::ParseStatus::Unparsable;
      break;
  }
  if (status == rt::ParseStatus::Unparsable) return Text("unparsable", name);
  if (status == rt::ParseStatus::OutOfRange) return Text("out_of_range", name);
  return "";
}

std::string Oracle::Text(const std::string& kind, const std::string& subject) const {
  static const std::map<std::string, std::pair<std::string, std::string>> kDefaults = {
      {"bad_quote", {"", "bad_quote"}},           {"field_count", {"count", "column_count:{count}"}},
      {"missing", {"field", "missing:{field}"}},  {"unparsable", {"field", "unparsable:{field}"}},
      {"not_in_list", {"field", "unknown:{field}"}}, {"out_of_range", {"field", "out_of_range:{field}"}},
      {"inconsistent", {"check", "{check}"}},     {"duplicate", {"field", "duplicate:{field}"}},
      {"overflow", {"name", "overflow:{name}"}},  {"date_range", {"name", "date_range:{name}"}}};
  auto [placeholder, text] = kDefaults.at(kind);
  for (const auto& block : ast_.rejects)
    for (const auto& t : block.texts)
      if (t.kind.text == kind) text = t.text;
  if (placeholder.empty()) return text;
  std::string mark = "{" + placeholder + "}", out;
  for (size_t at = 0;;) {
    size_t next = text.find(mark, at);
    out += text.substr(at, next == std::string::npos ? std::string::npos : next - at);
    if (next == std::string::npos) return out;
    out += subject;
    at = next + mark.size();
  }
}

bool Oracle::Unique(Record& rec) {
  const auto& input = ast_.inputs[0];
  for (size_t u = 0; u < input.unique.size(); ++u)
    for (size_t f = 0; f < input.fields.size(); ++f) {
      if (input.fields[f].name.text != input.unique[u].text) continue;
      const Type& t = cp_.symbols[cp_.field_symbols[f]].type;
      const Value& v = rec.values[{cp_.field_symbols[f], -1, -1}];
      if (!v.present) continue;
      if (!seen_[u].insert(Format(v, t)).second) {
        Reject(rec, Text("duplicate", input.fields[f].name.text));
        return false;
      }
    }
  return true;
}

std::string Oracle::Output() const {
  std::string out;
  const auto& items = ast_.outputs[0].items;
  for (size_t c = 0; c < items.size(); ++c) {
    if (c) out += ',';
    io::AppendCsvField(out, items[c].name.text);
  }
  out += '\n';
  for (const Record& rec : records_) {
    if (!rec.accepted) continue;
    for (size_t c = 0; c < items.size(); ++c) {
      const Expr& e = *items[c].value;
      if (c) out += ',';
      const Value& v = IsStoredValue(e) ? rec.values.at(StoredKey(e)) : rec.columns.at(c);
      io::AppendCsvField(out, Format(v, e.type));
    }
    out += '\n';
  }
  return out;
}

std::string Oracle::Rejects() {
  std::stable_sort(rejects_.begin(), rejects_.end(),
                   [](const RejectRow& a, const RejectRow& b) { return a.line < b.line; });
  std::string out = "line,";
  out += ast_.inputs[0].fields.empty() ? "id" : ast_.inputs[0].fields[0].name.text;
  out += ",reason\n";
  for (const auto& rj : rejects_) {
    out += std::to_string(rj.line) + ",";
    io::AppendCsvField(out, rj.id);
    out += ',';
    io::AppendCsvField(out, rj.reason);
    out += '\n';
  }
  return out;
}

OracleRun RunOracle(const std::string& policy, const std::string& csv, ErrorRule rule) {
  OracleRun run;
  SourceFile source("policy.credo", policy);
  Diagnostics diags;
  auto parsed = Parse(source, diags);
  std::optional<check::CheckedPolicy> checked;
  if (parsed) checked = check::Check(std::move(parsed), source, diags);
  if (!checked) {
    run.error = diags.Render(source);
    return run;
  }
  return Oracle(*checked, rule).Run(csv);
}

}  // namespace credo::oracle

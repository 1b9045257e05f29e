#include "compiler/driver/reference_data.h"

#include <cerrno>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "compiler/interp/interpreter.h"
#include "runtime/exec/runner.h"
#include "runtime/io/csv.h"
#include "runtime/io/gzip.h"
#include "runtime/io/jsonl.h"

namespace credo {
namespace {

using rt::ReferenceColumnSpec;

void AddValue(const ReferenceColumnSpec& spec, rt::ReferenceIndex& index, rt::ReferenceIndex::Column& col, int32_t slot,
              bool first_row, bool present, int64_t v);

// Per-key columns, updated row by row.
void AddRow(const ir::Reference& ref, rt::ReferenceIndex& index, const rt::InputBatch& in, const rt::StateBatch& rows,
            size_t r, int32_t slot, bool first_row) {
  for (size_t c = 0; c < ref.columns.size(); ++c) {
    const ReferenceColumnSpec& spec = ref.columns[c];
    auto& col = index.columns[c];
    if (spec.kind == ReferenceColumnSpec::Count) {
      col.values[slot] += 1;
      col.valid[slot] = 1;
      continue;
    }
    // A field of the row, or an expression of it (never missing: the checker says so).
    const rt::Column& field = spec.derived >= 0 ? rows.slots[size_t(spec.derived)] : in.fields[size_t(spec.field)];
    if (spec.kind == ReferenceColumnSpec::CountIf || spec.kind == ReferenceColumnSpec::Any ||
        spec.kind == ReferenceColumnSpec::All) {
      int64_t holds = field.values[r] != 0;
      if (first_row) col.values[slot] = spec.kind == ReferenceColumnSpec::All;
      col.values[slot] = spec.kind == ReferenceColumnSpec::CountIf ? col.values[slot] + holds
                         : spec.kind == ReferenceColumnSpec::Any   ? (col.values[slot] | holds)
                                                                   : (col.values[slot] & holds);
      col.valid[slot] = 1;
      continue;
    }
    bool present = field.valid.empty() || field.valid[r] != 0;  // a state slot never missing keeps no validity
    AddValue(spec, index, col, slot, first_row, present, field.values[r]);
  }
}

// One row's value `v` into the key's entry of a Value, Sum, Min or Max column.
void AddValue(const ReferenceColumnSpec& spec, rt::ReferenceIndex& index, rt::ReferenceIndex::Column& col, int32_t slot,
              bool first_row, bool present, int64_t v) {
  bool number = spec.type.kind == rt::Kind::Number;
  switch (spec.kind) {
    case ReferenceColumnSpec::Value:
      if (present && spec.type.kind == rt::Kind::String) v = rt::StrBits(index.strings->Add(rt::StrOf(v)->view()));
      col.values[slot] = present ? v : 0;
      col.valid[slot] = present;
      break;
    case ReferenceColumnSpec::Sum: {  // fields summed are never missing (the checker says so)
      if (first_row) col.valid[slot] = 1;
      if (col.failed[slot]) break;
      if (number) {
        double s = std::bit_cast<double>(col.values[slot]) + std::bit_cast<double>(v);
        col.values[slot] = std::bit_cast<int64_t>(s);
        col.failed[slot] = !std::isfinite(s);
      } else {
        col.failed[slot] = __builtin_add_overflow(col.values[slot], v, &col.values[slot]);
      }
      break;
    }
    case ReferenceColumnSpec::Min:
    case ReferenceColumnSpec::Max: {
      bool is_min = spec.kind == ReferenceColumnSpec::Min;
      bool better;
      if (number) {
        double a = std::bit_cast<double>(v), b = std::bit_cast<double>(col.values[slot]);
        better = is_min ? a < b : a > b;
      } else {
        better = is_min ? v < col.values[slot] : v > col.values[slot];
      }
      if (!col.valid[slot] || better) col.values[slot] = v;
      col.valid[slot] = 1;
      break;
    }
    default: break;
  }
}

class Loader {
 public:
  // `rejects`: where rows that fail go (null: the first one is an error, ending with `hint`).
  // `io_failure` is set when the file could not be read to its end.
  Loader(const ir::Reference& ref, const std::string& path, bool json, std::vector<ReferenceReject>* rejects,
         const std::string& hint, std::string& error, bool& io_failure)
      : ref_(ref), path_(path), json_(json), rejects_(rejects), hint_(hint), error_(error), io_failure_(io_failure),
        rows_(MakeInterpreter(*ref.rows)) {}

  std::unique_ptr<rt::ReferenceIndex> Load(std::FILE* in, ReferenceLoadStats& stats) {
    const rt::PolicyInfo& info = rows_->info();
    auto index = std::make_unique<rt::ReferenceIndex>(info.inputs[size_t(ref_.key_field)].type.kind);
    index->columns.resize(ref_.columns.size());
    // gzip by its magic bytes; JSON Lines as the caller says (a file: by its name). A JSON
    // Lines row's cells are the declared fields, in order.
    io::InputStream stream;
    std::string open_error;
    if (!stream.Open(in, open_error)) return Unreadable(open_error);
    const bool json = json_;
    std::vector<std::string> header;
    for (const auto& f : info.inputs) header.push_back(f.name);
    io::CsvReader reader(stream.file());
    io::JsonlReader json_reader(stream.file(), header);
    auto read_failed = [&] {  // a read error ended the input: it is the error
      const int e = json ? json_reader.read_error() : reader.read_error();
      if (!e && !std::ferror(stream.file())) return false;
      std::string why = stream.error_text();
      Unreadable(why.empty() ? std::strerror(e ? e : EIO) : why);
      return true;
    };
    if (!json && !reader.ReadHeader(header))
      return read_failed() ? nullptr : Fail("is empty: it needs a header line naming its columns");
    auto read_batch = [&](io::TextBatch& text) { return json ? json_reader.ReadBatch(4096, text) : reader.ReadBatch(4096, text); };
    std::vector<int> column_of(info.inputs.size(), -1);
    for (size_t c = 0; c < header.size(); ++c)
      for (size_t f = 0; f < info.inputs.size(); ++f)
        if (header[c] == info.inputs[f].name) {
          if (column_of[f] >= 0) return Fail(fmt::format("has two columns named '{}'", header[c]));
          column_of[f] = int(c);
        }
    for (size_t f = 0; f < info.inputs.size(); ++f)
      if (column_of[f] < 0)
        return Fail(fmt::format("has no column '{}' (its header is: {})", info.inputs[f].name, fmt::join(header, ",")));
    io::TextBatch text, ordered;
    rt::InputBatch input;
    rt::StateBatch state;
    std::vector<int32_t> parse_field;
    std::vector<std::string> parse_reason;
    while (read_batch(text) > 0) {
      Reorder(text, header.size(), column_of, ordered);
      exec::ParseRows(info, ordered, input, parse_field, parse_reason);
      rows_->Evaluate(input, state);
      for (size_t r = 0; r < input.rows; ++r) {
        ++stats.rows;
        std::string_view key_text = text.row(r).size() == header.size() ? ordered.row(r)[size_t(ref_.key_field)] : "";
        const std::string* reason = nullptr;
        std::string count;  // another number of fields than the header (a bad quote is reported first)
        if (text.row(r).size() != header.size() && text.error[r].empty())
          reason = &(count = info.rejects.Format(rt::RejectKind::FieldCount, std::to_string(text.row(r).size())));
        else if (parse_field[r] >= 0) reason = &exec::ParseRejectReason(info, state.status[r], parse_field[r], parse_reason[r]);
        else if (state.status[r] > 0) reason = &info.reasons[size_t(state.status[r])].text;
        std::string duplicate;
        if (!reason) {
          bool added;
          int32_t slot = index->Insert(input.fields[size_t(ref_.key_field)].values[r], added);
          if (!added && !ref_.many) {
            duplicate = info.rejects.Format(rt::RejectKind::Duplicate, info.inputs[size_t(ref_.key_field)].name);
            reason = &duplicate;
          } else {
            AddRow(ref_, *index, input, state, r, slot, added);
            continue;
          }
        }
        ++stats.rejected;
        if (!rejects_) return Fail(fmt::format("line {}: {} ({})", text.line[r], *reason, hint_));
        rejects_->push_back({ref_.name, uint64_t(text.line[r]), std::string(key_text), *reason});
      }
    }
    if (read_failed()) return nullptr;
    stats.keys = index->keys();
    return index;
  }

 private:
  // The declared fields in declaration order, whatever the file's column order. A row with
  // another number of fields than the header keeps them (it is rejected: Load says why).
  static void Reorder(const io::TextBatch& text, size_t width, const std::vector<int>& column_of, io::TextBatch& out) {
    out.clear();  // row_begin = {0}
    out.line = text.line;
    out.error = text.error;
    for (size_t r = 0; r < text.rows(); ++r) {
      auto row = text.row(r);
      if (row.size() == width)
        for (int c : column_of) out.fields.push_back(row[size_t(c)]);
      else
        out.fields.insert(out.fields.end(), row.begin(), row.end());
      out.row_begin.push_back(uint32_t(out.fields.size()));
    }
  }

  std::unique_ptr<rt::ReferenceIndex> Fail(const std::string& why) {
    error_ = fmt::format("reference {} ({}) {}", ref_.name, path_, why);
    return nullptr;
  }
  std::unique_ptr<rt::ReferenceIndex> Unreadable(const std::string& why) {
    io_failure_ = true;
    return Fail("could not be read: " + why);
  }

  const ir::Reference& ref_;
  const std::string& path_;
  bool json_;
  std::vector<ReferenceReject>* rejects_;
  const std::string& hint_;
  std::string& error_;
  bool& io_failure_;
  std::unique_ptr<rt::Evaluator> rows_;
};

// Loads each reference with `open(name, label, json)` giving its stream (null: `error` is set).
template <typename Open>
std::shared_ptr<const rt::References> LoadAll(const ir::Program& program, Open open,
                                              std::vector<ReferenceReject>* rejects, const std::string& hint,
                                              std::vector<ReferenceLoadStats>* stats, std::string& error,
                                              bool& io_failure) {
  auto refs = std::make_shared<rt::References>();
  for (const auto& ref : program.references) {
    std::string label;
    bool json = false;
    std::FILE* in = open(ref.name, label, json);
    if (!in) return nullptr;
    ReferenceLoadStats s{ref.name};
    auto index = Loader(ref, label, json, rejects, hint, error, io_failure).Load(in, s);
    std::fclose(in);
    if (!index) return nullptr;
    refs->tables.push_back(std::move(*index));
    if (stats) stats->push_back(s);
  }
  return refs;
}

// A file, or a text in memory, as a stream (null with `error` set).
std::FILE* OpenSource(const std::string& name, const ReferenceSource& source, std::string& error, bool& io_failure) {
  if (source.file.empty())  // an empty text is an empty file (fmemopen refuses a size of 0)
    return source.text.empty() ? std::fopen("/dev/null", "rb")
                               : fmemopen(const_cast<char*>(source.text.data()), source.text.size(), "rb");
  std::FILE* in = std::fopen(source.file.c_str(), "rb");
  if (!in) {
    error = fmt::format("reference {}: cannot read {}: {}", name, source.file, std::strerror(errno));
    io_failure = true;
  }
  return in;
}

const char* kRefRejectsHint = "give --ref-rejects FILE to set bad rows aside and run";

}  // namespace

ReferenceLoad LoadReferenceSources(const ir::Program& program, const std::map<std::string, ReferenceSource>& sources,
                                   bool set_aside, const std::string& hint) {
  ReferenceLoad load;
  auto open = [&](const std::string& name, std::string& label, bool& json) -> std::FILE* {
    auto it = sources.find(name);
    if (it == sources.end()) {
      load.error = fmt::format("the policy reads reference data '{}', which was not given", name);
      return nullptr;
    }
    label = it->second.file.empty() ? "<" + name + ">" : it->second.file;  // as errors name it
    json = it->second.file.empty() ? it->second.json_lines : io::IsJsonLinesName(it->second.file);
    return OpenSource(name, it->second, load.error, load.io_failure);
  };
  load.references =
      LoadAll(program, open, set_aside ? &load.rejects : nullptr, hint, &load.stats, load.error, load.io_failure);
  return load;
}

std::string ReferenceRejectsCsv(const std::vector<ReferenceReject>& rejects) {
  std::string csv;
  for (const ReferenceReject& r : rejects) {
    io::AppendCsvField(csv, r.reference);
    csv += fmt::format(",{},", r.line);
    io::AppendCsvField(csv, r.key);
    csv += ',';
    io::AppendCsvField(csv, r.reason);
    csv += '\n';
  }
  return csv;
}

std::shared_ptr<const rt::References> LoadReferences(const ir::Program& program,
                                                     const std::map<std::string, std::string>& files,
                                                     std::FILE* rejects, std::vector<ReferenceLoadStats>& stats,
                                                     std::string& error, bool* io_failure) {
  std::map<std::string, ReferenceSource> sources;
  for (const auto& [name, file] : files) sources[name].file = file;
  for (const auto& ref : program.references)
    if (!files.count(ref.name)) {
      error = fmt::format("the policy reads reference data '{}': give it with --ref {}=FILE", ref.name, ref.name);
      return nullptr;
    }
  ReferenceLoad load = LoadReferenceSources(program, sources, rejects != nullptr, kRefRejectsHint);
  if (!load.references) {
    error = load.error;
    if (io_failure) *io_failure = load.io_failure;
    return nullptr;
  }
  stats = std::move(load.stats);
  std::string csv = ReferenceRejectsCsv(load.rejects);
  if (rejects && !csv.empty() && std::fwrite(csv.data(), 1, csv.size(), rejects) != csv.size()) {
    error = fmt::format("cannot write the reference rejects: {}", std::strerror(errno));
    if (io_failure) *io_failure = true;
    return nullptr;
  }
  return load.references;
}

std::shared_ptr<const rt::References> LoadReferenceTexts(const ir::Program& program,
                                                         const std::map<std::string, std::string>& texts,
                                                         std::string* rejects, std::string& error) {
  std::map<std::string, ReferenceSource> sources;
  for (const auto& [name, text] : texts) sources[name].text = text;
  ReferenceLoad load = LoadReferenceSources(program, sources, rejects != nullptr, kRefRejectsHint);
  if (!load.references) {
    error = load.error;
    return nullptr;
  }
  if (rejects) *rejects += ReferenceRejectsCsv(load.rejects);
  return load.references;
}

}  // namespace credo

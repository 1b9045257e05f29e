// references.cc — CompileOptions::references: the data of each reference a policy declares,
// checked against the declarations and loaded as `credo run --ref` loads it
// (compiler/driver/reference_data.h), for the policy's engine and for its probed program.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "api/references.h"
#include "runtime/io/csv.h"

namespace credo::v1 {

ReferenceData ReferenceData::file(std::string path) {
  ReferenceData d;
  d.path = std::move(path);
  return d;
}

ReferenceData ReferenceData::csv(std::string text) {
  ReferenceData d;
  d.text = std::move(text);
  return d;
}

ReferenceData ReferenceData::json_lines(std::string text) {
  ReferenceData d;
  d.text = std::move(text);
  d.format = Format::json_lines;
  return d;
}

ReferenceData ReferenceData::rows(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  // As the CSV file with these cells: every cell quoted when it must be, so it reads back as given.
  std::string csv;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c) csv += ',';
      io::AppendCsvField(csv, cells[c]);
    }
    csv += '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
  return ReferenceData::csv(std::move(csv));
}

namespace {

bool SameColumn(const rt::ReferenceColumnSpec& a, const rt::ReferenceColumnSpec& b) {
  return a.kind == b.kind && a.field == b.field && a.derived == b.derived && a.type.kind == b.type.kind &&
         a.type.scale == b.type.scale && a.type.optional == b.type.optional && a.type.names == b.type.names &&
         a.type.ranked == b.type.ranked;
}

// Whether two lowerings of one policy read their references' data the same way (the same
// per-key columns), so that one loaded copy serves both.
bool SameReads(const ir::Program& a, const ir::Program& b) {
  if (a.references.size() != b.references.size()) return false;
  for (size_t i = 0; i < a.references.size(); ++i) {
    const ir::Reference &x = a.references[i], &y = b.references[i];
    if (x.name != y.name || x.many != y.many || x.key_field != y.key_field || x.columns.size() != y.columns.size())
      return false;
    for (size_t c = 0; c < x.columns.size(); ++c)
      if (!SameColumn(x.columns[c], y.columns[c])) return false;
  }
  return true;
}

// Every declared reference given, and nothing else; "" or why not.
std::string CheckNames(const std::vector<std::string>& declared, const std::map<std::string, ReferenceData>& given) {
  for (const auto& [name, data] : given)
    if (std::find(declared.begin(), declared.end(), name) == declared.end())
      return declared.empty() ? fmt::format("reference data '{}' was given, but the policy declares no reference data", name)
                              : fmt::format("reference data '{}' was given, but the policy has no reference '{}'; its "
                                            "references are: {}",
                                            name, name, fmt::join(declared, ", "));
  for (const auto& name : declared)
    if (!given.count(name))
      return fmt::format("the policy reads reference data '{}', which was not given (give the data of each of its "
                         "references: {})",
                         name, fmt::join(declared, ", "));
  for (const auto& [name, data] : given)
    if (!data.path.empty() && !data.text.empty())
      return fmt::format("reference data '{}' has both a file ({}) and a text: give one of them", name, data.path);
  return "";
}

void Describe(const ir::Program& program, const std::vector<ReferenceLoadStats>& stats, Description& d) {
  for (size_t i = 0; i < program.references.size(); ++i) {
    const ir::Reference& ref = program.references[i];
    ReferenceInfo info;
    info.name = ref.name;
    info.title = ref.title;
    info.many = ref.many;
    const rt::PolicyInfo& rows = ref.rows->info;
    info.key = rows.inputs[size_t(ref.key_field)].name;
    for (const auto& f : rows.inputs) info.fields.push_back(f.name);
    if (i < stats.size()) {
      info.rows = stats[i].rows;
      info.rejected = stats[i].rejected;
      info.keys = stats[i].keys;
    }
    d.references.push_back(std::move(info));
  }
}

}  // namespace

bool LoadPolicyReferences(PolicyImpl& p, const Compilation& c, const CompileOptions& options, CompileResult& result) {
  const ir::Program& program = *c.program;
  std::vector<std::string> declared;
  for (const auto& ref : program.references) declared.push_back(ref.name);
  auto fail = [&](std::string why) {
    result.error = std::move(why);
    result.rendered += "credo: " + result.error + "\n";
    result.reference_error = true;
    return false;
  };
  if (std::string why = CheckNames(declared, options.references); !why.empty()) return fail(why);
  if (declared.empty()) return true;
  std::map<std::string, ReferenceSource> sources;
  for (const auto& [name, data] : options.references) sources[name] = {data.path, data.text, data.format == ReferenceData::Format::json_lines};
  const bool set_aside = options.set_aside_bad_reference_rows;
  const std::string hint = "set bad reference rows aside to compile without them";
  ReferenceLoad load = LoadReferenceSources(program, sources, set_aside, hint);
  result.reference_unreadable = load.io_failure;
  if (!load.references) return fail(load.error);
  p.references = load.references;
  for (const auto& r : load.rejects) result.reference_rejects.push_back({r.reference, r.line, r.key, r.reason});
  Describe(program, load.stats, p.description);

  // Explain and traces run the policy lowered with probes: its lookups may read other per-key
  // columns, which are then loaded for it (from the same data, now, so both see the same rows).
  std::string error;
  const Compilation* probed = p.Probed(error);
  if (!probed) return fail(error);
  if (SameReads(program, *probed->program)) {
    p.probed_references = p.references;
  } else {
    ReferenceLoad again = LoadReferenceSources(*probed->program, sources, true, hint);
    if (!again.references) return fail(again.error);
    p.probed_references = again.references;
  }
  return true;
}

}  // namespace credo::v1

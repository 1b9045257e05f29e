// collect.cc — the frame of a policy document: the declarations in the order the author wrote
// them (a typical policy reads top to bottom like its policy document), under the author's own
// headings (banner comments), then the enums and a sign-off block. Also the header, the input,
// the derived values and the outputs.
#include "compiler/doc/collect.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/doc/doc.h"

namespace credo::doc {

namespace {

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// `name: T?` of a parameter or field, as written.
std::string TypeRefText(const ast::TypeRef& type) {
  std::string text = type.name.text;
  if (type.size >= 0) text += fmt::format("({})", type.size);
  return type.optional ? text + "?" : text;
}

bool IsRule(std::string_view text) {  // a comment line of dashes or equals signs only
  return !text.empty() && text.find_first_not_of("-=_*# ") == std::string_view::npos;
}

}  // namespace

std::string CommentBody(const Comment& comment) {
  std::string_view text = std::string_view(comment.text).substr(2);  // without `//` or `/*`
  if (comment.block && text.size() >= 2 && text.substr(text.size() - 2) == "*/") text.remove_suffix(2);
  return IsRule(Trim(text)) ? "" : Trim(text);
}

std::string BannerTitle(const Comment& comment) {
  if (comment.block || !comment.own_line) return "";
  std::string body = Trim(std::string_view(comment.text).substr(2));
  if (body.rfind("--", 0) != 0 && body.rfind("==", 0) != 0) return "";
  size_t begin = body.find_first_not_of("-= ");
  size_t end = body.find_last_not_of("-= ");
  return begin == std::string::npos ? "" : body.substr(begin, end - begin + 1);
}

Collector::Collector(const check::CheckedPolicy& policy, const SourceFile& source, uint64_t hash)
    : policy_(policy), ast_(policy.ast()), source_(source), hash_(fmt::format("{:016x}", hash)) {
  Header();
}

const std::vector<Comment>& Collector::CommentsOf(const SourceFile& file) const {
  auto it = comments_.find(&file);
  if (it == comments_.end()) it = comments_.emplace(&file, LexComments(file)).first;
  return it->second;
}

Section& Collector::current() {
  if (doc_.sections.empty()) Open("Policy", "");
  return doc_.sections.back();
}

Section& Collector::Open(std::string title, std::string code) {
  // The author's heading already names this declaration ("Output" over the output): one heading.
  if (under_heading_ && !doc_.sections.empty()) {
    Section& heading = doc_.sections.back();
    auto lower = [](std::string_view text) {  // without a section number ("3. Derived values")
      size_t words = text.find_first_not_of("0123456789. ");
      if (words == std::string_view::npos || text.substr(0, words).find('.') == std::string_view::npos) words = 0;
      std::string out(text.substr(words));
      for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
      return out;
    };
    if (heading.level == 2 && heading.blocks.empty() && heading.code.empty() && lower(heading.title) == lower(title)) {
      heading.code = std::move(code);
      return heading;
    }
  }
  Section section;
  section.level = under_heading_ ? 3 : 2;
  section.title = std::move(title);
  section.code = std::move(code);
  // The anchor: the heading's words in lower case joined by '-', numbered when repeated.
  std::string id;
  for (char c : section.title + (section.code.empty() ? "" : "-" + section.code)) {
    bool word = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    if (word) id += char(std::tolower(static_cast<unsigned char>(c)));
    else if (!id.empty() && id.back() != '-') id += '-';
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  if (id.empty()) id = "section";
  int seen = ids_[id]++;
  section.id = seen ? fmt::format("{}-{}", id, seen + 1) : id;
  doc_.sections.push_back(std::move(section));
  return doc_.sections.back();
}

std::string Collector::Source(Span span) const {
  std::string_view text = source_.Slice(span);
  // Continuation lines are indented for their place in the file; keep only their indentation
  // relative to the first line's column.
  size_t column = source_.Locate(span.begin).column - 1;
  std::string out;
  size_t at = 0;
  for (bool first = true; at <= text.size(); first = false) {
    size_t end = text.find('\n', at);
    std::string_view line = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!first) {
      size_t indent = std::min(line.find_first_not_of(' '), line.size());
      line.remove_prefix(std::min(column, indent));
      out += '\n';
    }
    out += line;
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return out;
}

std::string Collector::CommentAbove(uint32_t at) const {
  const SourceFile& file = source_.FileAt(at);
  std::string above = DocComment(file, CommentsOf(file), at), note;
  for (size_t begin = 0; begin <= above.size();) {
    size_t stop = above.find('\n', begin);
    if (stop == std::string::npos) stop = above.size();
    std::string line = Trim(std::string_view(above).substr(begin, stop - begin));
    // A banner right above a declaration is a heading (Build), not its note.
    bool banner = !BannerTitle(Comment{{}, "//" + line, false, true}).empty();
    if (!line.empty() && !IsRule(line) && !banner) note += (note.empty() ? "" : " ") + line;
    begin = stop + 1;
  }
  return note;
}

std::string Collector::CommentAfter(uint32_t end, uint32_t next) const {
  const SourceFile& file = source_.FileAt(end);
  uint32_t line = file.Locate(end).line;
  std::string note;
  for (const Comment& c : CommentsOf(file)) {
    if (c.own_line || c.span.begin < end || c.span.begin >= next || file.Locate(c.span.begin).line != line) continue;
    if (std::string body = CommentBody(c); !body.empty()) note += (note.empty() ? "" : " ") + body;
  }
  return note;
}

std::string Collector::NoteOf(uint32_t at, uint32_t end, uint32_t next) const {
  std::string above = CommentAbove(at), after = CommentAfter(end, next);
  return above + (above.empty() || after.empty() ? "" : " ") + after;
}

std::string Collector::ItemNote(uint32_t owner, uint32_t at, uint32_t end, uint32_t next) const {
  const SourceFile& file = source_.FileAt(at);
  return file.Locate(owner).line == file.Locate(at).line ? "" : NoteOf(at, end, next);
}

void Collector::DocNote(uint32_t at) {
  if (std::string note = NoteOf(at, at); !note.empty()) Add({Block::Note, Plain(note), {}, {}});
}

void Collector::Grid(Table table) {
  auto empty = [](const Inline& cell) {
    return std::all_of(cell.begin(), cell.end(), [](const Run& run) { return run.text.empty(); });
  };
  for (size_t c = table.columns.size(); c-- > 0 && table.kind != "signoff";) {
    bool unused = std::all_of(table.rows.begin(), table.rows.end(),
                              [&](const Row& row) { return c >= row.cells.size() || empty(row.cells[c]); });
    if (!unused) continue;
    table.columns.erase(table.columns.begin() + c);
    for (Row& row : table.rows)
      if (c < row.cells.size()) row.cells.erase(row.cells.begin() + c);
  }
  Add({Block::Grid, {}, {}, std::move(table)});
}

const check::Symbol* Collector::SymbolNamed(const std::string& name) const {
  for (const check::Symbol& s : policy_.symbols)
    if (s.name == name && s.kind != check::SymbolKind::Param) return &s;
  return nullptr;
}

const check::Symbol* Collector::SymbolOf(check::SymbolKind kind, int decl) const {
  for (const check::Symbol& s : policy_.symbols)
    if (s.kind == kind && s.decl == decl) return &s;
  return nullptr;
}

std::string Collector::RejectText(const std::string& kind, const std::string& key, const std::string& value,
                                  const std::string& standard) const {
  for (const ast::RejectsBlock& block : ast_.rejects)
    for (const ast::RejectText& text : block.texts) {
      if (text.kind.text != kind) continue;
      std::string out = text.text, placeholder = "{" + key + "}";
      for (size_t at = out.find(placeholder); !key.empty() && at != std::string::npos; at = out.find(placeholder, at))
        out.replace(at, placeholder.size(), value), at += value.size();
      return out;
    }
  return standard;
}

// ---- the header --------------------------------------------------------------------------------

void Collector::Header() {
  doc_.title = ast_.name.text;
  doc_.facts.push_back({"Policy", doc::Code(ast_.name.text)});
  doc_.facts.push_back({"Version", Plain(ast_.version.empty() ? "not stated" : ast_.version)});
  if (!ast_.description.empty()) doc_.facts.push_back({"Description", Plain(ast_.description)});
  Inline identity = doc::Code(hash_);
  identity.push_back({Run::Text, " (the identity of the compiled policy, as the runtime computes it: anything that can "
                                 "change an outcome changes it, in this file or a library it imports; titles, the "
                                 "description and comments are not part of it)"});
  doc_.facts.push_back({"Content hash", identity});
  doc_.facts.push_back({"Source", doc::Code(source_.path())});
  doc_.facts.push_back({"In brief", Plain(Summary())});
  if (!ast_.libraries.empty()) {
    Inline libraries;
    for (const auto& library : ast_.libraries) {
      if (!libraries.empty()) libraries.push_back({Run::Text, ", "});
      libraries.push_back({Run::Code, library.name});
      libraries.push_back({Run::Text, " version " + library.version});
    }
    doc_.facts.push_back({"Libraries", libraries});
  }
  // The file's opening comment (above the `policy` line) introduces the policy.
  std::string intro;
  for (const Comment& c : CommentsOf(source_)) {
    if (c.span.begin >= ast_.name.span.begin || !c.own_line) break;
    std::string body = CommentBody(c);
    if (!body.empty() && BannerTitle(c).empty()) intro += (intro.empty() ? "" : " ") + body;
  }
  if (!intro.empty()) doc_.preface.push_back({Block::Note, Plain(intro), {}, {}});
  doc_.preface.push_back({Block::Paragraph,
                          Plain("Expressions are shown exactly as the policy writes them. A type ending in ? may be "
                                "missing (an empty cell, or a value that cannot be computed, such as a ratio with a "
                                "zero denominator). Notes are the policy author's own comments."),
                          {},
                          {}});
}

std::string Collector::Summary() const {
  auto count = [](size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
  };
  std::vector<std::string> parts;
  size_t fields = 0, rules = 0, characteristics = 0, rows = 0, outputs = 0;
  for (const auto& input : ast_.inputs) fields += input.fields.size();
  for (const auto& set : ast_.rule_sets) rules += set.rules.size();
  for (const auto& card : ast_.scorecards) characteristics += card.characteristics.size();
  for (const auto& table : ast_.decision_tables) rows += table.rows.size();
  for (const auto& output : ast_.outputs) outputs += output.items.size();
  parts.push_back(count(fields, "input column", "input columns"));
  if (!ast_.lets.empty()) parts.push_back(count(ast_.lets.size(), "derived value", "derived values"));
  if (!ast_.functions.empty()) parts.push_back(count(ast_.functions.size(), "function", "functions"));
  if (rules) parts.push_back(count(rules, "rule", "rules") + " in " + count(ast_.rule_sets.size(), "rule set", "rule sets"));
  if (!ast_.scorecards.empty())
    parts.push_back(count(ast_.scorecards.size(), "scorecard", "scorecards") + " (" +
                    count(characteristics, "characteristic", "characteristics") + ")");
  if (!ast_.bands.empty()) parts.push_back(count(ast_.bands.size(), "band", "bands"));
  if (!ast_.tables.empty()) parts.push_back(count(ast_.tables.size(), "lookup table", "lookup tables"));
  if (!ast_.decision_tables.empty())
    parts.push_back(count(ast_.decision_tables.size(), "decision table", "decision tables") + " (" +
                    count(rows, "row", "rows") + ")");
  for (const auto& d : ast_.decisions) parts.push_back("a decision of " + count(d.arms.size(), "arm", "arms"));
  for (const auto& w : ast_.warnings) parts.push_back(count(w.warnings.size(), "warning", "warnings"));
  if (!ast_.groups.empty()) parts.push_back("a group pass");
  parts.push_back(count(outputs, "output column", "output columns"));
  if (!ast_.group_outputs.empty()) parts.push_back(count(ast_.group_outputs.size(), "per-group output", "per-group outputs"));
  return fmt::format("{}.", fmt::join(parts, ", "));
}

// ---- the input ---------------------------------------------------------------------------------

void Collector::Input(const ast::InputDecl& input) {
  Open("Input", input.name.text);
  DocNote(input.name.span.begin);
  Paragraph(Plain("One record per CSV row. The header line must name these columns, exactly and in this order."));
  Table fields{"inputs", {"#", "Column", "Type", "If empty", "Validation", "Rejected as", "Notes"}, {}};
  for (size_t i = 0; i < input.fields.size(); ++i) {
    const ast::FieldDecl& field = input.fields[i];
    const std::string& name = field.name.text;
    Inline empty = field.type.optional ? Plain("allowed (missing)") : Plain("rejected as ");
    if (!field.type.optional) empty.push_back({Run::Code, RejectText("missing", "field", name, "missing:" + name)});
    std::string reason = !field.where ? ""
                         : field.reason.empty() ? RejectText("out_of_range", "field", name, "out_of_range:" + name)
                                                : field.reason;
    uint32_t end = field.where ? field.where->span.end : field.type.name.span.end;
    fields.rows.push_back({{Plain(std::to_string(i + 1)), doc::Code(name), doc::Code(TypeRefText(field.type)), empty,
                            field.where ? Code(*field.where) : Plain(""), reason.empty() ? Plain("") : doc::Code(reason),
                            Plain(ItemNote(input.name.span.begin, field.name.span.begin, end))}});
  }
  Grid(std::move(fields));
  for (const ast::Name& key : input.unique) {
    Inline text = {{Run::Text, "Unique: "}, {Run::Code, key.text}, {Run::Text, ". A row repeating an earlier accepted row's value is rejected as "},
                   {Run::Code, RejectText("duplicate", "field", key.text, "duplicate:" + key.text)}, {Run::Text, "."}};
    Paragraph(std::move(text));
  }
  if (!input.checks.empty()) {
    Paragraph(Plain("Consistency checks, tried in this order on a row whose cells are all valid; the first that "
                    "fails rejects the row:"));
    Table checks{"checks", {"#", "Check", "Rejected as", "Notes"}, {}};
    for (size_t i = 0; i < input.checks.size(); ++i) {
      const ast::CheckDecl& check = input.checks[i];
      checks.rows.push_back({{Plain(std::to_string(i + 1)), Code(*check.condition),
                              doc::Code(RejectText("inconsistent", "check", check.reason, check.reason)),
                              Plain(ItemNote(input.name.span.begin, check.span.begin, check.span.end))}});
    }
    Grid(std::move(checks));
  }
  Inline others = Plain("A row is also rejected when it has the wrong number of fields (");
  others.push_back({Run::Code, RejectText("field_count", "count", "<n>", "column_count:<n>")});
  others.push_back({Run::Text, "), a cell is not valid text for its type ("});
  others.push_back({Run::Code, RejectText("unparsable", "field", "<field>", "unparsable:<field>")});
  others.push_back({Run::Text, ") or not one of its enum's values ("});
  others.push_back({Run::Code, RejectText("not_in_list", "field", "<field>", "unknown:<field>")});
  others.push_back({Run::Text, "), or a value it uses cannot be computed ("});
  others.push_back({Run::Code, RejectText("overflow", "name", "<name>", "overflow:<name>")});
  others.push_back({Run::Text, "). The first failing column, left to right, gives the reason."});
  Paragraph(std::move(others));
}

// ---- reference data ------------------------------------------------------------------------------

void Collector::Reference(const ast::ReferenceDecl& ref) {
  Open("Reference data", ref.name.text);
  DocNote(ref.name.span.begin);
  std::string title = ref.title.empty() ? "" : ref.title + ". ";
  Inline intro = {{Run::Text, title + "Given with "}, {Run::Code, "credo run --ref " + ref.name.text + "=FILE"},
                  {Run::Text, ": a CSV whose header names these columns, in any order (other columns are ignored). "},
                  {Run::Text, ref.many ? "Any number of rows per " : "One row per "}, {Run::Code, ref.key.text},
                  {Run::Text, ref.many ? "; the policy reads aggregates over a key's rows." : "; a repeated key is set aside as "}};
  if (!ref.many) intro.push_back({Run::Code, RejectText("duplicate", "field", ref.key.text, "duplicate:" + ref.key.text)});
  if (!ref.many) intro.push_back({Run::Text, "."});
  Paragraph(std::move(intro));
  Table fields{"references", {"#", "Column", "Type", "If empty", "Validation", "Set aside as", "Notes"}, {}};
  for (size_t i = 0; i < ref.fields.size(); ++i) {
    const ast::FieldDecl& field = ref.fields[i];
    const std::string& name = field.name.text;
    Inline empty = field.type.optional ? Plain("allowed (missing)") : Plain("set aside as ");
    if (!field.type.optional) empty.push_back({Run::Code, RejectText("missing", "field", name, "missing:" + name)});
    std::string reason = !field.where ? ""
                         : field.reason.empty() ? RejectText("out_of_range", "field", name, "out_of_range:" + name)
                                                : field.reason;
    uint32_t end = field.where ? field.where->span.end : field.type.name.span.end;
    Inline column = doc::Code(name);
    if (name == ref.key.text) column.push_back({Run::Text, " (key)"});
    fields.rows.push_back({{Plain(std::to_string(i + 1)), column, doc::Code(TypeRefText(field.type)), empty,
                            field.where ? Code(*field.where) : Plain(""), reason.empty() ? Plain("") : doc::Code(reason),
                            Plain(ItemNote(ref.name.span.begin, field.name.span.begin, end))}});
  }
  Grid(std::move(fields));
  Paragraph({{Run::Text, "A row that fails is never used: "}, {Run::Code, "--ref-rejects FILE"},
             {Run::Text, " lists it; without that option it stops the run."}});
}

// ---- derived values and functions --------------------------------------------------------------

void Collector::Values(const std::vector<int>& lets, const std::vector<int>& functions) {
  Open(lets.empty() ? "Functions" : "Derived values", "");
  if (!lets.empty()) {
    bool constants = std::all_of(lets.begin(), lets.end(), [this](int i) { return ast_.lets[i].is_const; });
    Paragraph(Plain(constants ? "Constants: the same for every record."
                              : "Computed for every accepted record, each from the values it names (the order of "
                                "computation follows the dependencies, not the order written)."));
    Table values{"values", {"Name", "Type", "Formula", "Notes"}, {}};
    for (int i : lets) {
      const ast::LetDecl& let = ast_.lets[i];
      const check::Symbol* symbol = SymbolOf(check::SymbolKind::Let, i);
      Inline name = doc::Code(let.name.text);
      if (let.is_const) name.push_back({Run::Text, " (constant)"});
      values.rows.push_back({{name, doc::Code(symbol ? TypeName(symbol->type) : ""), Code(*let.value),
                              Plain(NoteOf(let.name.span.begin, let.value->span.end))}});
    }
    Grid(std::move(values));
  }
  if (!functions.empty()) {
    if (!lets.empty()) Paragraph(Plain("Functions (each call computes its body with the arguments given):"));
    Table table{"functions", {"Function", "Parameters", "Result", "Body", "Notes"}, {}};
    for (int i : functions) {
      const ast::FunctionDecl& f = ast_.functions[i];
      std::string params;
      for (const ast::Param& p : f.params) params += (params.empty() ? "" : ", ") + p.name.text + ": " + TypeRefText(p.type);
      table.rows.push_back({{doc::Code(f.name.text), doc::Code(params), doc::Code(TypeRefText(f.result)), Code(*f.body),
                             Plain(NoteOf(f.span.begin, f.body->span.end))}});
    }
    Grid(std::move(table));
  }
}

// ---- outputs, reject texts, enums, sign-off ----------------------------------------------------

void Collector::Output(const ast::OutputBlock& output, bool per_group) {
  Open(per_group ? "Per-group output" : "Output", per_group ? output.name.text : "");
  DocNote(output.span.begin);
  if (per_group) {
    Inline text = Plain("One row per group");
    for (size_t i = 0; i < output.order.size(); ++i) {
      text.push_back({Run::Text, i == 0 ? ", ordered by " : ", then "});
      text.push_back({Run::Code, output.order[i].column.text});
      text.push_back({Run::Text, output.order[i].descending ? " (descending)" : " (ascending)"});
    }
    text.push_back({Run::Text, "; its columns, in this order:"});
    Paragraph(std::move(text));
  } else {
    Paragraph(Plain("One row per accepted record, in input order; its columns, in this order:"));
  }
  Table table{"outputs", {"#", "Column", "Value", "Type", "Notes"}, {}};
  for (size_t i = 0; i < output.items.size(); ++i) {
    const ast::OutputItem& item = output.items[i];
    Type type = item.value ? item.value->type : Type{};
    if (!item.value)
      if (const check::Symbol* s = SymbolNamed(item.name.text)) type = s->type;
    uint32_t end = item.value ? item.value->span.end : item.name.span.end;
    table.rows.push_back({{Plain(std::to_string(i + 1)), doc::Code(item.name.text),
                           item.value ? Code(*item.value) : Plain("the value of the same name"),
                           type.error() ? Plain("") : doc::Code(TypeName(type)), Plain(ItemNote(output.span.begin, item.name.span.begin, end))}});
  }
  Grid(std::move(table));
}

void Collector::Rejects(const ast::RejectsBlock& rejects) {
  Open("Reject texts", "");
  DocNote(rejects.span.begin);
  Paragraph(Plain("The text this policy writes for each kind of rejected row (other kinds keep the standard words):"));
  Table table{"rejects", {"Kind", "Text", "Notes"}, {}};
  for (const ast::RejectText& text : rejects.texts)
    table.rows.push_back({{doc::Code(text.kind.text), doc::Code(text.text),
                           Plain(ItemNote(rejects.span.begin, text.kind.span.begin, text.text_span.end))}});
  Grid(std::move(table));
}

void Collector::Enums() {
  if (ast_.enums.empty()) return;
  under_heading_ = false;
  Open("Enumerations", "");
  Paragraph(Plain("The values of each enumeration, in the order declared (in a table with a priority hit policy, "
                  "the first declared is the highest)."));
  Table table{"enums", {"Enumeration", "Values", "Notes"}, {}};
  for (const ast::EnumDecl& e : ast_.enums) {
    Inline values;
    for (const ast::Name& v : e.values) {
      if (!values.empty()) values.push_back({Run::Text, ", "});
      values.push_back({Run::Code, v.text});
    }
    uint32_t end = e.values.empty() ? e.name.span.end : e.values.back().span.end;
    table.rows.push_back({{doc::Code(e.name.text), values, Plain(NoteOf(e.name.span.begin, end))}});
  }
  Grid(std::move(table));
}

void Collector::SignOff() {
  under_heading_ = false;
  Open("Sign-off", "");
  Paragraph({{Run::Text, "Approving this document approves policy "},
             {Run::Code, ast_.name.text},
             {Run::Text, " version " + ast_.version + " with content hash "},
             {Run::Code, hash_},
             {Run::Text, ". A policy whose hash differs is not the policy approved here."}});
  Table table{"signoff", {"Role", "Name", "Decision", "Signature", "Date"}, {}};
  for (const char* role : {"Policy owner", "Credit risk", "Credit committee"})
    table.rows.push_back({{Plain(role), Plain(""), Plain(""), Plain(""), Plain("")}});
  Grid(std::move(table));
}

// ---- the declarations in written order ---------------------------------------------------------

Document Collector::Build() {
  struct Item {
    uint32_t at;
    std::function<void()> emit;  // empty for a value (a let or function): those are listed together
    int let = -1, function = -1;
  };
  std::vector<Item> items;
  const ast::Policy& p = ast_;
  for (const auto& input : p.inputs) items.push_back({input.name.span.begin, [this, &input] { Input(input); }});
  for (const auto& ref : p.references) items.push_back({ref.name.span.begin, [this, &ref] { Reference(ref); }});
  for (size_t i = 0; i < p.lets.size(); ++i) items.push_back({p.lets[i].name.span.begin, {}, int(i)});
  for (size_t i = 0; i < p.functions.size(); ++i) items.push_back({p.functions[i].span.begin, {}, -1, int(i)});
  for (const auto& r : p.rule_sets) items.push_back({r.name.span.begin, [this, &r] { RuleSet(r); }});
  for (size_t i = 0; i < p.scorecards.size(); ++i)
    items.push_back({p.scorecards[i].name.span.begin, [this, i] { Scorecard(int(i)); }});
  for (size_t i = 0; i < p.bands.size(); ++i) items.push_back({p.bands[i].name.span.begin, [this, i] { Band(int(i)); }});
  for (const auto& t : p.tables) items.push_back({t.name.span.begin, [this, &t] { LookupTable(t); }});
  for (const auto& t : p.decision_tables) items.push_back({t.span.begin, [this, &t] { DecisionTable(t); }});
  for (const auto& d : p.decisions) items.push_back({d.span.begin, [this, &d] { Decision(d); }});
  for (const auto& w : p.warnings) items.push_back({w.span.begin, [this, &w] { Warnings(w); }});
  for (const auto& g : p.groups) items.push_back({g.span.begin, [this, &g] { Group(g); }});
  for (const auto& o : p.outputs) items.push_back({o.span.begin, [this, &o] { Output(o, false); }});
  for (const auto& o : p.group_outputs) items.push_back({o.span.begin, [this, &o] { Output(o, true); }});
  for (const auto& r : p.rejects) items.push_back({r.span.begin, [this, &r] { Rejects(r); }});
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.at < b.at; });

  // The author's headings: banner comments between declarations, in every file.
  std::vector<std::pair<uint32_t, std::string>> banners;
  auto add_banners = [&](const SourceFile& file) {
    for (const Comment& c : CommentsOf(file))
      if (std::string title = BannerTitle(c); !title.empty()) banners.push_back({c.span.begin, title});
  };
  add_banners(source_);
  for (const auto& file : source_.attached()) add_banners(*file);
  std::sort(banners.begin(), banners.end());

  uint32_t previous = ast_.name.span.end;
  const SourceFile* file = &source_;
  std::vector<int> lets, functions;
  auto flush_values = [&] {
    if (!lets.empty() || !functions.empty()) Values(lets, functions);
    lets.clear();
    functions.clear();
  };
  for (const Item& item : items) {
    const SourceFile* item_file = &source_.FileAt(item.at);
    std::string banner;  // the last one between the previous declaration and this one
    for (const auto& [at, title] : banners)
      if (at > previous && at < item.at) banner = title;
    std::string heading = banner;
    if (item_file != file) heading = "From library file " + item_file->path() + (banner.empty() ? "" : ": " + banner);
    if (!heading.empty()) {
      flush_values();
      under_heading_ = false;
      Open(heading, "");
      under_heading_ = true;
    }
    file = item_file;
    previous = item.at;
    if (item.emit) {
      flush_values();
      item.emit();
    } else {
      (item.let >= 0 ? lets : functions).push_back(item.let >= 0 ? item.let : item.function);
    }
  }
  flush_values();
  Enums();
  SignOff();
  return std::move(doc_);
}

Document Collect(const check::CheckedPolicy& policy, const SourceFile& source, uint64_t hash) {
  return Collector(policy, source, hash).Build();
}

}  // namespace credo::doc

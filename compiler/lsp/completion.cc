// completion.cc — textDocument/completion: the names in scope at the cursor, the members after
// `name.`, and the values of the enum the context expects (after `grade ==`, in `x in {...}`,
// after `=>` in the decision, after `: Enum =`, in bins, table entries and decision-table
// columns over an enum), and types after `name:`.
#include <regex>

#include "compiler/lsp/features.h"
#include "compiler/lsp/locations.h"

namespace credo::lsp {

namespace {

// LSP CompletionItemKind values.
enum ItemKind { kFunction = 3, kField = 5, kVariable = 6, kClass = 7, kModule = 9, kProperty = 10, kValue = 12,
                kEnum = 13, kKeyword = 14, kEnumMember = 20, kConstant = 21, kStruct = 22, kEvent = 23 };

// The words of the grammar (grammar/Credo.g4) an author types: declarations and operators.
const char* const kKeywords[] = {
    "policy", "library", "version", "import", "const", "function", "enum", "input", "where", "unique", "check",
    "let", "rules", "when", "missing", "means", "false", "true", "scorecard", "baseline", "reasons", "scaling",
    "at", "odds", "pdo", "intercept", "rounding", "weight", "band", "table", "hit", "inputs", "outputs", "else",
    "present", "decision", "because", "warnings", "group", "by", "warn", "set", "output", "per", "order", "asc",
    "desc", "rejects", "is", "not", "in", "and", "or", "if", "then", "date"};

int ItemKindOf(DeclKind kind) {
  switch (kind) {
    case DeclKind::Field: return kField;
    case DeclKind::Const: return kConstant;
    case DeclKind::Function: return kFunction;
    case DeclKind::RuleSet: return kModule;
    case DeclKind::Scorecard: return kClass;
    case DeclKind::Table: case DeclKind::DecisionTable: return kStruct;
    case DeclKind::Decision: return kEnum;
    case DeclKind::EnumValue: return kEnumMember;
    case DeclKind::Enum: return kEnum;
    case DeclKind::Rule: case DeclKind::Warning: case DeclKind::TableRow: return kEvent;
    case DeclKind::Characteristic: case DeclKind::TableOutput: return kProperty;
    default: return kVariable;
  }
}

json Item(const std::string& label, int kind, const std::string& detail, const std::string& sort = "5") {
  json item = {{"label", label}, {"kind", kind}, {"sortText", sort + label}};
  if (!detail.empty()) item["detail"] = detail;
  return item;
}

class Completer {
 public:
  // `names`: the analysis whose names are offered; `text`: the text being typed, `offset` the cursor in it.
  Completer(const Analysis& names, std::string_view text, const std::string& prefix, uint32_t offset)
      : a_(names), index_(names.index), text_(text), prefix_(prefix), offset_(offset) {}

  json Complete() {
    std::smatch m;
    // `base.partial`: the members of base.
    if (std::regex_search(prefix_, m, std::regex(R"(([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*[A-Za-z0-9_]*$)")))
      return Members(m[1]);
    std::string before = std::regex_replace(prefix_, std::regex(R"([A-Za-z0-9_]*$)"), "");
    if (int e = ExpectedEnum(before); e >= 0) return EnumValues(e, "0");
    bool test = false;
    if (int e = EnumOfColumn(before, test); e >= 0) {
      json items = EnumValues(e, "0");
      if (test)
        for (const char* k : {"missing", "else"}) items.push_back(Item(k, kKeyword, "", "1"));
      return items;
    }
    if (std::regex_search(before, std::regex(R"((:|->)\s*$)"))) return Types();
    json items = json::array();
    for (size_t d = 0; d < index_.decls.size(); ++d)
      if (InScope(index_.decls[d])) items.push_back(DeclItem(index_.decls[d]));
    for (const auto& f : check::BuiltinFunctions())
      if (!f.aggregate || InGroup()) items.push_back(Item(f.name, kFunction, f.usage, "7"));
    for (const char* k : kKeywords) items.push_back(Item(k, kKeyword, "", "8"));
    return items;
  }

 private:
  json DeclItem(const Declaration& d) const {
    std::string detail = d.kind == DeclKind::EnumValue ? d.parent : d.type.empty() ? KindName(d.kind) : d.type;
    return Item(d.name, ItemKindOf(d.kind), detail, d.kind == DeclKind::EnumValue ? "6" : "5");
  }

  bool InGroup() const {
    for (const auto& g : a_.checked->ast().groups)
      if (offset_ >= g.span.begin && offset_ <= g.span.end) return true;
    return false;
  }

  // Record-level names everywhere; a function's parameters in its body; group lets in the group
  // block and the outputs; no members (rules, rows) and no type names.
  bool InScope(const Declaration& d) const {
    switch (d.kind) {
      case DeclKind::Field: case DeclKind::Let: case DeclKind::Const: case DeclKind::Function: case DeclKind::RuleSet:
      case DeclKind::Scorecard: case DeclKind::Band: case DeclKind::Table: case DeclKind::DecisionTable:
      case DeclKind::Decision: case DeclKind::Warnings: case DeclKind::EnumValue:
        return true;
      case DeclKind::Param:
        for (const auto& fn : a_.checked->ast().functions)
          if (fn.name.text == d.parent) return offset_ >= fn.span.begin && offset_ <= fn.span.end;
        return false;
      case DeclKind::GroupLet: {
        if (InGroup()) return true;
        for (const auto& o : a_.checked->ast().outputs)
          if (offset_ >= o.span.begin && offset_ <= o.span.end) return true;
        return false;
      }
      default: return false;
    }
  }

  const Declaration* Named(const std::string& name) const {
    for (const auto& d : index_.decls)
      if (d.name == name && d.symbol >= 0) return &d;
    return nullptr;
  }
  int EnumNamed(const std::string& name) const {
    const auto& enums = a_.checked->enums;
    for (size_t i = 0; i < enums.size(); ++i)
      if (enums[i].name == name) return int(i);
    return -1;
  }
  // The enum of a value named `name`, or -1.
  int EnumOfValue(const std::string& name) const {
    const Declaration* d = Named(name);
    if (!d) return -1;
    std::string type = d->type;
    if (!type.empty() && type.back() == '?') type.pop_back();
    return EnumNamed(type);
  }

  // Which enum the text before the word being typed asks for, or -1.
  int ExpectedEnum(const std::string& before) const {
    std::smatch m;
    static const std::regex compare(R"(([A-Za-z_][A-Za-z0-9_.]*)\s*(==|!=|\?\?)\s*$)");
    static const std::regex in_list(R"(([A-Za-z_][A-Za-z0-9_.]*)\s+(not\s+)?in\s*[\[{][^\]}]*$)");
    static const std::regex declared(R"(:\s*([A-Za-z_][A-Za-z0-9_]*)\??\s*=\s*$)");
    if (std::regex_search(before, m, compare) || std::regex_search(before, m, in_list)) return EnumOfValue(m[1]);
    if (std::regex_search(before, m, declared)) return EnumNamed(m[1]);
    // An outcome of the decision: after `=>` in the decision block.
    if (std::regex_search(before, std::regex(R"(=>\s*$)")))
      for (const auto& d : a_.checked->ast().decisions)
        if (offset_ >= d.span.begin && offset_ <= d.span.end) return EnumNamed(d.type.name.text);
    return -1;
  }

  // After `name:` or `->`: a type is expected (a field, a typed let, a parameter, a table).
  json Types() const {
    json items = json::array();
    for (const char* t : {"bool", "int", "number", "money", "decimal", "percent", "string", "date"})
      items.push_back(Item(t, kKeyword, "type", "0"));
    for (const auto& e : a_.checked->enums) items.push_back(Item(e.name, kEnum, "enum", "1"));
    return items;
  }

  // In the bins of a band or characteristic over an enum, the entries of a lookup table keyed
  // by one enum (or giving one), or a cell or output of a decision table: that enum, or -1;
  // `test` tells a bin test or cell (where `missing` and `else` fit too) from an outcome.
  // Each declaration starts before the cursor, so its offsets hold in the text being typed.
  int EnumOfColumn(const std::string& before, bool& test) const {
    const ast::Policy& ast = a_.checked->ast();
    // Bins and entries may share a line: only the one being typed counts (after `,` or `{`).
    size_t entry_start = before.find_last_of(",{");
    std::string entry = entry_start == std::string::npos ? before : before.substr(entry_start + 1);
    test = entry.find("=>") == std::string::npos;
    auto inside = [&](uint32_t from) { return offset_ > from && offset_ < BlockEnd(text_, from); };
    auto enum_of = [&](const ast::Expr* e) { return e && e->type.is(Base::Enum) ? int(e->type.enum_id) : -1; };
    if (test) {
      for (const auto& band : ast.bands)
        if (band.subject && inside(band.subject->span.end)) return enum_of(band.subject.get());
      for (const auto& card : ast.scorecards)
        for (const auto& c : card.characteristics)
          if (c.subject && inside(c.subject->span.end)) return enum_of(c.subject.get());
    }
    for (const auto& table : ast.tables)
      if (inside(table.name.span.end)) {
        if (!test) return EnumNamed(table.value.name.text);
        return table.keys.size() == 1 ? EnumNamed(table.keys[0].name.text) : -1;
      }
    for (const auto& table : ast.decision_tables) {
      if (!inside(table.name.span.end)) continue;
      if (std::regex_search(before, std::regex(R"(^\s*(inputs|outputs)\b)"))) return -1;
      // `CODE "title" | cell | cell => output | output`: the column is the number of bars before.
      size_t arrow = before.find("=>");
      test = arrow == std::string::npos;
      size_t bars = BarsOutsideStrings(test ? before : before.substr(arrow + 2));
      if (!test) return bars < table.output_types.size() ? EnumNamed(table.output_types[bars].name.text) : -1;
      return bars >= 1 && bars - 1 < table.inputs.size() ? enum_of(table.inputs[bars - 1].get()) : -1;
    }
    return -1;
  }

  static size_t BarsOutsideStrings(const std::string& text) {
    size_t bars = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\' && in_string) ++i;
      else if (text[i] == '"') in_string = !in_string;
      else if (text[i] == '|' && !in_string) ++bars;
    }
    return bars;
  }

  json EnumValues(int enum_id, const std::string& sort) const {
    json items = json::array();
    const check::EnumInfo& e = a_.checked->enums[enum_id];
    for (const auto& v : e.values) items.push_back(Item(v, kEnumMember, e.name, sort));
    return items;
  }

  json Members(const std::string& base) const {
    if (int e = EnumNamed(base); e >= 0) return EnumValues(e, "0");
    json items = json::array();
    const Declaration* d = Named(base);
    if (!d) return items;
    auto add = [&](std::initializer_list<const char*> names, const char* type) {
      for (const char* n : names) items.push_back(Item(n, kProperty, type, "0"));
    };
    auto children = [&](DeclKind kind, const char* type) {
      for (const auto& c : index_.decls)
        if (c.kind == kind && c.parent == base) items.push_back(Item(c.name, ItemKindOf(kind), type[0] ? type : c.type.c_str(), "1"));
    };
    switch (d->kind) {
      case DeclKind::RuleSet:
        add({"fired", "declined", "referred", "flagged"}, "bool");
        add({"first"}, "string");
        add({"count"}, "int");
        add({"codes"}, "codes");
        children(DeclKind::Rule, "bool");
        break;
      case DeclKind::Scorecard:
        add({"score"}, "score");
        add({"reason"}, "reason(rank): string");
        add({"reasons"}, "codes");
        children(DeclKind::Characteristic, "points");
        if (const auto& card = a_.checked->ast().scorecards[a_.checked->symbols[d->symbol].decl]; card.scaling)
          add({"odds", "pd"}, "number");
        break;
      case DeclKind::Decision: add({"reason"}, "string"); break;
      case DeclKind::DecisionTable:
        children(DeclKind::TableOutput, "");
        add({"row"}, "string");
        add({"rows"}, "codes");
        add({"count"}, "int");
        add({"matched"}, "bool");
        break;
      default: break;
    }
    return items;
  }

  const Analysis& a_;
  const SymbolIndex& index_;
  std::string_view text_;
  std::string prefix_;
  uint32_t offset_;
};

}  // namespace

json Completion(const Document& doc, Position position, Encoding encoding) {
  const Analysis& now = *doc.analysis;
  uint32_t offset = OffsetAt(now, position, encoding);
  const std::string& text = now.source->text();
  size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  line_start = line_start == std::string::npos || offset == 0 ? 0 : line_start + 1;
  std::string prefix = text.substr(line_start, offset - line_start);
  // While the line is half typed the text does not parse: the names of the last text that did.
  const Analysis* names = now.checked ? &now : doc.indexed.get();
  json items = json::array();
  if (names) items = Completer(*names, text, prefix, offset).Complete();
  else
    for (const char* k : kKeywords) items.push_back(Item(k, kKeyword, "", "8"));
  return {{"isIncomplete", false}, {"items", std::move(items)}};
}

}  // namespace credo::lsp

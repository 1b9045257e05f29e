// outline.cc — textDocument/documentSymbol: the policy's declarations as an outline, blocks
// with their members (enum values, input fields, rules, characteristics, table rows, ...).
#include <algorithm>

#include "compiler/lsp/features.h"
#include "compiler/lsp/locations.h"

namespace credo::lsp {

namespace {

// LSP SymbolKind values.
enum LspKind { kModule = 2, kNamespace = 3, kClass = 5, kProperty = 7, kField = 8, kEnum = 10, kFunction = 12,
               kVariable = 13, kConstant = 14, kObject = 19, kKey = 20, kEnumMember = 22, kStruct = 23, kEvent = 24 };

class Outline {
 public:
  Outline(const Analysis& a, Encoding encoding)
      : a_(a), ast_(a.checked->ast()), text_(a.source->text()), lines_(LinesOf(a, *a.source, encoding)) {}

  json Build() {
    json out = json::array();
    Add(out, ast_.name, ast_.is_library ? "library" : "policy", kModule, ast_.name.span.end, {});
    for (const auto& e : ast_.enums) {
      json values = json::array();
      for (const auto& v : e.values) Add(values, v, "", kEnumMember, v.span.end, {});
      Add(out, e.name, "enum", kEnum, BlockEnd(e.name.span.end), std::move(values));
    }
    for (const auto& input : ast_.inputs) {
      json fields = json::array();
      for (const auto& f : input.fields)
        Add(fields, f.name, TypeOf(f.name), kField, f.where ? f.where->span.end : f.type.name.span.end + f.type.optional, {});
      Add(out, input.name, "input", kStruct, BlockEnd(input.name.span.end), std::move(fields));
    }
    for (const auto& let : ast_.lets)
      Add(out, let.name, TypeOf(let.name), let.is_const ? kConstant : kVariable, let.value->span.end, {});
    for (const auto& fn : ast_.functions) Add(out, fn.name, TypeOf(fn.name), kFunction, fn.span.end, {});
    for (const auto& set : ast_.rule_sets) {
      json rules = json::array();
      for (const auto& r : set.rules) Add(rules, r.code, r.title.empty() ? r.effect.text : r.title, kEvent, r.effect.span.end, {});
      Add(out, set.name, "rules", kNamespace, BlockEnd(set.name.span.end), std::move(rules));
    }
    for (const auto& card : ast_.scorecards) {
      json items = json::array();
      for (const auto& c : card.characteristics) Add(items, c.code, c.title, kProperty, BlockEnd(c.code.span.end), {});
      Add(out, card.name, "scorecard", kClass, BlockEnd(card.name.span.end), std::move(items));
    }
    for (const auto& band : ast_.bands) Add(out, band.name, TypeOf(band.name), kVariable, BlockEnd(band.name.span.end), {});
    for (const auto& table : ast_.tables) Add(out, table.name, "table", kObject, BlockEnd(table.name.span.end), {});
    for (const auto& table : ast_.decision_tables) {
      json rows = json::array();
      for (const auto& out_name : table.outputs) Add(rows, out_name, "output", kField, out_name.span.end, {});
      for (const auto& row : table.rows) Add(rows, row.code, row.title, kKey, row.span.end, {});
      Add(out, table.name, "decision table", kObject, table.span.end, std::move(rows));
    }
    for (const auto& d : ast_.decisions) Add(out, d.name, TypeOf(d.name), kEnum, d.span.end, {});
    for (const auto& block : ast_.warnings) {
      json codes = json::array();
      for (const auto& w : block.warnings) Add(codes, w.code, w.title, kKey, w.when ? w.when->span.end : w.code.span.end, {});
      Add(out, {"warnings", {block.span.begin, block.span.begin + 8}}, "", kNamespace, block.span.end, std::move(codes));
    }
    for (const auto& group : ast_.groups) {
      json lets = json::array();
      for (const auto& stmt : group.stmts)
        if (stmt.kind == ast::GroupStmt::Let) Add(lets, stmt.name, TypeOf(stmt.name), kVariable, stmt.span.end, {});
      Add(out, {"group by " + group.key.text, group.key.span}, "", kNamespace, group.span.end, std::move(lets));
    }
    for (const auto& block : ast_.outputs) Add(out, {"output", {block.span.begin, block.span.begin + 6}}, "", kStruct, block.span.end, Columns(block));
    for (const auto& block : ast_.group_outputs) Add(out, block.name, "output per group", kStruct, block.span.end, Columns(block));
    // In the order of the text, as an author reads the policy.
    std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
      const json &x = a["range"]["start"], &y = b["range"]["start"];
      return std::make_pair(x["line"].get<uint32_t>(), x["character"].get<uint32_t>()) <
             std::make_pair(y["line"].get<uint32_t>(), y["character"].get<uint32_t>());
    });
    return out;
  }

 private:
  json Columns(const ast::OutputBlock& block) {
    json columns = json::array();
    for (const auto& item : block.items) Add(columns, item.name, "", kField, item.value ? item.value->span.end : item.name.span.end, {});
    return columns;
  }

  std::string TypeOf(const ast::Name& name) const {
    const Use* use = a_.index.At(name.span.begin);
    return use && use->declaration && use->decl >= 0 ? a_.index.decls[use->decl].type : "";
  }

  // Where the declaration whose name is at `name` starts: the first word of its line.
  uint32_t LineStart(uint32_t name) const {
    uint32_t begin = name;
    while (begin > 0 && text_[begin - 1] != '\n') --begin;
    while (begin < name && (text_[begin] == ' ' || text_[begin] == '\t')) ++begin;
    return begin;
  }

  uint32_t BlockEnd(uint32_t from) const { return credo::lsp::BlockEnd(text_, from); }

  void Add(json& list, const ast::Name& name, const std::string& detail, int kind, uint32_t end, json children) {
    if (!InDocument(a_, name.span) || name.text.empty()) return;  // declarations of imported files
    uint32_t begin = std::min(LineStart(name.span.begin), name.span.begin);
    end = std::max({end, name.span.end, begin});
    json symbol = {{"name", name.text},
                   {"kind", kind},
                   {"range", RangeJson(lines_, begin, end)},
                   {"selectionRange", RangeJson(lines_, name.span.begin, name.span.end)}};
    if (!detail.empty()) symbol["detail"] = detail;
    if (!children.empty()) symbol["children"] = std::move(children);
    list.push_back(std::move(symbol));
  }

  const Analysis& a_;
  const ast::Policy& ast_;
  const std::string& text_;
  LineIndex lines_;
};

}  // namespace

json DocumentSymbols(const Document& doc, Encoding encoding) {
  // While the text does not parse, the outline of the last text that did.
  const Analysis* a = doc.analysis->checked ? doc.analysis.get() : doc.indexed.get();
  if (!a) return json::array();
  return Outline(*a, encoding).Build();
}

}  // namespace credo::lsp

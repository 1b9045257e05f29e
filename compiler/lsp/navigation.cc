// navigation.cc — hover, go to definition and find references, answered from the symbol index
// of the document's current text.
#include <fmt/format.h>

#include "compiler/lsp/features.h"
#include "compiler/lsp/locations.h"

namespace credo::lsp {

namespace {

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The use under the cursor in the current text, or null when the text does not parse (the
// index of an older text would point at the wrong places).
const Use* UseAt(const Document& doc, Position position, Encoding encoding) {
  const Analysis& a = *doc.analysis;
  if (!a.checked) return nullptr;
  return a.index.At(OffsetAt(a, position, encoding));
}

// Whether a declaration of this kind stands for a value (which has a type and may be missing).
bool HasValue(DeclKind kind) {
  return kind != DeclKind::Enum && kind != DeclKind::Input && kind != DeclKind::Rule && kind != DeclKind::TableRow &&
         kind != DeclKind::Warning && kind != DeclKind::EnumValue && kind != DeclKind::Function;
}

std::string Signature(const Analysis& a, const Declaration& d) {
  switch (d.kind) {
    case DeclKind::EnumValue: return d.parent + "." + d.name;
    case DeclKind::Rule: return fmt::format("rule {}.{} => {}", d.parent, d.name, d.type);
    case DeclKind::Enum: {
      std::string values;
      for (const auto& e : a.checked->enums)
        if (e.name == d.name) values = fmt::format(" {{ {} }}", fmt::join(e.values, ", "));
      return "enum " + d.name + values;
    }
    case DeclKind::Field:
    case DeclKind::Param:
    case DeclKind::TableOutput: return d.type.empty() ? d.name : d.name + ": " + d.type;
    case DeclKind::Characteristic:
    case DeclKind::TableRow:
    case DeclKind::Warning:
      return fmt::format("{} {}{}", KindName(d.kind), d.parent.empty() || d.kind == DeclKind::Warning ? "" : d.parent + ".", d.name);
    case DeclKind::Table: {  // a lookup table: its keys too
      const auto& tables = a.checked->ast().tables;
      int decl = d.symbol >= 0 ? a.checked->symbols[d.symbol].decl : -1;
      if (decl < 0 || decl >= int(tables.size())) break;
      std::vector<std::string> keys;
      for (const auto& k : tables[decl].keys) keys.push_back(k.name.text + (k.optional ? "?" : ""));
      std::string key = keys.size() == 1 ? keys[0] : fmt::format("({})", fmt::join(keys, ", "));
      return fmt::format("table {}: {} -> {}", d.name, key, d.type);
    }
    default: break;
  }
  return fmt::format("{} {}{}", KindName(d.kind), d.name, d.type.empty() ? "" : ": " + d.type);
}

std::string WhereDeclared(const Analysis& a, const Declaration& d) {
  const SourceFile& file = a.source->FileAt(d.span.begin);
  uint32_t line = file.Locate(d.span.begin).line;
  if (&file == a.source.get()) return fmt::format("Declared on line {}.", line);
  return fmt::format("Declared in `{}`, line {}.", file.path(), line);
}

std::string HoverText(const Analysis& a, const Use& use) {
  if (use.decl < 0) {
    std::string name(a.source->Slice(use.span));
    return fmt::format("```credo\n{}{}\n```\n{}", name, use.type.empty() ? "" : ": " + use.type, use.label);
  }
  const Declaration& d = a.index.decls[use.decl];
  std::vector<std::string> parts = {fmt::format("```credo\n{}\n```", Signature(a, d))};
  std::string about;
  if (!d.title.empty()) about += fmt::format("*\"{}\"* ", d.title);
  if (d.kind == DeclKind::Field) about += fmt::format("Input field of `{}`. ", d.parent);
  if (d.kind == DeclKind::EnumValue) about += fmt::format("A value of enum `{}`. ", d.parent);
  if (d.kind == DeclKind::Param) about += fmt::format("Parameter of function `{}`. ", d.parent);
  if (d.kind == DeclKind::Rule) about += fmt::format("Rule of rule set `{}`. ", d.parent);
  if (HasValue(d.kind) && !d.type.empty()) {
    about += d.optional ? "May be missing." : "Never missing.";
    if (d.optional && !use.declaration && !use.type.empty() && use.type.back() != '?') about += " Known to be present here.";
    about += ' ';
  }
  about += WhereDeclared(a, d);
  parts.push_back(about);
  if (!d.doc.empty()) parts.push_back(d.doc);
  std::string text;
  for (const auto& p : parts) text += (text.empty() ? "" : "\n\n") + p;
  return text;
}

// The name under the cursor in the current text, for when that text does not parse.
std::string WordAt(const Document& doc, Position position, Encoding encoding) {
  const Analysis& a = *doc.analysis;
  const std::string& text = a.source->text();
  uint32_t at = OffsetAt(a, position, encoding), begin = at, end = at;
  while (begin > 0 && IsNameChar(text[begin - 1])) --begin;
  while (end < text.size() && IsNameChar(text[end])) ++end;
  return text.substr(begin, end - begin);
}

}  // namespace

json Hover(const Document& doc, Position position, Encoding encoding) {
  const Analysis& a = *doc.analysis;
  if (const Use* use = UseAt(doc, position, encoding))
    return {{"contents", {{"kind", "markdown"}, {"value", HoverText(a, *use)}}},
            {"range", RangeInDocument(a, use->span, encoding)}};
  // A text that does not parse: what the last text that did knew of the name, found by name.
  if (a.checked || !doc.indexed) return nullptr;
  std::string word = WordAt(doc, position, encoding);
  const SymbolIndex& index = doc.indexed->index;
  for (const Use& use : index.uses)
    if (use.declaration && index.decls[use.decl].name == word)
      return {{"contents", {{"kind", "markdown"}, {"value", HoverText(*doc.indexed, use)}}}};
  return nullptr;
}

json Definition(const Document& doc, Position position, Encoding encoding) {
  const Use* use = UseAt(doc, position, encoding);
  if (!use || use->decl < 0) return nullptr;
  return LocationJson(doc, *doc.analysis, doc.analysis->index.decls[use->decl].span, encoding);
}

json References(const Document& doc, Position position, bool include_declaration, Encoding encoding) {
  const Use* use = UseAt(doc, position, encoding);
  if (!use || use->decl < 0) return nullptr;
  json out = json::array();
  for (const Use* u : doc.analysis->index.UsesOf(use->decl))
    if (include_declaration || !u->declaration) out.push_back(LocationJson(doc, *doc.analysis, u->span, encoding));
  return out;
}

}  // namespace credo::lsp

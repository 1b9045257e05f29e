#include "compiler/lsp/symbol_index.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace credo::lsp {

using check::CheckedPolicy;
using check::MemberKind;
using check::SymbolKind;

const char* KindName(DeclKind kind) {
  switch (kind) {
    case DeclKind::Enum: return "enum";
    case DeclKind::EnumValue: return "enum value";
    case DeclKind::Input: return "input";
    case DeclKind::Field: return "input field";
    case DeclKind::Let: return "let";
    case DeclKind::Const: return "const";
    case DeclKind::Function: return "function";
    case DeclKind::Param: return "parameter";
    case DeclKind::RuleSet: return "rule set";
    case DeclKind::Rule: return "rule";
    case DeclKind::Scorecard: return "scorecard";
    case DeclKind::Characteristic: return "characteristic";
    case DeclKind::Band: return "band";
    case DeclKind::Table: return "table";
    case DeclKind::DecisionTable: return "decision table";
    case DeclKind::TableRow: return "table row";
    case DeclKind::TableOutput: return "table output";
    case DeclKind::Decision: return "decision";
    case DeclKind::Warnings: return "warnings";
    case DeclKind::Warning: return "warning";
    case DeclKind::GroupLet: return "group let";
  }
  return "name";
}

const Use* SymbolIndex::At(uint32_t offset) const {
  // The last use starting at or before `offset`; uses do not nest.
  auto it = std::upper_bound(uses.begin(), uses.end(), offset, [](uint32_t o, const Use& u) { return o < u.span.begin; });
  if (it == uses.begin()) return nullptr;
  --it;
  return offset <= it->span.end ? &*it : nullptr;
}

std::vector<const Use*> SymbolIndex::UsesOf(int decl) const {
  std::vector<const Use*> out;
  for (const Use& u : uses)
    if (u.decl == decl) out.push_back(&u);
  std::stable_partition(out.begin(), out.end(), [](const Use* u) { return u->declaration; });
  return out;
}

int SymbolIndex::OfSymbol(int symbol) const {
  return symbol >= 0 && symbol < int(symbol_decls.size()) ? symbol_decls[symbol] : -1;
}

int SymbolIndex::Find(DeclKind kind, const std::string& name) const {
  for (size_t i = 0; i < decls.size(); ++i)
    if (decls[i].kind == kind && decls[i].name == name) return int(i);
  return -1;
}

namespace {

// Builds the index in two passes: declarations (from the checker's symbols and the AST), then
// the uses found by walking every expression and every name that refers to a declaration.
class Builder {
 public:
  Builder(const CheckedPolicy& policy, const SourceFile& source, const std::vector<Comment>& comments)
      : policy_(policy), ast_(policy.ast()), source_(source) {
    comments_[&source] = comments;
    for (const auto& file : source.attached()) comments_[file.get()] = LexComments(*file);
  }

  SymbolIndex Build() {
    DeclareAll();
    UseAll();
    std::stable_sort(out_.uses.begin(), out_.uses.end(),
                     [](const Use& a, const Use& b) { return a.span.begin < b.span.begin; });
    // One place is one use, should two walks reach it (the declaration, pushed first, stays).
    out_.uses.erase(std::unique(out_.uses.begin(), out_.uses.end(),
                                [](const Use& a, const Use& b) { return a.span.begin == b.span.begin; }),
                    out_.uses.end());
    return std::move(out_);
  }

 private:
  std::string TypeText(const Type& t) const { return t.error() ? "" : check::TypeName(t, policy_.enums); }

  int Declare(DeclKind kind, const ast::Name& name, std::string parent = {}, std::string title = {}) {
    Declaration d{kind, name.text, name.span, "", false, std::move(parent), std::move(title), "", -1};
    const SourceFile& file = source_.FileAt(name.span.begin);
    d.doc = DocComment(file, comments_[&file], name.span.begin);
    out_.decls.push_back(std::move(d));
    int id = int(out_.decls.size()) - 1;
    out_.uses.push_back({name.span, id, true, "", ""});
    return id;
  }
  void SetType(int decl, const Type& t) {
    out_.decls[decl].type = TypeText(t);
    out_.decls[decl].optional = t.optional;
  }

  int EnumId(const std::string& name) const {
    for (size_t i = 0; i < policy_.enums.size(); ++i)
      if (policy_.enums[i].name == name) return int(i);
    return -1;
  }
  int EnumIdOf(const Type& t) const { return t.is(Base::Enum) ? t.enum_id : -1; }

  void DeclareAll() {
    out_.symbol_decls.assign(policy_.symbols.size(), -1);
    enum_values_.resize(policy_.enums.size());
    for (const auto& e : ast_.enums) {
      int id = EnumId(e.name.text);
      Declare(DeclKind::Enum, e.name);
      for (const auto& v : e.values) {
        int d = Declare(DeclKind::EnumValue, v, e.name.text);
        out_.decls[d].type = e.name.text;
        if (id >= 0 && !enum_values_[id].count(v.text)) enum_values_[id][v.text] = d;
      }
    }
    for (const auto& input : ast_.inputs) Declare(DeclKind::Input, input.name);
    // The checker's symbols: fields, lets, blocks, group lets, parameters (with their types).
    for (size_t s = 0; s < policy_.symbols.size(); ++s) {
      const check::Symbol& sym = policy_.symbols[s];
      if (sym.kind == SymbolKind::Warnings && ast_.warnings.empty()) continue;  // only group `warn`s: nowhere to go
      ast::Name name{sym.name, sym.span};
      if (sym.kind == SymbolKind::Warnings) name.span = {sym.span.begin, sym.span.begin + 8};  // the keyword
      DeclKind kind = DeclarationKind(sym);
      if (kind == DeclKind::Let && sym.decl >= 0 && ast_.lets[sym.decl].is_const) kind = DeclKind::Const;
      int d = Declare(kind, name, Parent(sym), Title(sym));
      SetType(d, sym.type);
      out_.decls[d].symbol = int(s);
      out_.symbol_decls[s] = d;
    }
    for (size_t f = 0; f < ast_.functions.size(); ++f) {
      int d = Declare(DeclKind::Function, ast_.functions[f].name);
      if (f < policy_.functions.size()) SetType(d, policy_.functions[f].result);
      functions_.push_back(d);
    }
    for (const auto& set : ast_.rule_sets) {
      auto& ids = rules_[set.name.text];
      for (const auto& r : set.rules) {
        ids.push_back(Declare(DeclKind::Rule, r.code, set.name.text, r.title));
        out_.decls.back().type = r.effect.text;  // shown as "rule → decline"
        out_.uses.push_back({r.effect.span, -1, false, "", "the effect of a rule: decline, refer or flag"});
      }
    }
    for (const auto& card : ast_.scorecards) {
      auto& ids = characteristics_[card.name.text];
      for (const auto& c : card.characteristics) ids.push_back(Declare(DeclKind::Characteristic, c.code, card.name.text, c.title));
    }
    for (const auto& table : ast_.decision_tables) {
      for (const auto& row : table.rows) Declare(DeclKind::TableRow, row.code, table.name.text, row.title);
      auto& ids = table_outputs_[table.name.text];
      for (size_t o = 0; o < table.outputs.size(); ++o) {
        ids.push_back(Declare(DeclKind::TableOutput, table.outputs[o], table.name.text));
        if (o < table.output_types.size()) out_.decls.back().type = table.output_types[o].name.text;
      }
    }
    for (const auto& block : ast_.warnings)
      for (const auto& w : block.warnings) Declare(DeclKind::Warning, w.code, "warnings", w.title);
  }

  static DeclKind DeclarationKind(const check::Symbol& sym) {
    switch (sym.kind) {
      case SymbolKind::Field: return DeclKind::Field;
      case SymbolKind::Let: return DeclKind::Let;
      case SymbolKind::RuleSet: return DeclKind::RuleSet;
      case SymbolKind::Scorecard: return DeclKind::Scorecard;
      case SymbolKind::Band: return DeclKind::Band;
      case SymbolKind::Table: return DeclKind::Table;
      case SymbolKind::Decision: return DeclKind::Decision;
      case SymbolKind::Warnings: return DeclKind::Warnings;
      case SymbolKind::GroupLet: return DeclKind::GroupLet;
      case SymbolKind::Param: return DeclKind::Param;
      case SymbolKind::DecisionTable: return DeclKind::DecisionTable;
      case SymbolKind::Reference: return DeclKind::Table;  // looked up by key, as a table is
      case SymbolKind::RefField: return DeclKind::Field;
    }
    return DeclKind::Let;
  }
  std::string Parent(const check::Symbol& sym) const {
    if (sym.kind == SymbolKind::Field && !ast_.inputs.empty()) return ast_.inputs[0].name.text;
    if (sym.kind == SymbolKind::RefField)  // the reference whose field list holds it
      for (const auto& ref : ast_.references)
        for (const auto& f : ref.fields)
          if (f.name.span.begin == sym.span.begin) return ref.name.text;
    if (sym.kind == SymbolKind::Param)
      for (const auto& fn : ast_.functions)
        for (const auto& p : fn.params)
          if (p.name.span.begin == sym.span.begin) return fn.name.text;
    return "";
  }
  std::string Title(const check::Symbol& sym) const {
    bool valid = sym.decl >= 0;
    switch (sym.kind) {
      case SymbolKind::RuleSet: return valid ? ast_.rule_sets[sym.decl].title : "";
      case SymbolKind::Scorecard: return valid ? ast_.scorecards[sym.decl].title : "";
      case SymbolKind::DecisionTable: return valid ? ast_.decision_tables[sym.decl].title : "";
      case SymbolKind::Reference: return valid ? ast_.references[sym.decl].title : "";
      default: return "";
    }
  }

  // ---- uses -------------------------------------------------------------------------------------

  void UseName(Span span, int decl, std::string type = {}) {
    if (decl >= 0) out_.uses.push_back({span, decl, false, std::move(type), ""});
  }
  void UseLabel(Span span, std::string type, std::string label) {
    out_.uses.push_back({span, -1, false, std::move(type), std::move(label)});
  }
  int EnumValueDecl(int enum_id, const std::string& value) const {
    auto lookup = [&](int id) {
      auto it = enum_values_[id].find(value);
      return it == enum_values_[id].end() ? -1 : it->second;
    };
    if (enum_id >= 0 && enum_id < int(enum_values_.size())) return lookup(enum_id);
    for (int id = 0; id < int(enum_values_.size()); ++id)  // the context does not say: the first enum that has it
      if (int d = lookup(id); d >= 0) return d;
    return -1;
  }
  void UseType(const ast::TypeRef& ref) {
    if (EnumId(ref.name.text) >= 0) UseName(ref.name.span, out_.Find(DeclKind::Enum, ref.name.text));
  }
  void UseValue(const ast::BinValue& v, int enum_id) {
    if (v.kind == ast::BinValue::Name) UseName(v.span, EnumValueDecl(enum_id, v.text));
    else UseConstLiteral(v.span);
  }
  // The checker puts a const that is a literal in the place of its name (`>= MAX_DPD` is `>= 90`):
  // a literal whose text is a name is that const.
  void UseConstLiteral(Span span) {
    std::string_view text = source_.Slice(span);
    if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) return;
    UseName(span, out_.Find(DeclKind::Const, std::string(text)));
  }
  void UseBins(const std::vector<ast::Bin>& bins, int enum_id) {
    for (const auto& bin : bins) {
      for (const auto& t : bin.tests) {
        UseValue(t.value, enum_id);
        if (t.kind == ast::BinTest::Interval) {
          UseValue(t.lo, enum_id);
          UseValue(t.hi, enum_id);
        }
      }
      UseExpr(bin.result.get());
    }
  }
  void UseCell(const ast::Cell& c, int enum_id) {
    for (const auto& v : c.values) UseValue(v, enum_id);
    if (c.kind == ast::Cell::Interval) {
      UseValue(c.lo, enum_id);
      UseValue(c.hi, enum_id);
    }
  }
  int SymbolNamed(const std::string& name) const {
    for (size_t s = 0; s < policy_.symbols.size(); ++s)
      if (policy_.symbols[s].name == name && policy_.symbols[s].kind != SymbolKind::Param &&
          policy_.symbols[s].kind != SymbolKind::GroupLet)
        return int(s);
    return -1;
  }

  void UseExpr(const ast::Expr* e) {
    if (!e) return;
    const ast::Resolved& r = e->resolved;
    switch (e->kind) {
      case ast::ExprKind::NameRef:
        if (r.enum_value) UseName(e->span, EnumValueDecl(EnumIdOf(e->type), e->text), TypeText(e->type));
        else UseName(e->span, out_.OfSymbol(r.symbol), TypeText(e->type));
        break;
      case ast::ExprKind::Member: UseMember(*e); break;
      case ast::ExprKind::Call:
        if (r.index == int(check::Builtin::User) && r.symbol >= 0 && r.symbol < int(functions_.size()))
          UseName(e->member.span, functions_[r.symbol], TypeText(e->type));
        else
          UseLabel(e->member.span, TypeText(e->type), "built-in function `" + e->text + "`");
        break;
      case ast::ExprKind::IntLit: case ast::ExprKind::DecimalLit: case ast::ExprKind::StringLit:
      case ast::ExprKind::BoolLit:
        UseConstLiteral(e->span);
        break;
      default: break;
    }
    for (const auto& a : e->args) UseExpr(a.get());
  }

  void UseMember(const ast::Expr& e) {
    const ast::Expr& base = *e.args[0];
    int s = base.resolved.symbol;
    if (s < 0 || s >= int(policy_.symbols.size()) || e.resolved.member < 0) return;
    const check::Symbol& sym = policy_.symbols[s];
    auto pick = [&](const std::map<std::string, std::vector<int>>& by_parent) {
      auto it = by_parent.find(sym.name);
      int i = e.resolved.index;
      return it != by_parent.end() && i >= 0 && i < int(it->second.size()) ? it->second[i] : -1;
    };
    int decl = -1;
    switch (MemberKind(e.resolved.member)) {
      case MemberKind::RuleHit: decl = pick(rules_); break;
      case MemberKind::ScorePoints: decl = pick(characteristics_); break;
      case MemberKind::TableOutput: decl = pick(table_outputs_); break;
      default: break;
    }
    if (decl >= 0) UseName(e.member.span, decl, TypeText(e.type));
    else UseLabel(e.member.span, TypeText(e.type), "member `" + e.member.text + "` of " +
                  KindName(DeclarationKind(sym)) + " `" + sym.name + "`");
  }

  void UseAll() {
    for (const auto& input : ast_.inputs) {
      for (const auto& f : input.fields) {
        UseType(f.type);
        UseExpr(f.where.get());
      }
      for (const auto& u : input.unique) UseName(u.span, out_.OfSymbol(SymbolNamed(u.text)));
      for (const auto& c : input.checks) UseExpr(c.condition.get());
    }
    for (const auto& let : ast_.lets) {
      if (let.type) UseType(*let.type);
      UseExpr(let.value.get());
    }
    for (const auto& fn : ast_.functions) {
      for (const auto& p : fn.params) UseType(p.type);
      UseType(fn.result);
      UseExpr(fn.body.get());
    }
    for (const auto& set : ast_.rule_sets)
      for (const auto& r : set.rules) UseExpr(r.when.get());
    for (const auto& card : ast_.scorecards)
      for (const auto& c : card.characteristics) {
        UseExpr(c.subject.get());
        UseBins(c.bins, c.subject ? EnumIdOf(c.subject->type) : -1);
      }
    for (const auto& band : ast_.bands) {
      if (band.type) UseType(*band.type);
      UseExpr(band.subject.get());
      UseBins(band.bins, band.subject ? EnumIdOf(band.subject->type) : -1);
    }
    for (const auto& table : ast_.tables) {
      std::vector<int> key_enums;
      for (const auto& k : table.keys) {
        UseType(k);
        key_enums.push_back(EnumId(k.name.text));
      }
      UseType(table.value);
      int value_enum = EnumId(table.value.name.text);
      for (const auto& entry : table.entries) {
        for (const auto& tuple : entry.keys)
          for (size_t k = 0; k < tuple.size() && k < key_enums.size(); ++k)
            if (key_enums[k] >= 0) UseName(tuple[k].span, EnumValueDecl(key_enums[k], tuple[k].text));
        if (value_enum < 0 || !entry.value || entry.value->resolved.enum_value || entry.value->kind != ast::ExprKind::NameRef)
          UseExpr(entry.value.get());
        else
          UseName(entry.value->span, EnumValueDecl(value_enum, entry.value->text));
      }
    }
    for (const auto& table : ast_.decision_tables) {
      for (const auto& input : table.inputs) UseExpr(input.get());
      for (const auto& t : table.output_types) UseType(t);
      auto rows = [&](const ast::DecisionRow& row) {
        for (size_t c = 0; c < row.cells.size(); ++c)
          UseCell(row.cells[c], c < table.inputs.size() && table.inputs[c] ? EnumIdOf(table.inputs[c]->type) : -1);
        for (const auto& v : row.values) UseExpr(v.get());
      };
      for (const auto& row : table.rows) rows(row);
      if (table.else_row) rows(*table.else_row);
    }
    int decision_enum = policy_.decision_symbol >= 0 ? EnumIdOf(policy_.symbols[policy_.decision_symbol].type) : -1;
    for (const auto& d : ast_.decisions) {
      UseType(d.type);
      int id = decision_enum >= 0 ? decision_enum : EnumId(d.type.name.text);
      for (const auto& arm : d.arms) {
        UseExpr(arm.condition.get());
        UseName(arm.outcome.span, EnumValueDecl(id, arm.outcome.text));
        UseExpr(arm.reason.get());
      }
    }
    for (const auto& block : ast_.warnings)
      for (const auto& w : block.warnings) UseExpr(w.when.get());
    for (const auto& group : ast_.groups) {
      UseName(group.key.span, out_.OfSymbol(SymbolNamed(group.key.text)));
      for (const auto& stmt : group.stmts) {
        UseExpr(stmt.expr.get());
        for (const auto& action : stmt.actions) {
          if (action.kind == ast::GroupAction::Warn) {
            UseName(action.target.span, out_.Find(DeclKind::Warning, action.target.text));
          } else {
            int target = out_.OfSymbol(SymbolNamed(action.target.text));
            UseName(action.target.span, target);
            int id = target >= 0 ? EnumIdOf(policy_.symbols[out_.decls[target].symbol].type) : -1;
            if (id >= 0 && action.value && action.value->kind == ast::ExprKind::NameRef && !action.value->resolved.enum_value &&
                action.value->resolved.symbol < 0)
              UseName(action.value->span, EnumValueDecl(id, action.value->text));
            else
              UseExpr(action.value.get());
          }
          UseExpr(action.reason.get());
        }
      }
    }
    for (const auto& block : ast_.outputs)
      for (const auto& item : block.items) UseExpr(item.value.get());
    for (const auto& block : ast_.group_outputs)
      for (const auto& item : block.items) UseExpr(item.value.get());
  }

  const CheckedPolicy& policy_;
  const ast::Policy& ast_;
  const SourceFile& source_;
  std::map<const SourceFile*, std::vector<Comment>> comments_;
  std::vector<std::map<std::string, int>> enum_values_;            // per checker enum: value → decl
  std::vector<int> functions_;                                      // per ast function: decl
  std::map<std::string, std::vector<int>> rules_, characteristics_, table_outputs_;  // per parent, in order
  SymbolIndex out_;
};

}  // namespace

SymbolIndex BuildIndex(const CheckedPolicy& policy, const SourceFile& source, const std::vector<Comment>& comments) {
  return Builder(policy, source, comments).Build();
}

}  // namespace credo::lsp

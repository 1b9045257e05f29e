// oracle_tables.cc — the AST oracle's decision tables and generalised lookup tables, the naive
// way: every row's cells tested one after another against the record's values, by the rules of
// docs/language.md ("Decision tables"), with no segments, bit sets or compiled tables. So it
// cross-checks the checker's cell algebra and the engines' bit-set matching.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "oracle_eval.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"

namespace credo::oracle {

namespace {

using check::MemberKind;

int Order(const Value& v, const ast::BinValue& c, const Type& col, const std::vector<check::EnumInfo>& enums) {
  auto cmp = [](auto a, auto b) { return a < b ? -1 : a > b ? 1 : 0; };
  switch (c.kind) {
    case ast::BinValue::String: return cmp(v.s, c.text);
    case ast::BinValue::Bool: return cmp(v.i != 0, c.bool_value);
    case ast::BinValue::Name: {
      const auto& names = enums[size_t(col.enum_id)].values;
      return cmp(v.i, int64_t(std::find(names.begin(), names.end(), c.text) - names.begin()));
    }
    case ast::BinValue::Date: {
      int y = 0, m = 0, d = 0;
      std::sscanf(c.text.c_str(), "%d-%d-%d", &y, &m, &d);
      return cmp(v.i, rt::DaysFromCivil(y, m, d));
    }
    case ast::BinValue::Number: break;
  }
  if (col.is(Base::Number)) {
    double x = v.d == 0 ? 0.0 : v.d;
    return cmp(x, double(c.scaled) / double(rt::Pow10(c.scale)));
  }
  __int128 x = v.i, y = c.scaled;  // exact: on the finer grid
  int scale = col.is(Base::Decimal) ? col.scale : 0;
  if (c.scale > scale) x *= rt::Pow10(c.scale - scale);
  else y *= rt::Pow10(scale - c.scale);
  return cmp(x, y);
}

bool Holds(const ast::Cell& cell, const Value& v, const Type& col, const std::vector<check::EnumInfo>& enums) {
  if (cell.kind == ast::Cell::Any) return true;
  if (cell.kind == ast::Cell::Missing) return !v.present;
  if (!v.present) return false;  // only `-` and `missing` match a missing value
  auto order = [&](const ast::BinValue& c) { return Order(v, c, col, enums); };
  switch (cell.kind) {
    case ast::Cell::Present: return true;
    case ast::Cell::Interval: {
      int lo = order(cell.lo), hi = order(cell.hi);
      return (cell.lo_closed ? lo >= 0 : lo > 0) && (cell.hi_closed ? hi <= 0 : hi < 0);
    }
    case ast::Cell::Compare: {
      int o = order(cell.values[0]);
      switch (cell.op) {
        case ast::CompareOp::Lt: return o < 0;
        case ast::CompareOp::Le: return o <= 0;
        case ast::CompareOp::Gt: return o > 0;
        case ast::CompareOp::Ge: return o >= 0;
        case ast::CompareOp::Eq: return o == 0;
        case ast::CompareOp::Ne: return o != 0;
      }
      return false;
    }
    case ast::Cell::Value: return order(cell.values[0]) == 0;
    case ast::Cell::Set: {
      bool in = false;
      for (const auto& c : cell.values) in |= order(c) == 0;
      return in != cell.negated;
    }
    default: return false;
  }
}

Value Int(int64_t i) {
  Value v;
  v.i = i;
  return v;
}

}  // namespace

// `table[k…]` of a generalised lookup table: the first entry whose cells all hold.
Value ExprEval::GeneralIndex(const ast::Expr& e) {
  const check::Symbol& sym = cp_.symbols[e.args[0]->resolved.symbol];
  const ast::Table& table = cp_.ast().tables[sym.decl];
  const check::TableInfo& info = cp_.tables[size_t(cp_.lookup_table_ids[size_t(sym.decl)])];
  Type value_type = info.outputs[0];
  std::vector<Value> keys;
  Error all;
  bool missing_key = false;
  for (size_t k = 1; k < e.args.size(); ++k) {
    keys.push_back(Eval(*e.args[k]));
    all = Earlier(all, keys.back().error);
    missing_key |= !keys.back().present && !info.columns[k - 1].optional;
  }
  std::vector<Value> values;  // every entry's value is computed
  for (const auto& entry : table.entries) values.push_back(Convert(Eval(*entry.value), value_type.Optional(true)));
  const ast::TableEntry* hit = nullptr;
  size_t at = 0;
  for (size_t i = 0; i < table.entries.size() && !hit; ++i) {
    const auto& entry = table.entries[i];
    for (size_t t = 0; t < entry.cells.size() && !hit; ++t) {
      std::vector<const ast::Cell*> tuple;
      if (keys.size() == 1 && entry.as_interval[t]) tuple.push_back(&*entry.as_interval[t]);
      else
        for (const auto& c : entry.cells[t]) tuple.push_back(&c);
      bool all_hold = true;
      for (size_t k = 0; k < tuple.size() && all_hold; ++k) all_hold = Holds(*tuple[k], keys[k], info.columns[k], cp_.enums);
      if (all_hold) hit = &entry, at = i;
    }
  }
  if (!hit)
    for (size_t i = 0; i < table.entries.size(); ++i)
      if (table.entries[i].keys.empty()) hit = &table.entries[i], at = i;
  Value v = hit && !missing_key ? values[at] : MissingValue(value_type);
  v.error = Earlier(all, hit && !missing_key ? values[at].error : Error{});
  return v;
}

void EvalDecisionTable(const check::CheckedPolicy& cp, ExprEval& eval, const Env& env, ErrorSink& sink,
                       std::map<Key, Value>& values, int s, std::vector<std::string>& codes) {
  const check::Symbol& sym = cp.symbols[size_t(s)];
  const ast::DecisionTable& t = cp.ast().decision_tables[size_t(sym.decl)];
  const check::TableInfo& info = cp.tables[size_t(cp.decision_table_ids[size_t(sym.decl)])];
  if (!info.used) return;
  using H = ast::HitPolicy;
  std::vector<Value> in;
  Error input_error;
  for (size_t c = 0; c < t.inputs.size(); ++c) {
    in.push_back(eval.EvalAs(*t.inputs[c], info.columns[c], env, sym.name));
    input_error = Earlier(input_error, in.back().error);
  }
  Value errors;  // carries the inputs' error to a use
  errors.error = input_error;
  std::vector<size_t> matched;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    bool all = true;
    for (size_t c = 0; c < t.inputs.size() && all; ++c) all = Holds(t.rows[r].cells[c], in[c], info.columns[c], cp.enums);
    if (all) matched.push_back(r);
  }
  std::optional<size_t> chosen;
  if (!matched.empty()) chosen = matched[0];
  if (t.hit == H::Priority && chosen) {
    auto rank = [&](size_t r) { return eval.Eval(*t.rows[r].values[size_t(info.hit_output)], env, sym.name).i; };
    for (size_t r : matched)
      if (rank(r) < rank(*chosen)) chosen = r;
  }
  if (info.used & check::kUsesRow) {
    sink.Use(errors);
    Value code;
    code.base = Base::String;
    code.s = chosen ? t.rows[*chosen].code.text : "";
    values[{s, int(MemberKind::TableRow), -1}] = code;
    for (size_t o = 0; o < t.outputs.size(); ++o) {
      const Type& type = info.outputs[o];
      std::vector<Value> vals;
      for (const auto& row : t.rows) vals.push_back(eval.EvalAs(*row.values[o], type.Optional(true), env, sym.name));
      std::optional<Value> else_value;
      if (t.else_row) else_value = eval.EvalAs(*t.else_row->values[o], type.Optional(true), env, sym.name);
      Value result;
      if (int(o) == info.hit_output && t.hit >= H::CollectSum) {
        if (matched.empty()) {
          result = else_value ? *else_value : t.hit == H::CollectSum ? eval.Convert(Int(0), type.Required()) : MissingValue(type);
        } else {
          Error first;
          bool present = true, overflow = false;
          result = vals[matched[0]];
          for (size_t r : matched) {
            first = first.set() ? first : vals[r].error;
            present &= vals[r].present;
          }
          if (present) {
            if (type.is(Base::Number)) {
              double acc = t.hit == H::CollectSum ? 0 : vals[matched[0]].d;
              for (size_t r : matched) {
                double x = vals[r].d;
                acc = t.hit == H::CollectSum ? acc + x : t.hit == H::CollectMin ? std::min(acc, x) : std::max(acc, x);
              }
              overflow = !std::isfinite(acc);
              result.d = acc == 0 ? 0.0 : acc;
            } else {
              int64_t acc = t.hit == H::CollectSum ? 0 : vals[matched[0]].i;
              for (size_t r : matched) {
                int64_t x = vals[r].i;
                if (t.hit == H::CollectSum) overflow |= __builtin_add_overflow(acc, x, &acc);
                else acc = t.hit == H::CollectMin ? std::min(acc, x) : std::max(acc, x);
              }
              result.i = acc;
            }
          } else {
            result = MissingValue(type);
          }
          result.error = first.set() ? first : overflow ? sink.Raise(sym.name) : Error{};
        }
      } else if (t.hit >= H::Collect) {
        continue;
      } else {
        result = chosen ? vals[*chosen] : else_value ? *else_value : MissingValue(type);
      }
      sink.Use(result);
      values[{s, int(MemberKind::TableOutput), int(o)}] = result;
    }
  }
  if (info.used & check::kUsesCount) {
    sink.Use(errors);
    values[{s, int(MemberKind::TableCount), -1}] = Int(int64_t(matched.size()));
  }
  if (info.used & check::kUsesMatched) {
    sink.Use(errors);
    Value m;
    m.base = Base::Bool;
    m.i = !matched.empty();
    values[{s, int(MemberKind::TableMatched), -1}] = m;
  }
  if (info.used & check::kUsesRows) {
    sink.Use(errors);
    if (codes.empty())
      for (const auto& row : t.rows) codes.push_back(row.code.text);
    Value c;
    c.base = Base::Codes;
    for (size_t r : matched) c.i |= int64_t(1) << r;
    c.code_names = &codes;
    values[{s, int(MemberKind::TableRows), -1}] = c;
  }
}

}  // namespace credo::oracle

// tables.cc — tables: enum keys, key tuples of the right arity and values, duplicate and
// unreachable entries, and which key combinations no entry covers.
#include "compiler/check/checker_impl.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace credo::check {

namespace {

// Which key combinations of a table its entries cover so far (every combination of the keys'
// enums, while there are few enough to list; larger grids are not analysed).
class TableCoverage {
 public:
  TableCoverage(const std::vector<Type>& keys, const std::vector<EnumInfo>& enums, bool keys_ok) : enums_(enums) {
    if (!keys_ok) return;
    size_t combinations = 1;
    for (const Type& k : keys) {
      sizes_.push_back(enums[k.enum_id].values.size());
      ids_.push_back(k.enum_id);
      combinations *= sizes_.back();
      if (combinations > kLimit) return;
    }
    covered_.assign(combinations, false);
  }

  // Where `tuple` was listed before, if it was.
  std::optional<Span> Duplicate(const std::vector<ast::Name>& tuple) const {
    for (auto& [listed, span] : listed_)
      if (listed == Names(tuple)) return span;
    return std::nullopt;
  }

  // Marks what `tuple` covers; false when earlier tuples covered all of it already.
  bool Add(const std::vector<ast::Name>& tuple, Span span) {
    listed_.push_back({Names(tuple), span});
    if (covered_.empty()) return true;
    bool fresh = false;
    for (size_t c = 0; c < covered_.size(); ++c)
      if (Matches(tuple, c) && !covered_[c]) covered_[c] = fresh = true;
    return fresh;
  }

  // Up to `most` combinations no entry covers, as text.
  std::vector<std::string> Uncovered(size_t most) const {
    std::vector<std::string> out;
    for (size_t c = 0; c < covered_.size() && out.size() < most; ++c)
      if (!covered_[c]) out.push_back(Text(c));
    return out;
  }

 private:
  static constexpr size_t kLimit = 1'000'000;
  static std::vector<std::string> Names(const std::vector<ast::Name>& tuple) {
    std::vector<std::string> names;
    for (auto& n : tuple) names.push_back(n.text);
    return names;
  }
  size_t Part(size_t c, size_t i) const {
    for (size_t j = sizes_.size(); j-- > i + 1;) c /= sizes_[j];
    return c % sizes_[i];
  }
  bool Matches(const std::vector<ast::Name>& tuple, size_t c) const {
    for (size_t i = 0; i < tuple.size(); ++i)
      if (tuple[i].text != "_" && enums_[ids_[i]].values[Part(c, i)] != tuple[i].text) return false;
    return true;
  }
  std::string Text(size_t c) const {
    std::vector<std::string> parts;
    for (size_t i = 0; i < sizes_.size(); ++i) parts.push_back(enums_[ids_[i]].values[Part(c, i)]);
    return parts.size() == 1 ? parts[0] : fmt::format("({})", fmt::join(parts, ", "));
  }

  const std::vector<EnumInfo>& enums_;
  std::vector<size_t> sizes_;
  std::vector<int> ids_;
  std::vector<bool> covered_;
  std::vector<std::pair<std::vector<std::string>, Span>> listed_;
};

std::string KeyText(const std::vector<ast::Name>& tuple) {
  if (tuple.size() == 1) return "'" + tuple[0].text + "'";
  std::vector<std::string> parts;
  for (auto& n : tuple) parts.push_back(n.text);
  return fmt::format("({})", fmt::join(parts, ", "));
}

}  // namespace

Type Checker::CheckTable(ast::Table& table) {
  if (!IsEnumGrid(table)) return CheckGeneralTable(table);
  std::vector<Type> keys;
  bool keys_ok = true;
  for (auto& ref : table.keys) {
    Type key = ResolveType(ref);
    if (!key.error() && !key.is(Base::Enum)) {
      diags_.Report(DiagKind::TypeMismatch, ref.name.span, "a table's key must be an enum",
                    "declare an enum for the keys");
      key = Type{};
    }
    keys_ok &= !key.error();
    keys.push_back(key);
  }
  Type value = ResolveType(table.value, true);
  bool has_else = false;
  bool unknown_key = false;  // then "no entry for X" would mostly repeat that error
  int scale = 0;
  TableCoverage coverage(keys, out_.enums, keys_ok);
  for (auto& entry : table.entries) {
    if (entry.keys.empty()) has_else = true;
    bool reachable = entry.keys.empty();
    for (auto& tuple : entry.keys) {
      if (!keys_ok) break;
      if (!TableKeyValid(table, keys, tuple)) {
        unknown_key = true;
        continue;
      }
      Span span{tuple.front().span.begin, tuple.back().span.end};
      if (auto first = coverage.Duplicate(tuple)) {
        diags_.Report(DiagKind::DuplicateKey, span, fmt::format("key {} is listed twice", KeyText(tuple)),
                      "a key has one entry: remove one of them")
            .notes.push_back({*first, "first listed here"});
        reachable = true;  // reported as a duplicate, not again as unreachable
        continue;
      }
      reachable |= coverage.Add(tuple, span);
    }
    if (!reachable && keys_ok && !unknown_key)
      diags_.Report(DiagKind::UnreachableBin, entry.span,
                    "this entry is unreachable: earlier entries cover every key it lists",
                    "entries are tried in order; remove it or move it before the entries that cover it");
    Type t = Constant(*entry.value, value.is(Base::Enum) ? &value : nullptr, "a table's value");
    if (t.is(Base::Decimal)) scale = std::max<int>(scale, t.scale);
    if (value.is(Base::Decimal) && value.scale < 0) {
      if (!t.error() && !t.is_exact())
        diags_.Report(DiagKind::DeclaredTypeMismatch, entry.value->span,
                      fmt::format("table {} holds decimals but this value is {}", table.name.text, TypeName(t, out_.enums)),
                      "write a decimal number such as 0.25, or change the table's value type");
    } else if (!value.error()) {
      Fit(t, value, entry.value->span, fmt::format("table {}", table.name.text));
    }
  }
  if (value.is(Base::Decimal) && value.scale < 0) value.scale = static_cast<int8_t>(scale);
  if (keys_ok && !unknown_key) {
    std::vector<std::string> absent = coverage.Uncovered(8);
    if (has_else && absent.empty())
      for (auto& entry : table.entries)
        if (entry.keys.empty())
          diags_.Report(DiagKind::UnreachableBin, entry.span,
                        fmt::format("this `else` entry is unreachable: table {} lists every key", table.name.text),
                        "remove the `else` entry");
    if (!has_else && !absent.empty())
      diags_.Report(DiagKind::TableIncomplete, table.name.span,
                    fmt::format("table {} has no entry for {}{}", table.name.text, fmt::join(absent, ", "),
                                absent.size() == 8 ? ", ..." : ""),
                    "add the missing keys or an `else` entry");
  }
  table_types_[&table] = {keys, value};
  return value;
}

// A key tuple names one value of each key's enum, or `_` (any value), in the table's arity.
bool Checker::TableKeyValid(const ast::Table& table, const std::vector<Type>& keys,
                            const std::vector<ast::Name>& tuple) {
  if (tuple.size() != keys.size()) {
    diags_.Report(DiagKind::BadIndex, {tuple.front().span.begin, tuple.back().span.end},
                  fmt::format("table {} has {} key{}; this entry gives {}", table.name.text, keys.size(),
                              keys.size() == 1 ? "" : "s", tuple.size()),
                  keys.size() == 1 ? "list single values: A, B => ..." : "write one value per key, e.g. (A, retail) => ...");
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < tuple.size(); ++i) {
    if (tuple[i].text == "_" && keys.size() > 1) continue;
    const auto& values = out_.enums[keys[i].enum_id].values;
    if (std::find(values.begin(), values.end(), tuple[i].text) == values.end()) {
      diags_.Report(DiagKind::UnknownEnumValue, tuple[i].span,
                    fmt::format("'{}' is not a value of {}", tuple[i].text, out_.enums[keys[i].enum_id].name),
                    SuggestOrList(tuple[i].text, values, "the values are"));
      ok = false;
    }
  }
  return ok;
}

}  // namespace credo::check

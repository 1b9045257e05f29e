// roles.cc — DetectRoles (portfolio.h): which output is the decision, the grade, the score, the
// amount, from what each output column computes in the checked policy.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "compiler/portfolio/portfolio.h"

namespace credo::portfolio {
namespace {

using check::MemberKind;
using check::SymbolKind;

// What one output column computes, as far as the roles care.
struct Meaning {
  SymbolKind symbol = SymbolKind::Field;
  bool named = false;                   // it names a symbol (directly or `x = name`)
  int member = -1;                      // a MemberKind when it is `x.member`
  int64_t rank = 0;                     // ScoreReason: k
  bool money = false;
};

const check::Symbol* FindSymbol(const check::CheckedPolicy& policy, const std::string& name) {
  for (const auto& s : policy.symbols)
    if (s.name == name && s.kind != SymbolKind::Param && s.kind != SymbolKind::GroupLet) return &s;
  return nullptr;
}

Meaning MeaningOf(const check::CheckedPolicy& policy, const ast::OutputItem& item) {
  Meaning m;
  const check::Symbol* symbol = nullptr;
  if (!item.value) {
    symbol = FindSymbol(policy, item.name.text);
  } else if (item.value->kind == ast::ExprKind::NameRef && item.value->resolved.symbol >= 0) {
    symbol = &policy.symbols[size_t(item.value->resolved.symbol)];
  } else if (item.value->kind == ast::ExprKind::Member) {
    m.member = item.value->resolved.member;
    if (m.member == int(MemberKind::ScoreReason) && item.value->args.size() > 1)
      m.rank = item.value->args[1]->int_value;
  }
  if (symbol) {
    m.named = true;
    m.symbol = symbol->kind;
    m.money = symbol->type.money;
  } else if (item.value) {
    m.money = item.value->type.money;
  }
  return m;
}

bool Contains(std::string text, std::string_view part) {
  for (char& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
  return text.find(part) != std::string::npos;
}

std::string List(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

bool DetectRoles(const Compilation& policy, const RoleNames& names, Roles& roles, std::string& error) {
  const rt::PolicyInfo& info = policy.program->info;
  const check::CheckedPolicy& checked = *policy.checked;
  roles = Roles{};
  std::vector<Meaning> meaning(info.outputs.size());
  if (!checked.ast().outputs.empty())
    for (const auto& item : checked.ast().outputs[0].items)
      for (size_t c = 0; c < info.outputs.size(); ++c)
        if (info.outputs[c].name == item.name.text) meaning[c] = MeaningOf(checked, item);

  auto kind = [&](size_t c) { return info.state[size_t(info.outputs[c].state)].kind; };
  std::vector<std::string> money_names;
  std::vector<std::pair<int64_t, int>> reasons;
  for (size_t c = 0; c < info.outputs.size(); ++c) {
    const Meaning& m = meaning[c];
    int col = int(c);
    if (m.named && m.symbol == SymbolKind::Decision && roles.decision < 0) roles.decision = col;
    if (m.named && m.symbol == SymbolKind::Band && kind(c) == rt::Kind::Enum && roles.grade < 0) roles.grade = col;
    if (m.member == int(MemberKind::ScoreTotal) && roles.score < 0) roles.score = col;
    if (m.member == int(MemberKind::DecisionReason) && roles.decision_reason < 0) roles.decision_reason = col;
    if (m.member == int(MemberKind::ScoreReason)) reasons.push_back({m.rank, col});
    const rt::ValueType& type = info.state[size_t(info.outputs[c].state)];
    if (m.money || (type.kind == rt::Kind::Decimal && type.scale == 2)) {  // money, or kept to cents
      roles.money.push_back(col);
      money_names.push_back(info.outputs[c].name);
    }
  }
  std::stable_sort(reasons.begin(), reasons.end());
  for (const auto& r : reasons) roles.score_reasons.push_back(r.second);
  for (int col : roles.money)
    if (Contains(info.outputs[size_t(col)].name, "approv")) {
      roles.amount = col;
      break;
    }
  if (roles.amount < 0 && roles.money.size() == 1) roles.amount = roles.money[0];

  // Explicit names win; each must be an output column of the right kind.
  auto column = [&](const std::string& option, const std::string& name, int& target,
                    std::initializer_list<rt::Kind> kinds) {
    if (name.empty()) return true;
    for (size_t c = 0; c < info.outputs.size(); ++c)
      if (info.outputs[c].name == name) {
        if (std::find(kinds.begin(), kinds.end(), kind(c)) == kinds.end()) {
          error = fmt::format("{} {}: that output is not of a kind it can be", option, name);
          return false;
        }
        target = int(c);
        return true;
      }
    std::vector<std::string> all;
    for (const auto& o : info.outputs) all.push_back(o.name);
    error = fmt::format("{} {}: {} has no such output (its outputs: {})", option, name, info.name, List(all));
    return false;
  };
  using rt::Kind;
  if (!column("--decision", names.decision, roles.decision, {Kind::Enum, Kind::String}) ||
      !column("--grade", names.grade, roles.grade, {Kind::Enum, Kind::String}) ||
      !column("--score", names.score, roles.score, {Kind::Int, Kind::Decimal, Kind::Number}) ||
      !column("--amount", names.amount, roles.amount, {Kind::Decimal, Kind::Int}))
    return false;

  if (roles.decision < 0) {
    std::vector<std::string> enums;
    for (size_t c = 0; c < info.outputs.size(); ++c)
      if (kind(c) == rt::Kind::Enum) enums.push_back(info.outputs[c].name);
    error = fmt::format("cannot tell which output of {} is the decision (no output is the decision block's value{}); "
                        "name it with --decision COLUMN",
                        info.name, enums.empty() ? "" : "; its enum outputs: " + List(enums));
    return false;
  }
  if (roles.amount < 0 && money_names.size() > 1) {
    error = fmt::format("cannot tell which money output of {} is the approved amount ({}); name it with --amount "
                        "COLUMN",
                        info.name, List(money_names));
    return false;
  }
  if (roles.amount >= 0) roles.amount_scale = info.state[size_t(info.outputs[size_t(roles.amount)].state)].scale;

  // The approving decision value: --approve, else the one whose name says approve or accept.
  std::vector<std::string> values;
  const rt::ValueType& type = info.state[size_t(info.outputs[size_t(roles.decision)].state)];
  if (type.kind == Kind::Enum) values = info.enums[size_t(type.names)].values;
  if (!names.approve.empty()) {
    if (!values.empty() && std::find(values.begin(), values.end(), names.approve) == values.end()) {
      error = fmt::format("--approve {}: the decision's values are {}", names.approve, List(values));
      return false;
    }
    roles.approve = names.approve;
  } else {
    for (const auto& v : values)
      if (Contains(v, "approv") || Contains(v, "accept")) {
        roles.approve = v;
        break;
      }
    if (roles.approve.empty()) {
      error = fmt::format("cannot tell which decision value approves ({}); name it with --approve VALUE",
                          values.empty() ? "the decision is a string" : List(values));
      return false;
    }
  }

  // The id: --id names an input field; else the first string input.
  for (size_t f = 0; f < info.inputs.size(); ++f) {
    if (!names.id.empty() ? info.inputs[f].name == names.id : info.inputs[f].type.kind == Kind::String) {
      roles.id_field = int(f);
      break;
    }
  }
  if (!names.id.empty() && roles.id_field < 0) {
    error = fmt::format("--id {}: {} has no such input field", names.id, info.name);
    return false;
  }
  if (roles.id_field < 0 && !info.inputs.empty()) roles.id_field = 0;
  return true;
}

}  // namespace credo::portfolio

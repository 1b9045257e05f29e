#include "compiler/ir/ir.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace credo::ir {

const char* OpName(Op op) {
  static const char* names[] = {"input", "state", "group_value", "const", "missing", "is_missing",
                                "coalesce", "select", "add", "sub", "mul", "neg", "abs", "min", "max",
                                "rescale", "to_num", "div", "round_quot", "num_round", "lt", "le",
                                "gt", "ge", "eq", "ne", "and", "or", "not", "codes_add",
                                "rank_reason", "fail", "calendar", "list_count", "list_contains",
                                "list_first", "rank_codes", "text", "use", "math", "table_row", "pick",
                                "table_agg", "ref_find", "ref_get"};
  return names[static_cast<int>(op)];
}

namespace {

std::string TypeText(const ValueType& t) {
  static const char* kinds[] = {"bool", "int", "num", "dec", "str", "date", "enum", "codes"};
  std::string s = kinds[static_cast<int>(t.kind)];
  if (t.kind == Kind::Decimal) s += fmt::format("({})", t.scale);
  if (t.kind == Kind::Codes) s += fmt::format("({}{})", t.ranked ? "ranked " : "", t.names);
  if (t.optional) s += "?";
  return s;
}

void PrintCode(std::string& out, const std::vector<Instr>& code, const char* prefix) {
  for (size_t i = 0; i < code.size(); ++i) {
    const Instr& in = code[i];
    out += fmt::format("  {}{} : {} = {}", prefix, i, TypeText(in.type), OpName(in.op));
    for (int32_t a : in.args) out += fmt::format(" {}{}", prefix, a);
    if (in.imm != 0 || in.op == Op::Const || in.op == Op::Input || in.op == Op::State) out += fmt::format(" #{}", in.imm);
    if (in.imm2 != 1) out += fmt::format(" #{}", in.imm2);
    if (in.imm3 != 1) out += fmt::format(" #{}", in.imm3);
    if (in.op == Op::NumRound) out += fmt::format(" {}", in.fimm);
    if (in.site) out += fmt::format(" !{}", in.site);
    out += "\n";
  }
}

}  // namespace

std::string Print(const Program& p) {
  std::string out = fmt::format("program {} version \"{}\"\n", p.info.name, p.info.version);
  for (const auto& [name, version] : p.libraries) out += fmt::format("library {} version \"{}\"\n", name, version);
  for (size_t i = 0; i < p.info.inputs.size(); ++i)
    out += fmt::format("input {} {} : {}{}\n", i, p.info.inputs[i].name, TypeText(p.info.inputs[i].type),
                       p.info.inputs[i].percent ? " percent" : "");
  for (size_t i = 0; i < p.strings.size(); ++i) out += fmt::format("string {} \"{}\"\n", i, p.strings[i]);
  for (size_t i = 0; i < p.reason_sets.size(); ++i)
    out += fmt::format("reasons {} [{}]\n", i, fmt::join(p.reason_sets[i], ", "));
  for (size_t i = 0; i < p.tables.size(); ++i) {
    const rt::CompiledTable& t = p.tables[i];
    out += fmt::format("table {} rows {} else {} order [{}]\n", i, t.rows, t.has_else, fmt::join(t.order, ","));
    for (const auto& c : t.columns)
      out += fmt::format("  column {} segments {} points [{}] [{}] [\"{}\"] masks [{}]\n", int(c.kind), c.segments,
                         fmt::join(c.points, ","), fmt::join(c.fpoints, ","), fmt::join(c.strings, "\",\""),
                         fmt::join(c.masks, ","));
  }
  for (size_t i = 0; i < p.references.size(); ++i) {
    const Reference& r = p.references[i];
    out += fmt::format("reference {} {} {} key {}\n", i, r.name, r.many ? "many" : "unique", r.key_field);
    for (const auto& c : r.columns) out += fmt::format("  column {} field {} : {}\n", int(c.kind), c.field, TypeText(c.type));
    if (r.rows) {  // its fields and checks
      std::string rows = Print(*r.rows);
      for (size_t at = 0, next; at < rows.size(); at = next + 1) {
        next = rows.find('\n', at);
        if (next == std::string::npos) next = rows.size();
        out += "  | " + rows.substr(at, next - at) + "\n";
      }
    }
  }
  for (size_t i = 1; i < p.info.reasons.size(); ++i)
    out += fmt::format("site {} \"{}\" field {}\n", i, p.info.reasons[i].text, p.info.reasons[i].field);
  out += "code\n";
  PrintCode(out, p.code, "%");
  for (size_t i = 0; i < p.state_regs.size(); ++i)
    out += fmt::format("state {} {} : {} = %{}\n", i, p.info.state_names[i], TypeText(p.info.state[i]), p.state_regs[i]);
  for (const auto& o : p.info.outputs) out += fmt::format("output {} = state {}\n", o.name, o.state);
  for (const auto& g : p.info.group_outputs) {
    out += fmt::format("group output {}", g.name);
    for (const auto& c : g.columns) out += fmt::format(" {} = state {}", c.name, c.state);
    for (const auto& k : g.order) out += fmt::format(" order {}{}", k.column, k.descending ? " desc" : "");
    out += "\n";
  }
  for (size_t k = 0; k < rt::kRejectKinds; ++k)
    if (p.info.rejects.text[k] != rt::kRejectKindInfo[k].fallback)
      out += fmt::format("rejects {} \"{}\"\n", rt::kRejectKindInfo[k].name, p.info.rejects.text[k]);
  if (p.info.group_key >= 0) {
    out += fmt::format("group by input {}\n", p.info.group_key);
    PrintCode(out, p.group_code, "$");
    for (const auto& step : p.group_steps) {
      out += fmt::format("step ${}..${}", step.begin, step.end);
      for (const auto& r : step.reductions) out += fmt::format(" reduce{} ${}→g{}", int(r.kind), r.reg, r.scalar);
      for (const auto& a : step.assignments) out += fmt::format(" ${}→state {}", a.reg, a.state);
      out += "\n";
    }
  }
  return out;
}

uint64_t Hash(const Program& p) {
  // FNV-1a over the canonical text: stable across runs and builds.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : Print(p)) h = (h ^ c) * 1099511628211ull;
  return h;
}

bool MayFail(const Instr& in, const std::vector<bool>& regs, const std::vector<bool>& scalars) {
  if (in.op == Op::Use || in.op == Op::Fail) return false;  // they commit the error
  if (in.op == Op::GroupValue) return scalars[in.imm];
  if (in.site) return true;
  for (int32_t a : in.args)
    if (regs[a]) return true;
  return false;
}

bool MayFail(const Reduction& red, const std::vector<bool>& regs) { return red.site != 0 || regs[red.reg]; }

std::vector<bool> MayFail(const Program& p, const std::vector<Instr>& code) {
  std::vector<bool> regs(code.size(), false), scalars(p.group_scalars, false);
  auto run = [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) regs[r] = MayFail(code[r], regs, scalars);
  };
  if (&code != &p.group_code) {
    run(0, code.size());
    return regs;
  }
  for (const auto& step : p.group_steps) {  // a step's group values are used by later steps only
    run(step.begin, step.end);
    for (const auto& red : step.reductions) scalars[red.scalar] = MayFail(red, regs);
  }
  return regs;
}

std::string Verify(const Program& p) {
  auto check_code = [&](const std::vector<Instr>& code, bool group) -> std::string {
    for (size_t i = 0; i < code.size(); ++i) {
      const Instr& in = code[i];
      for (int32_t a : in.args)
        if (a < 0 || size_t(a) >= i) return fmt::format("instruction {} uses register {} before it is defined", i, a);
      if ((in.op == Op::State || in.op == Op::GroupValue) && !group)
        return fmt::format("instruction {}: {} outside the group program", i, OpName(in.op));
      if (in.op == Op::Input && in.imm >= int64_t(p.info.inputs.size()))
        return fmt::format("instruction {} reads input {} of {}", i, in.imm, p.info.inputs.size());
      if (in.site < 0 || size_t(in.site) >= std::max<size_t>(1, p.info.reasons.size()))
        return fmt::format("instruction {} has an unknown site {}", i, in.site);
      if ((in.op == Op::TableRow || in.op == Op::TableAgg) &&
          (in.imm < 0 || size_t(in.imm) >= p.tables.size() || in.args.size() < p.tables[in.imm].columns.size()))
        return fmt::format("instruction {} names table {} wrongly", i, in.imm);
      if (in.op == Op::TableAgg &&
          in.args.size() != p.tables[in.imm].columns.size() + p.tables[in.imm].rows + p.tables[in.imm].has_else)
        return fmt::format("instruction {}: a table aggregate needs one value per row", i);
      if ((in.op == Op::RefFind || in.op == Op::RefGet) &&
          (in.imm < 0 || size_t(in.imm) >= p.references.size() || in.args.size() != 1 ||
           (in.op == Op::RefGet && (in.imm2 < 0 || size_t(in.imm2) >= p.references[in.imm].columns.size()))))
        return fmt::format("instruction {} names reference {} wrongly", i, in.imm);
      if (in.op == Op::Pick && in.args.size() < 2) return fmt::format("instruction {}: pick of no values", i);
      bool same_scale = in.op == Op::Add || in.op == Op::Sub || in.op == Op::Min || in.op == Op::Max ||
                        (in.op >= Op::Lt && in.op <= Op::Ne);
      if (same_scale && in.args.size() == 2 && code[in.args[0]].type.scale != code[in.args[1]].type.scale)
        return fmt::format("instruction {} mixes decimal scales", i);
    }
    return "";
  };
  if (auto e = check_code(p.code, false); !e.empty()) return e;
  if (auto e = check_code(p.group_code, true); !e.empty()) return "group " + e;
  if (p.state_regs.size() != p.info.state.size()) return "state slots and registers differ in number";
  for (int32_t r : p.state_regs)
    if (r < 0 || size_t(r) >= p.code.size()) return "a state slot names no register";
  return "";
}

}  // namespace credo::ir

// policy_gen_large.cc — GenerateLargePolicy: a valid policy with many rules and scorecard
// characteristics, for the JIT's compile time.
#include "policy_gen_impl.h"

#include <fmt/format.h>

namespace credo::diff {

PolicySpec GenerateLargePolicy(int rules, int characteristics, int rules_per_set) {
  Rng r(0x1A46E5EEDull + uint64_t(rules) * 7919 + uint64_t(characteristics));
  PolicySpec spec;
  std::string& s = spec.text;
  s += "policy large version \"1\" \"generated: many rules and characteristics\"\n\n";
  s += "enum Segment { seg_a, seg_b, seg_c, seg_d }\nenum Outcome { APPROVE, REFER, DECLINE }\n\n";
  s += "input Application {\n"
       "  id: string\n"
       "  income: money where income >= 0\n"
       "  debt: money?\n"
       "  age: int where age >= 18 and age <= 100\n"
       "  score: int? where score >= 300 and score <= 900\n"
       "  ratio: number?\n"
       "  segment: Segment\n"
       "  opened: date?\n"
       "  flag: bool\n"
       "}\n\n";
  auto field = [&](const char* name, FieldType t, bool opt, bool lo, int64_t lo_v, bool hi, int64_t hi_v) {
    FieldSpec f;
    f.name = name;
    f.type = t;
    f.optional = opt;
    f.has_lo = lo;
    f.lo = lo_v;
    f.has_hi = hi;
    f.hi = hi_v;
    if (t == FieldType::Enum) f.enum_values = {"seg_a", "seg_b", "seg_c", "seg_d"};
    spec.fields.push_back(f);
  };
  field("id", FieldType::String, false, false, 0, false, 0);
  field("income", FieldType::Money, false, true, 0, false, 0);
  field("debt", FieldType::Money, true, false, 0, false, 0);
  field("age", FieldType::Int, false, true, 18, true, 100);
  field("score", FieldType::Int, true, true, 300, true, 900);
  field("ratio", FieldType::Number, true, false, 0, false, 0);
  field("segment", FieldType::Enum, false, false, 0, false, 0);
  field("opened", FieldType::Date, true, false, 0, false, 0);
  field("flag", FieldType::Bool, false, false, 0, false, 0);
  s += "let dti = (debt ?? 0.00) / income\n"
       "let util = ratio ?? 0\n"
       "let age_days = days_between(opened ?? date(\"2020-01-01\"), date(\"2025-06-30\"))\n"
       "let exposure = income * 0.25 + (debt ?? 0.00)\n\n";
  auto cond = [&](int i) -> std::string {
    switch (i % 8) {
      case 0: return fmt::format("age > {}", r.Range(18, 99));
      case 1: return fmt::format("(score ?? 0) < {}", r.Range(300, 900));
      case 2: return fmt::format("income > {}.00 and flag", r.Range(0, 1000000));
      case 3: return fmt::format("segment == seg_{} and (dti > 0.{}) ?? false", char('a' + r.Range(0, 3)), r.Range(1, 9));
      case 4: return fmt::format("age_days < {}", r.Range(0, 3000));
      case 5: return fmt::format("(util >= {}) or exposure > {}.50", r.Range(0, 5), r.Range(0, 500000));
      case 6: return fmt::format("score is missing and age < {}", r.Range(18, 60));
      default: return fmt::format("(floor(income / age, 1.00) ?? 0.00) > {}", r.Range(100, 100000));
    }
  };
  int sets = 0;
  std::vector<std::string> set_names;
  for (int i = 0; i < rules;) {
    std::string name = fmt::format("set{}", ++sets);
    set_names.push_back(name);
    s += "rules " + name + " {\n";
    for (int k = 0; k < rules_per_set && i < rules; ++k, ++i)
      s += fmt::format("  R{:04} when {} => {}\n", i + 1, cond(i), i % 3 == 0 ? "decline" : i % 3 == 1 ? "refer" : "flag");
    s += "}\n";
  }
  characteristics = std::max(characteristics, 3);  // `reasons 3` needs three
  s += "\nscorecard sc {\n  baseline 500\n  reasons 3\n";
  for (int c = 0; c < characteristics; ++c) {
    int a = int(r.Range(1, 20)), b = a + int(r.Range(1, 20)), p = int(r.Range(-30, 30));
    switch (c % 7) {
      case 0: s += fmt::format("  C{:04} age {{ < {} => {}, [{}, {}) => {}, >= {} => {} }}\n", c + 1, 18 + a, p, 18 + a, 18 + b, -p, 18 + b, p / 2); break;
      case 1: s += fmt::format("  C{:04} score {{ missing => {}, < {} => {}, >= {} => {} }}\n", c + 1, p, 300 + 10 * a, -p, 300 + 10 * a, p); break;
      case 2: s += fmt::format("  C{:04} income {{ < {}_000 => {}, >= {}_000 => {} }}\n", c + 1, a, p, a, -p); break;
      case 3: s += fmt::format("  C{:04} dti {{ missing => {}, < 0.{} => {}, >= 0.{} => {} }}\n", c + 1, p, a % 10, -p, a % 10, p); break;
      case 4: s += fmt::format("  C{:04} segment {{ seg_a, seg_b => {}, seg_c => {}, else => {} }}\n", c + 1, p, -p, a); break;
      case 5: s += fmt::format("  C{:04} flag {{ true => {}, false => {} }}\n", c + 1, p, -p); break;
      default: s += fmt::format("  C{:04} util {{ < {} => {}, >= {} => {} }}\n", c + 1, a, p, a, -p); break;
    }
  }
  s += "}\n\ndecision: Outcome {\n";
  for (size_t k = 0; k < set_names.size() && k < 4; ++k)
    s += fmt::format("  {}.fired => {} because {}.first\n", set_names[k], k % 2 ? "REFER" : "DECLINE", set_names[k]);
  s += "  sc.score < 450 => REFER because sc.reason(1)\n  else => APPROVE\n}\n\n";
  s += "output {\n  id, decision, reason = decision.reason, score = sc.score\n"
       "  r1 = sc.reason(1), r2 = sc.reason(2), r3 = sc.reason(3)\n";
  for (size_t k = 0; k < set_names.size() && k < 4; ++k)
    s += fmt::format("  {0}_codes = {0}.codes, {0}_count = {0}.count\n", set_names[k]);
  s += "  dti, exposure\n}\n";
  for (int64_t v : {0, 1, 100000, 300, 900, 18, 100}) spec.literals.push_back({v, 0});
  spec.dates = {"2020-01-01", "2025-06-30"};
  for (const char* str : policy_gen_detail::kStringPool) spec.strings.push_back(str);
  return spec;
}
}  // namespace credo::diff

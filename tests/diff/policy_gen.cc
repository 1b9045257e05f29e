// policy_gen.cc — GeneratePolicy: the order in which a policy's blocks are written
// (PolicyGen::Run), fresh names, and literals of every type; SubSeed, and the text of numeric and
// date literals (policy_gen_impl.h). The rest of PolicyGen is in the policy_gen_*.cc files.
#include "policy_gen_impl.h"

#include <iterator>

#include <fmt/format.h>

#include "gen_outputs.h"

namespace credo::diff {

uint64_t SubSeed(uint64_t seed, uint64_t index, uint64_t stream) {
  Rng r(seed ^ (stream * 0xD1B54A32D192ED03ull));
  Rng mixed(r.Next() ^ (index * 0x9E3779B97F4A7C15ull));
  mixed.Next();
  return mixed.Next();
}

namespace policy_gen_detail {

uint64_t Pow10u(int k) {
  uint64_t p = 1;
  while (k-- > 0) p *= 10;
  return p;
}

namespace {

std::string Digits(uint64_t v, bool underscores) {
  std::string d = std::to_string(v);
  if (!underscores || d.size() <= 3) return d;
  std::string out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) out += '_';
    out += d[i];
  }
  return out;
}

}  // namespace

// scaled / 10^scale with exactly `scale` fraction digits; `_` only in the whole part.
std::string LitText(int64_t scaled, int scale, bool underscores) {
  uint64_t mag = scaled < 0 ? 0 - uint64_t(scaled) : uint64_t(scaled);
  uint64_t p = Pow10u(scale);
  std::string s = Digits(mag / p, underscores);
  if (scale > 0) {
    std::string f = std::to_string(mag % p);
    s += "." + std::string(size_t(scale) - f.size(), '0') + f;
  }
  return (scaled < 0 ? "-" : "") + s;
}

int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

PolicySpec PolicyGen::Run() {
  bool group = r_.Chance(40);
  out_ += fmt::format("policy p{} version \"1\" \"generated, seed {}\"\n\n", spec_.seed % 100000, spec_.seed);
  GenEnums();
  GenInput(group);
  // Reference data from a stream of its own, so that a policy without it is the one this seed
  // always gave.
  Rng refs(spec_.seed ^ 0x5EFE5EFE5EFEull);
  if (refs.Chance(30)) GenReferenceData(refs);
  int tables = int(r_.Range(0, 2));
  for (int i = 0; i < tables; ++i) GenTable();
  if (r_.Chance(60)) GenReuse();
  int lets1 = int(r_.Range(2, 6));
  for (int i = 0; i < lets1; ++i) GenLet();
  int sets = int(r_.Range(1, 3));
  for (int i = 0; i < sets; ++i) GenRuleSet();
  int cards = int(r_.Range(0, 2));
  for (int i = 0; i < cards; ++i) GenScorecard();
  int lets2 = int(r_.Range(0, 3));
  for (int i = 0; i < lets2; ++i) GenLet();
  int bands = int(r_.Range(1, 2));
  for (int i = 0; i < bands; ++i) GenBand();
  if (r_.Chance(50)) GenTable();
  if (r_.Chance(45)) GenTables();
  GenDecision();
  if (r_.Chance(40)) GenRuleSet();  // after the decision: its rules may test the decision (post-decision rules)
  int lets3 = int(r_.Range(0, 3));
  for (int i = 0; i < lets3; ++i) GenLet();
  if (r_.Chance(80)) GenWarnings();
  if (group) GenGroup();
  out_ += bin_consts_;  // declared after their use in bins: the order of declarations is free
  GenOutput();
  if (group && r_.Chance(60)) GenGroupOutputsHook();
  if (r_.Chance(25)) out_ += GenRejects(r_);
  spec_.text = out_;
  for (const char* s : kStringPool) spec_.strings.push_back(s);
  return std::move(spec_);
}

std::string PolicyGen::Fresh(const char* prefix) { return fmt::format("{}{}", prefix, ++counter_); }

bool PolicyGen::Present(const std::string& name) const {
  return std::find(present_.begin(), present_.end(), name) != present_.end();
}

void PolicyGen::NoteLiteral(int64_t scaled, int scale) {
  if (spec_.literals.size() < 200) spec_.literals.push_back({scaled, scale});
}

Ex PolicyGen::IntLit(int64_t v) {
  Ex e = Make(LitText(v, 0, v >= 1000 && r_.Chance(40)), T(B::Int));
  e.lit = true;
  e.pos_lit = v > 0;
  NoteLiteral(v, 0);
  return e;
}

Ex PolicyGen::DecLit(int64_t scaled, int scale) {
  Ex e = Make(LitText(scaled, scale, (scaled >= 100000 || scaled <= -100000) && r_.Chance(40)), DecT(scale));
  e.lit = true;
  e.pos_lit = scaled > 0;
  NoteLiteral(scaled, scale);
  return e;
}

int64_t PolicyGen::SomeInt() {
  static const int64_t kCommon[] = {0, 1, 2, 3, 5, 7, 10, 12, 24, 30, 60, 90, 100, 365, 500, 1000, 2500, 10000, 100000, 1000000};
  switch (r_.Range(0, 11)) {
    case 0: case 1: case 2: case 3: case 4: return kCommon[r_.Index(std::size(kCommon))];
    case 5: case 6: return r_.Range(-100, 100);
    case 7: return r_.Range(0, 100000);
    case 8: {
      static const int64_t kBig[] = {999'999'999, 1'000'000'000, 2'147'483'647, 1'000'000'000'000, 4'611'686'018'427'387'904};
      return r_.Chance(80) ? kBig[r_.Index(3)] : kBig[r_.Index(std::size(kBig))];
    }
    case 9: return r_.Range(-1000000, 1000000);
    default: return r_.Range(0, 1000);
  }
}

int64_t PolicyGen::SomeScaled(int scale) {
  int64_t p = int64_t(Pow10u(scale));
  switch (r_.Range(0, 6)) {
    case 0: return r_.Range(0, 10 * p);
    case 1: return r_.Range(1, p);
    case 2: return SomeInt() % 1000000000 * p;
    case 3: return r_.Range(0, 100000) * p + r_.Range(0, p - 1);
    case 4: return p / 2 > 0 ? p / 2 : 5;
    default: return r_.Range(0, 1000 * p);
  }
}

Ex PolicyGen::ExactLit(int max_scale, bool int_only) {
  bool dec = !int_only && max_scale > 0 && r_.Chance(45);
  if (!dec) {
    int64_t v = SomeInt();
    if (r_.Chance(15)) v = -v;
    return IntLit(v);
  }
  int scale = int(r_.Range(1, std::min(max_scale, r_.Chance(85) ? 2 : 4)));
  int64_t scaled = SomeScaled(scale);
  if (r_.Chance(15)) scaled = -scaled;
  return DecLit(scaled, scale);
}

Ex PolicyGen::StrLit() {
  std::vector<std::string> pool(std::begin(kStringPool), std::end(kStringPool));
  for (auto& c : codes_) pool.push_back(c);
  std::string s = r_.Pick(pool);
  std::string text = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') text += '\\';
    text += c;
  }
  return Make(text + "\"", T(B::Str));
}

Ex PolicyGen::DateLit() {
  int y = int(r_.Range(1990, 2030)), m = int(r_.Range(1, 12)), d = int(r_.Range(1, 28));
  switch (r_.Range(0, 5)) {
    case 0: m = 2; d = r_.Chance(50) ? 29 : 28; y = 2024; break;  // a leap day, and its eve
    case 1: m = 12; d = 31; break;
    case 2: m = 1; d = 1; break;
    case 3:  // now and then an end of the supported range: add_months and ± days step out of it
      if (r_.Chance(30)) {
        bool last = r_.Chance(50);
        y = last ? 9999 : 1, m = last ? 12 : 1, d = last ? 31 : 1;
      }
      break;
    default: break;
  }
  std::string text = fmt::format("{:04}-{:02}-{:02}", y, m, d);
  spec_.dates.push_back(text);
  return Make("date(\"" + text + "\")", T(B::Date));
}

Ex PolicyGen::EnumLit(int en) { return Make(r_.Pick(enums_[en].values), EnumT(en)); }

// A non-optional literal that unifies with `t` (a `??` default).
Ex PolicyGen::Default(const Ty& t) {
  switch (t.b) {
    case B::Bool: return Make(r_.Chance(50) ? "true" : "false", T(B::Bool));
    case B::Int: return IntLit(r_.Chance(60) ? 0 : SomeInt());
    case B::Dec: {
      int sc = std::min(t.scale, 2);
      if (sc == 0 || r_.Chance(30)) return IntLit(r_.Chance(70) ? 0 : SomeInt());
      return DecLit(SomeScaled(sc) * (r_.Chance(20) ? -1 : 1), sc);
    }
    case B::Num: return r_.Chance(80) ? IntLit(r_.Chance(50) ? 0 : SomeInt()) : CallOf("number", {DecLit(5, 1)}, T(B::Num));
    case B::Str: return StrLit();
    case B::Date: return DateLit();
    case B::Enum: return EnumLit(t.en);
  }
  return IntLit(0);
}

}  // namespace policy_gen_detail

PolicySpec GeneratePolicy(uint64_t seed) { return policy_gen_detail::PolicyGen(seed).Run(); }

}  // namespace credo::diff

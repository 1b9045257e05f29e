// policy_gen_conditions.cc — PolicyGen's conditions (policy_gen_impl.h): comparisons, `in` tests,
// `is missing` tests and the names they prove present, `and` / `or` / `not`, aggregates over the
// group's members.
#include "policy_gen_impl.h"

#include "gen_exprs.h"

namespace credo::diff::policy_gen_detail {

// `a and b` / `a or b`, b generated knowing what a proves (the checker narrows the right side).
Ex PolicyGen::AndOr(const Ex& a, bool is_and, const Ex& b) {
  Ex e = Bin(a, is_and ? "and" : "or", b, T(B::Bool, a.t.opt || b.t.opt));
  if (is_and) e.ft = Union(a.ft, b.ft);
  else e.ff = Union(a.ff, b.ff);
  return e;
}

const char* PolicyGen::CompareOp(bool ordered) {
  static const char* kAll[] = {"<", "<=", ">", ">=", "==", "!="};
  return ordered ? kAll[r_.Index(6)] : kAll[4 + r_.Index(2)];
}

Ex PolicyGen::GenCompare(int d) {
  Ex a, b;
  bool ordered = true;
  switch (r_.Range(0, 9)) {
    case 0: case 1:
      a = GenExact(d - 1, true, 4);
      b = r_.Chance(50) ? ExactLit(4, false) : GenExact(d - 1, true, 4);
      break;
    case 2:
      a = GenNum(d - 1, true);
      b = GenNum(d - 1, true);
      break;
    case 3: case 4:
      a = GenNum(d - 1, true);
      b = r_.Chance(60) ? ExactLit(3, false) : GenExact(d - 1, true, 0, true);
      break;
    case 5:
      a = GenDate(d - 1, true);
      b = r_.Chance(50) ? DateLit() : GenDate(d - 1, true);
      break;
    case 6:
      a = GenStr(d - 1, true);
      b = r_.Chance(60) ? StrLit() : GenStr(d - 1, true);
      ordered = false;
      break;
    case 7: {
      int en = int(r_.Index(enums_.size()));
      a = GenEnum(en, d - 1, true);
      b = r_.Chance(60) ? EnumLit(en) : GenEnum(en, d - 1, true);
      ordered = false;
      break;
    }
    case 8:
      a = GenBool(d - 1, true);
      b = r_.Chance(50) ? Make(r_.Chance(50) ? "true" : "false", T(B::Bool)) : GenBool(d - 1, true);
      ordered = false;
      break;
    default:
      a = GenExact(d - 1, true, 2);
      b = ExactLit(2, false);
      break;
  }
  if (r_.Chance(50)) std::swap(a, b);
  if (a.t.numeric() && !NumericOf(a, b)) return Make("true", T(B::Bool));
  return Bin(a, CompareOp(ordered), b, T(B::Bool, a.t.opt || b.t.opt));
}

// A condition about X, which is known to be present.
Ex PolicyGen::About(const Sym& x, int d) {
  Ex xe = Make(x.name, x.t.Opt(false));
  switch (x.t.b) {
    case B::Int: case B::Dec: {
      Ex o = r_.Chance(60) ? ExactLit(2, false) : GenExact(d, true, 2);
      return Bin(xe, CompareOp(true), o, T(B::Bool, o.t.opt));
    }
    case B::Num: return Bin(xe, CompareOp(true), ExactLit(3, false), T(B::Bool));
    case B::Bool: return r_.Chance(50) ? xe : Make("(not " + x.name + ")", T(B::Bool));
    case B::Str: return Bin(xe, CompareOp(false), StrLit(), T(B::Bool));
    case B::Date: return Bin(xe, CompareOp(true), DateLit(), T(B::Bool));
    case B::Enum: return Bin(xe, CompareOp(false), EnumLit(x.t.en), T(B::Bool));
  }
  return xe;
}

Ex PolicyGen::GenIn(int d) {
  Ex subject;
  std::vector<Ex> items;
  int n = int(r_.Range(1, 4));
  switch (r_.Range(0, 4)) {
    case 0:
      subject = GenExact(d - 1, true, 2);
      for (int i = 0; i < n; ++i) items.push_back(ExactLit(2, false));
      break;
    case 1:
      subject = GenNum(d - 1, true);
      for (int i = 0; i < n; ++i) items.push_back(ExactLit(2, false));
      break;
    case 2:
      subject = GenStr(d - 1, true);
      for (int i = 0; i < n; ++i) items.push_back(StrLit());
      break;
    case 3: {
      int en = int(r_.Index(enums_.size()));
      subject = GenEnum(en, d - 1, true);
      for (int i = 0; i < n; ++i) items.push_back(r_.Chance(85) ? EnumLit(en) : GenEnum(en, d - 1, true));
      break;
    }
    default:
      subject = GenDate(d - 1, true);
      for (int i = 0; i < n; ++i) items.push_back(DateLit());
      break;
  }
  bool opt = subject.t.opt;  // missing when the subject or an item is (Kleene `or`; a range: `and`)
  std::vector<std::string> texts;
  for (size_t i = 0; i < items.size(); ++i) texts.push_back(items[i].s), opt |= items[i].t.opt;
  bool ordered = subject.t.numeric() || subject.t.b == B::Date;
  return Make("(" + gen_exprs::InTest(r_, subject.s, texts, ordered) + ")", T(B::Bool, opt));
}

// Some value that may be missing, of any type.
Ex PolicyGen::GenOptional(int d) {
  Ex e;
  if (r_.Chance(75) && PickAtom([](const Ty& t) { return t.opt; }, true, e) && e.t.opt) return e;
  switch (r_.Range(0, 3)) {
    case 0: e = GenNum(d, true); break;
    case 1: e = GenExact(d, true); break;
    case 2: e = GenStr(d, true); break;
    default: e = GenDate(d, true); break;
  }
  if (e.t.opt) return e;
  Ex a = GenExact(0, true, 2), b = GenExact(0, true, 2);
  Ex q = Bin(a, "/", b, T(B::Num, a.t.opt || b.t.opt || !b.pos_lit));
  return q.t.opt ? q : Make("(" + a.s + " / 0)", T(B::Num, true));
}

Ex PolicyGen::GenBool(int d, bool opt_ok) {
  Ex e;
  bool done = false;
  int choice = d <= 0 ? (r_.Chance(50) ? 0 : 1) : int(r_.Range(0, 16));
  switch (choice) {
    case 0: done = PickAtom([](const Ty& t) { return t.b == B::Bool; }, true, e); break;
    case 1: case 2: case 3: case 4: e = GenCompare(d); done = true; break;
    case 5: case 6: {
      Ex a = GenBool(d - 1, true);
      Ex b = WithFacts(choice == 5 ? a.ft : a.ff, [&] { return GenBool(d - 1, true); });
      e = AndOr(a, choice == 5, b);
      done = true;
      break;
    }
    case 7: {
      Ex a = GenBool(d - 1, true);
      e = Make("(not " + a.s + ")", a.t);
      e.ft = a.ff;
      e.ff = a.ft;
      done = true;
      break;
    }
    case 8: e = GenIn(d); done = true; break;
    case 9: {
      Ex x = GenOptional(d - 1);
      static const char* kTests[] = {" is missing)", " is not missing)", " is present)", " is not present)"};
      size_t test = r_.Index(4);
      e = Make("(" + x.s + kTests[test], T(B::Bool));
      if (!x.name.empty()) (test == 1 || test == 2 ? e.ft : e.ff).push_back(x.name);
      done = true;
      break;
    }
    case 10: case 11: {
      const Sym* x = NarrowCandidate();
      if (!x) break;
      Sym xs = *x;
      static const char* kAnd[] = {" is present and ", " is not missing and "};
      static const char* kOr[] = {" is missing or ", " is not present or "};
      bool and_form = r_.Chance(50);
      present_.push_back(xs.name);
      Ex p = About(xs, d - 1);
      if (r_.Chance(35)) {
        bool is_and = r_.Chance(50);
        Ex q = WithFacts(is_and ? p.ft : p.ff, [&] { return GenBool(d - 1, true); });
        p = AndOr(p, is_and, q);
      }
      present_.pop_back();
      e = Make("(" + xs.name + (and_form ? kAnd[r_.Index(2)] : kOr[r_.Index(2)]) + p.s + ")", T(B::Bool, p.t.opt));
      if (and_form) e.ft = Union({xs.name}, p.ft);
      else e.ff = Union({xs.name}, p.ff);
      done = true;
      break;
    }
    case 12: e = IfOf(d, [&] { return GenBool(d - 1, true); }); done = true; break;
    case 13: {
      Ex a = GenBool(d - 1, true);
      if (!a.t.opt) break;
      e = Coalesce(a, Make(r_.Chance(50) ? "true" : "false", T(B::Bool)));
      done = true;
      break;
    }
    case 14: {
      if (!agg_ok_) break;
      agg_ok_ = false;
      Ex c = GenBool(d - 1, false);
      static const char* kFns[] = {"any", "all", "any_other"};
      e = CallOf(kFns[r_.Index(3)], {c}, T(B::Bool));
      agg_ok_ = true;
      done = true;
      break;
    }
    case 15: done = PickTable([](const Ty& t) { return t.b == B::Bool; }, d, true, e); break;
    case 16: done = ListsOrText(d, T(B::Bool), GenListOrTextBool, e); break;
  }
  if (!done) e = GenCompare(std::max(d, 1));
  return Fix(e, opt_ok);
}

}  // namespace credo::diff::policy_gen_detail

// probes.cc — the probe recorder (probes.h).
#include "compiler/lower/probes.h"

#include <algorithm>

namespace credo::lower {

using ir::Instr;
using ir::Op;
using ir::ProbeKind;
using rt::Kind;

int32_t HitBuilder::Emit(Instr in) {
  auto& code = Code();
  code.push_back(std::move(in));
  return int32_t(code.size() - 1);
}

int32_t HitBuilder::And(int32_t a, int32_t b) {
  return Emit({Op::And, {Kind::Bool, 0, TypeOf(a).optional || TypeOf(b).optional}, {a, b}});
}
int32_t HitBuilder::Or(int32_t a, int32_t b) {
  return Emit({Op::Or, {Kind::Bool, 0, TypeOf(a).optional || TypeOf(b).optional}, {a, b}});
}
int32_t HitBuilder::Not(int32_t a) { return Emit({Op::Not, {Kind::Bool, 0, TypeOf(a).optional}, {a}}); }
int32_t HitBuilder::IsMissing(int32_t a) { return Emit({Op::IsMissing, {Kind::Bool}, {a}}); }
int32_t HitBuilder::Int(int64_t v) {
  Instr in{Op::Const, {Kind::Int}, {}};
  in.imm = v;
  return Emit(std::move(in));
}
int32_t HitBuilder::Bool(bool b) {
  Instr in{Op::Const, {Kind::Bool}, {}};
  in.imm = b;
  return Emit(std::move(in));
}
int32_t HitBuilder::Eq(int32_t a, int32_t b) {
  return Emit({Op::Eq, {Kind::Bool, 0, TypeOf(a).optional || TypeOf(b).optional}, {a, b}});
}

int32_t HitBuilder::AllNone(const std::vector<int32_t>& all, const std::vector<int32_t>& none) {
  int32_t acc = -1;
  auto add = [&](int32_t r) { acc = acc < 0 ? r : And(acc, r); };
  for (int32_t r : all)
    if (r >= 0) add(r);
  int32_t any = -1;
  for (int32_t r : none)
    if (r >= 0) any = any < 0 ? r : Or(any, r);
  if (any >= 0) add(Not(any));
  return acc < 0 ? Bool(true) : acc;
}

std::string ProbeRecorder::Text(Span span) const {
  if (!source_ || span.end <= span.begin) return "";
  return OnOneLine(source_->Slice(span), 100);
}

int32_t ProbeRecorder::Add(ProbeKind kind, std::string name, Span span, int32_t value, int32_t hit) {
  ir::Probe probe;
  probe.kind = kind;
  probe.name = std::move(name);
  probe.text = Text(span);
  probe.offset = span.begin;
  probe.parent = Parent();
  probe.value = value;
  probe.hit = hit;
  probe.group = group_;
  p_.probes.push_back(std::move(probe));
  return int32_t(p_.probes.size() - 1);
}

void ProbeRecorder::NameRead(const ast::Expr& e, int32_t reg) {
  if (parents_.empty()) return;
  std::string name = Text(e.span);
  auto key = std::make_pair(Parent(), name);
  if (std::find(named_.begin(), named_.end(), key) != named_.end()) return;
  named_.push_back(key);
  Add(ProbeKind::Step, std::move(name), e.span, reg);
}

void ProbeRecorder::Step(const ast::Expr& e, int32_t reg) {
  if (parents_.empty()) return;
  Add(ProbeKind::Step, Text(e.span), e.span, reg);
}

ProbeRecorder::HitFn ProbeRecorder::Guarded(HitFn fn) const {
  if (guards_.empty()) return fn;
  return [guards = guards_, fn = std::move(fn)](HitBuilder& h) {
    int32_t hit = fn(h);
    for (const Guard& g : guards) {
      int32_t holds = g.later                  ? g.later(h)
                      : g.on == GuardOn::Holds ? g.reg
                      : g.on == GuardOn::Fails ? h.Not(g.reg)
                                               : h.IsMissing(g.reg);
      hit = h.And(hit, holds);
    }
    return hit;
  };
}

void ProbeRecorder::Fallback(const ast::Expr& e, int32_t left) {
  int32_t i = Add(ProbeKind::Fallback, "??", e.span);
  HitLater(i, Guarded([left](HitBuilder& h) { return h.IsMissing(left); }));
}

void ProbeRecorder::BinsDone() {
  const auto& bins = *pending_bins_;
  pending_bins_ = nullptr;
  int32_t subject = bin_subject_;
  bool optional = group_ ? p_.group_code[subject].type.optional : p_.code[subject].type.optional;
  bool has_missing_bin = false, has_else = false;
  for (const auto& bin : bins)
    for (const auto& t : bin.tests) {
      has_missing_bin |= t.kind == ast::BinTest::Missing;
      has_else |= t.kind == ast::BinTest::Else;
    }
  bool gate = optional && has_missing_bin;  // a missing subject takes the missing bin, no value bin
  // Tests in the order the program tries them: chain tests in bin order, ladder rungs by rung.
  std::vector<std::pair<int32_t, size_t>> order;  // (rung or bin, bin)
  for (size_t b = 0; b < bins.size(); ++b)
    if (bin_tests_[b].rung != -1) order.push_back({bin_tests_[b].rung >= 0 ? bin_tests_[b].rung : int32_t(b), b});
  std::sort(order.begin(), order.end());
  bool ladder = std::any_of(bin_tests_.begin(), bin_tests_.end(), [](const BinTest& t) { return t.rung >= 0; });
  size_t last_tested = order.empty() ? bins.size() : order.back().second;
  for (size_t b = 0; b < bins.size(); ++b) {
    bool missing = false, is_else = false;
    for (const auto& t : bins[b].tests) {
      missing |= t.kind == ast::BinTest::Missing;
      is_else |= t.kind == ast::BinTest::Else;
    }
    int32_t i = Add(bin_kind_, "bin " + std::to_string(b + 1), bins[b].span);
    std::vector<int32_t> earlier;
    int32_t own = -1;
    bool valued = false;  // the bin takes some present values
    for (const auto& [at, bin] : order) {
      if (bin == b) {
        own = bin_tests_[b].test;
        valued = true;
        // The default of the chain (no else: its last tested bin) or the ladder's last rung.
        if (!ladder && !has_else && b == last_tested) own = -1;
        break;
      }
      earlier.push_back(bin_tests_[bin].test);
    }
    if (is_else) valued = true;  // taken when no tested bin is (`earlier` holds every test)
    HitLater(i, [=](HitBuilder& h) {
      int32_t hit = -1;
      if (valued) {
        hit = h.AllNone({own}, earlier);
        if (gate) hit = h.And(h.Present(subject), hit);
      }
      if (missing && optional) {
        int32_t m = h.IsMissing(subject);
        hit = hit < 0 ? m : h.Or(m, hit);
      }
      return hit < 0 ? h.Bool(false) : hit;  // a missing bin of a subject never missing: never taken
    });
  }
}

void ProbeRecorder::HitLater(int32_t i, HitFn fn) {
  bool group = p_.probes[size_t(i)].group;
  Later([this, i, group, fn = std::move(fn)](HitBuilder& record, HitBuilder& in_group) {
    SetHit(i, fn(group ? in_group : record));
  });
}

void ProbeRecorder::DecisionRows(const ast::DecisionTable& t, int32_t table, const std::vector<int32_t>& inputs) {
  int32_t parent = Parent();  // the DecisionTable probe
  bool collect = t.hit >= ast::HitPolicy::Collect;
  size_t rows = t.rows.size();
  struct Regs {
    int32_t chosen = -1, matched = -1, any = -1;
  };
  auto regs = std::make_shared<Regs>();
  auto table_row = [=](HitBuilder& h, int64_t mode, rt::ValueType type) {
    Instr in{Op::TableRow, type, inputs};
    in.imm = table;
    in.imm2 = mode;
    return h.Emit(std::move(in));
  };
  bool group = group_;
  // The table's value: the chosen row (first/unique/any/priority) or the matching rows (collect).
  Later([=, this](HitBuilder& record, HitBuilder& in_group) {
    HitBuilder& h = group ? in_group : record;
    if (collect && rows <= 64) regs->matched = table_row(h, 2, {Kind::Codes, 0, false, 0});
    if (!collect) regs->chosen = table_row(h, 0, {Kind::Int, 0, true});
    regs->any = table_row(h, 3, {Kind::Bool});
    SetValue(parent, collect ? regs->matched : regs->chosen);
  });
  for (size_t r = 0; r <= rows; ++r) {
    if (r == rows && !t.else_row) break;
    const ast::DecisionRow& row = r < rows ? t.rows[r] : *t.else_row;
    int32_t i = Add(ProbeKind::DecisionRow, r < rows ? row.code.text : "else", row.span);
    bool has_else = bool(t.else_row);
    HitLater(i, [=](HitBuilder& h) {
      if (r == rows && collect) return h.Not(regs->any);
      if (collect && rows > 64) {  // too many rows for a matched-rows list: sum 1 for row r, 0 for the others
        std::vector<int32_t> args = inputs;
        int32_t one = h.Int(1), zero = h.Int(0);
        for (size_t k = 0; k < rows + has_else; ++k) args.push_back(k == r ? one : zero);
        Instr sum{Op::TableAgg, {Kind::Int}, std::move(args)};
        sum.imm = table;
        sum.imm2 = 0;  // sum
        return h.Not(h.Eq(h.Emit(std::move(sum)), zero));
      }
      if (collect) return h.Emit({Op::ListContains, {Kind::Bool}, {regs->matched}, int64_t(r)});
      return h.Eq(regs->chosen, h.Int(int64_t(r)));  // the else row is row `rows`
    });
  }
}

ProbeRecorder::LookupProbes& ProbeRecorder::LookupOf(const ast::Table& t, int decl, int32_t result) {
  auto [it, added] = lookups_.try_emplace({decl, group_});
  LookupProbes& l = it->second;
  if (!added) return l;
  std::vector<int32_t> saved;
  saved.swap(parents_);  // a table is a declaration of its own, whichever expression uses it first
  l.probe = Add(ProbeKind::Table, t.name.text, t.name.span, result);
  Open(l.probe);
  l.uses = std::make_shared<std::vector<std::vector<std::function<int32_t(HitBuilder&)>>>>(t.entries.size());
  for (size_t e = 0; e < t.entries.size(); ++e) {
    const auto& entry = t.entries[e];
    int32_t i = Add(ProbeKind::TableEntry, entry.keys.empty() ? "else" : "entry " + std::to_string(e + 1), entry.span);
    l.entries.push_back(i);
    HitLater(i, [uses = l.uses, e](HitBuilder& h) {
      int32_t hit = -1;
      for (auto& use : (*uses)[e]) {
        int32_t one = use(h);
        hit = hit < 0 ? one : h.Or(hit, one);
      }
      return hit;  // -1 when the table is never used in this program
    });
  }
  Close();
  parents_.swap(saved);
  return l;
}

void ProbeRecorder::Lookup(const ast::Table& t, int decl, const std::vector<int>& row_entry, int32_t row, int32_t result) {
  LookupProbes& l = LookupOf(t, decl, result);
  for (size_t e = 0; e < t.entries.size(); ++e) {
    std::vector<int64_t> rows;  // the compiled rows of entry e (the else entry: the row after them)
    for (size_t k = 0; k < row_entry.size(); ++k)
      if (row_entry[k] == int(e)) rows.push_back(int64_t(k));
    if (t.entries[e].keys.empty()) rows.push_back(int64_t(row_entry.size()));
    (*l.uses)[e].push_back(Guarded([row, rows](HitBuilder& h) {
      int32_t hit = -1;
      for (int64_t k : rows) {
        int32_t one = h.Eq(row, h.Int(k));
        hit = hit < 0 ? one : h.Or(hit, one);
      }
      return hit < 0 ? h.Bool(false) : hit;  // an entry that took no row: never
    }));
  }
}

void ProbeRecorder::EnumLookup(const ast::Table& t, int decl, const std::vector<int32_t>& matches, int32_t missing_key,
                               int32_t result) {
  LookupProbes& l = LookupOf(t, decl, result);
  for (size_t e = 0; e < t.entries.size(); ++e) {
    std::vector<int32_t> earlier{missing_key};
    for (size_t k = 0; k < matches.size(); ++k)
      if (matches[k] >= 0 && (matches[e] < 0 || k < e)) earlier.push_back(matches[k]);
    int32_t own = matches[e];
    (*l.uses)[e].push_back(Guarded([own, earlier](HitBuilder& h) { return h.AllNone({own}, earlier); }));
  }
}

void ProbeRecorder::Finish() {
  HitBuilder record(p_, false), group(p_, true);
  size_t group_begin = p_.group_code.size();
  for (auto& fn : later_) fn(record, group);
  // Appended group code runs in the last step (after every value it reads is final).
  if (p_.group_code.size() > group_begin) {
    if (p_.group_steps.empty()) p_.group_steps.push_back({int32_t(group_begin), int32_t(group_begin), {}, {}});
    p_.group_steps.back().end = int32_t(p_.group_code.size());
  }
}

}  // namespace credo::lower

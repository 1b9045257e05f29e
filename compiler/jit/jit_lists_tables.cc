// jit_lists_tables.cc — Codegen's ranked reason lists and picks, list and text functions,
// decision and lookup tables (inline rows or a call) and reference data (jit_codegen.h).
#include "compiler/jit/jit_codegen.h"

#include "compiler/interp/group_pass.h"
#include "compiler/jit/jit_helpers.h"
#include "compiler/jit/jit_tables.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/math.h"
#include "runtime/core/text.h"

namespace credo::jit {

Codegen::Val Codegen::Rank(const Instr& in, std::vector<Val>& a) {
  Pick previous{nullptr, nullptr};
  for (int64_t rank = 1; rank <= in.imm; ++rank) {
    auto key = std::make_pair(in.imm2, rank);
    auto it = picks_.find(key);
    if (it == picks_.end()) it = picks_.emplace(key, NextPick(a, previous)).first;
    previous = it->second;
  }
  llvm::Value* code = ctx_empty_;
  for (size_t i = 0; i < a.size(); ++i)
    code = B.CreateSelect(B.CreateICmpEQ(previous.index, B.getInt64(int64_t(i))), ReasonString(in.imm2, i), code);
  return {code, nullptr};
}

Codegen::Val Codegen::RankList(const Instr& in, std::vector<Val>& a) {
  Pick previous{nullptr, nullptr};
  llvm::Value* list = B.getInt64(0);
  for (int64_t rank = 1; rank <= in.imm; ++rank) {
    auto key = std::make_pair(in.imm2, rank);
    auto it = picks_.find(key);
    if (it == picks_.end()) it = picks_.emplace(key, NextPick(a, previous)).first;
    previous = it->second;
    llvm::Value* entry = B.CreateAdd(previous.index, B.getInt64(1));  // none (-1) packs as 0
    list = B.CreateOr(list, B.CreateShl(entry, B.getInt64(8 * (rank - 1))));
  }
  return {list, nullptr};
}

llvm::Value* Codegen::ListOrText(const Instr& in, std::vector<Val>& a) {
  const rt::ValueType& t = code_[in.args[0]].type;
  llvm::Value* x = ToStorage(a[0].v, t.kind);
  switch (in.op) {
    case Op::ListCount:
      if (!t.ranked) return Intrinsic(llvm::Intrinsic::ctpop, i64, {x});
      return B.CreateCall(Helper("credo_jit_ranked_list", i64, {i64, i64, i64}), {B.getInt64(0), x, B.getInt64(0)});
    case Op::ListContains:
      if (!t.ranked) {
        if (in.imm < 0 || in.imm >= 64) return B.getFalse();
        return B.CreateICmpNE(B.CreateAnd(B.CreateLShr(x, B.getInt64(in.imm)), B.getInt64(1)), B.getInt64(0));
      }
      return FromStorage(B.CreateCall(Helper("credo_jit_ranked_list", i64, {i64, i64, i64}), {B.getInt64(1), x, B.getInt64(in.imm)}),
                         Kind::Bool);
    case Op::ListFirst:
      if (!t.ranked) return B.CreateCall(Helper("credo_jit_first_codes", i64, {i64, i64}), {x, B.getInt64(in.imm)});
      return B.CreateCall(Helper("credo_jit_ranked_list", i64, {i64, i64, i64}), {B.getInt64(2), x, B.getInt64(in.imm)});
    default: {
      llvm::Value* args[3] = {x, B.getInt64(0), B.getInt64(0)};
      for (size_t k = 1; k < a.size() && k < 3; ++k) args[k] = ToStorage(a[k].v, code_[in.args[k]].type.kind);
      llvm::Value* v = B.CreateCall(Helper("credo_jit_text", i64, {i64, i64, i64, i64, i64, ptr}),
                                    {B.getInt64(in.imm), B.getInt64(rt::PackType(t)), args[0], args[1], args[2], ctx_});
      return FromStorage(v, in.type.kind);
    }
  }
}

Codegen::Pick Codegen::NextPick(std::vector<Val>& a, Pick previous) {
  llvm::Value* best_index = B.getInt64(-1);
  llvm::Value* best_value = B.getInt64(0);
  for (size_t i = 0; i < a.size(); ++i) {
    llvm::Value* s = a[i].v;
    llvm::Value* index = B.getInt64(int64_t(i));
    // Keys are (value, -index): a later index wins only with a strictly larger value.
    llvm::Value* better = B.CreateICmpSGT(s, best_value);
    if (previous.index) {
      llvm::Value* below = B.CreateOr(B.CreateICmpSLT(s, previous.value),
                                      B.CreateAnd(B.CreateICmpEQ(s, previous.value), B.CreateICmpSGT(index, previous.index)));
      better = B.CreateAnd(better, below);
    }
    best_index = B.CreateSelect(better, index, best_index);
    best_value = B.CreateSelect(better, s, best_value);
  }
  // No pick at all: later ranks find none either (every key is below "none").
  llvm::Value* none = B.CreateICmpSLT(best_index, B.getInt64(0));
  return {best_index, B.CreateSelect(none, B.getInt64(0), best_value)};
}

std::optional<Codegen::Val> Codegen::InlineTableRow(const Instr& in, std::vector<Val>& a) {
  const rt::CompiledTable& t = p_.tables[size_t(in.imm)];
  auto mode = static_cast<rt::TableMode>(in.imm2);
  bool identity = true;
  for (int32_t b = 0; b < t.rows; ++b) identity &= t.order[size_t(b)] == b;
  if (mode == rt::TableMode::Rows && !identity) return std::nullopt;
  for (const auto& col : t.columns)
    if (col.kind == rt::TableColumn::Strings) return std::nullopt;
  size_t words = size_t(t.words);
  std::vector<llvm::Value*> mask(words, nullptr);
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const rt::TableColumn& col = t.columns[c];
    llvm::Value* x = a[c].v;
    llvm::Value* seg;
    if (col.kind == rt::TableColumn::Direct) {
      seg = x->getType() == i64 ? x : B.CreateZExt(x, i64);  // a bool is i1, an enum i64 already
    } else {
      bool fl = col.kind == rt::TableColumn::Float;
      size_t k = fl ? col.fpoints.size() : col.points.size();
      std::vector<uint64_t> bits;
      for (size_t i = 0; i < k; ++i) bits.push_back(fl ? std::bit_cast<uint64_t>(col.fpoints[i]) : uint64_t(col.points[i]));
      auto less = [&](llvm::Value* p) {  // boundary p < x
        return fl ? B.CreateFCmpOLT(B.CreateBitCast(p, f64), x) : B.CreateICmpSLT(p, x);
      };
      auto equal = [&](llvm::Value* p) { return fl ? B.CreateFCmpOEQ(B.CreateBitCast(p, f64), x) : B.CreateICmpEQ(p, x); };
      if (k == 0) {
        seg = B.getInt64(0);
      } else {
        llvm::GlobalVariable* points = ConstArray(bits);
        llvm::Value* base = B.getInt64(0);
        for (size_t len = k; len > 1;) {
          size_t half = len / 2;
          llvm::Value* probe = B.CreateAdd(base, B.getInt64(int64_t(half)));
          base = B.CreateSelect(less(LoadAt(points, k, probe)), probe, base);
          len -= half;
        }
        llvm::Value* at_base = LoadAt(points, k, base);
        llvm::Value* below = B.CreateZExt(less(at_base), i64);  // lower_bound = base + below
        llvm::Value* i = B.CreateAdd(base, below);
        llvm::Value* next = LoadAt(points, k, B.CreateSelect(B.CreateICmpULT(i, B.getInt64(int64_t(k))), i, B.getInt64(int64_t(k - 1))));
        llvm::Value* eq = B.CreateAnd(B.CreateICmpULT(i, B.getInt64(int64_t(k))), equal(next));
        seg = B.CreateAdd(B.CreateShl(i, 1), B.CreateZExt(eq, i64));
      }
    }
    llvm::Value* segments = B.getInt64(col.segments);
    if (col.kind == rt::TableColumn::Direct)  // out of range counts as missing, as Segment()
      seg = B.CreateSelect(B.CreateICmpULT(seg, segments), seg, segments);
    if (a[c].ok) seg = B.CreateSelect(a[c].ok, seg, segments);
    llvm::GlobalVariable* masks = ConstArray(std::vector<uint64_t>(col.masks.begin(), col.masks.end()));
    llvm::Value* at = B.CreateMul(seg, B.getInt64(int64_t(words)));
    for (size_t w = 0; w < words; ++w) {
      llvm::Value* m = LoadAt(masks, col.masks.size(), B.CreateAdd(at, B.getInt64(int64_t(w))));
      mask[w] = mask[w] ? B.CreateAnd(mask[w], m) : m;
    }
  }
  if (t.columns.empty())
    for (size_t w = 0; w < words; ++w) {
      uint64_t all = 0;
      for (int32_t b = int32_t(w * 64); b < t.rows && b < int32_t(w * 64 + 64); ++b) all |= uint64_t(1) << (b % 64);
      mask[w] = B.getInt64(int64_t(all));
    }
  switch (mode) {
    case rt::TableMode::Count: {
      llvm::Value* n = B.getInt64(0);
      for (auto* m : mask) n = B.CreateAdd(n, Intrinsic(llvm::Intrinsic::ctpop, i64, {m}));
      return Val{n, nullptr};
    }
    case rt::TableMode::Rows: return Val{mask[0], nullptr};
    case rt::TableMode::Matched: {
      llvm::Value* any = B.getInt64(0);
      for (auto* m : mask) any = B.CreateOr(any, m);
      return Val{B.CreateICmpNE(any, B.getInt64(0)), nullptr};
    }
    case rt::TableMode::Row: break;
  }
  llvm::Value* bit = B.getInt64(-1);
  for (size_t w = words; w-- > 0;) {
    llvm::Value* low = B.CreateAdd(B.getInt64(int64_t(w * 64)), Intrinsic(llvm::Intrinsic::cttz, i64, {mask[w], B.getTrue()}));
    bit = B.CreateSelect(B.CreateICmpNE(mask[w], B.getInt64(0)), low, bit);
  }
  llvm::Value* none = B.CreateICmpSLT(bit, B.getInt64(0));
  llvm::Value* row = bit;
  if (!identity) {
    std::vector<uint64_t> order(t.order.begin(), t.order.end());
    row = LoadAt(ConstArray(order), order.size(), B.CreateSelect(none, B.getInt64(0), bit));
  }
  if (t.has_else) return Val{B.CreateSelect(none, B.getInt64(t.rows), row), nullptr};
  if (!in.type.optional) return Val{B.CreateSelect(none, B.getInt64(0), row), nullptr};
  return Val{B.CreateSelect(none, B.getInt64(0), row), B.CreateNot(none)};
}

llvm::Value* Codegen::ConstantPick(const Instr& in, llvm::Value* at) {
  std::vector<uint64_t> bits;
  for (size_t k = 1; k < in.args.size(); ++k) {
    const Instr& c = code_[in.args[k]];
    if (c.op != Op::Const || c.type.optional) return nullptr;
    bits.push_back(uint64_t(c.imm));  // as stored; a string: its constant's id
  }
  auto* type = llvm::ArrayType::get(i64, bits.size());
  auto* table = new llvm::GlobalVariable(M, type, true, llvm::GlobalValue::PrivateLinkage,
                                         llvm::ConstantDataArray::get(C, llvm::ArrayRef<uint64_t>(bits)));
  llvm::Value* v = B.CreateLoad(i64, B.CreateInBoundsGEP(type, table, {B.getInt64(0), at}));
  if (in.type.kind == Kind::String) v = B.CreateLoad(i64, B.CreateInBoundsGEP(i64, ctx_strings_, v));
  return v;
}

Codegen::Val Codegen::Table(const Instr& in, std::vector<Val>& a) {
  Kind kind = in.type.kind;
  if (in.op == Op::Pick)
    if (llvm::Value* v = ConstantPick(in, PickIndex(a))) {
      Val out{FromStorage(v, kind), in.type.optional ? (a[0].ok ? a[0].ok : B.getTrue()) : nullptr};
      if (out.ok) out.v = B.CreateSelect(out.ok, out.v, Zero(kind));
      return out;
    }
  size_t first = in.op == Op::Pick ? 1 : 0;
  for (size_t k = first; k < a.size(); ++k) {
    Kind kind = code_[in.args[k]].type.kind;
    B.CreateStore(ToStorage(a[k].v, kind), B.CreateInBoundsGEP(i64, shortfalls_, B.getInt64(int64_t(k - first))));
    llvm::Value* ok = a[k].ok ? B.CreateZExt(a[k].ok, B.getInt8Ty()) : B.getInt8(1);
    B.CreateStore(ok, B.CreateInBoundsGEP(B.getInt8Ty(), arg_ok_, B.getInt64(int64_t(k - first))));
  }
  if (in.op == Op::Pick) {
    llvm::Value* at = PickIndex(a);
    llvm::Value* v = B.CreateLoad(i64, B.CreateInBoundsGEP(i64, shortfalls_, at));
    llvm::Value* ok = B.CreateICmpNE(B.CreateLoad(B.getInt8Ty(), B.CreateInBoundsGEP(B.getInt8Ty(), arg_ok_, at)), B.getInt8(0));
    if (a[0].ok) ok = B.CreateAnd(ok, a[0].ok);
    Val out{FromStorage(v, kind), in.type.optional ? ok : nullptr};
    if (out.ok) out.v = B.CreateSelect(out.ok, out.v, Zero(kind));
    return out;
  }
  if (in.op == Op::TableRow)
    if (auto inline_row = InlineTableRow(in, a)) return *inline_row;
  llvm::Value* table = B.CreateInBoundsGEP(B.getInt8Ty(), ctx_tables_, B.getInt64(int64_t(in.imm * sizeof(rt::CompiledTable))));
  if (in.op == Op::TableRow) {
    llvm::Value* r = B.CreateCall(Helper("credo_jit_table_row", i64, {ptr, ptr, ptr, i64}),
                                  {table, shortfalls_, arg_ok_, B.getInt64(in.imm2)});
    if (kind == Kind::Bool) return {B.CreateICmpNE(r, B.getInt64(0)), nullptr};
    if (!in.type.optional) return {r, nullptr};
    llvm::Value* ok = B.CreateICmpSGE(r, B.getInt64(0));
    return {B.CreateSelect(ok, r, B.getInt64(0)), ok};
  }
  for (size_t k = 0; k < a.size(); ++k)
    B.CreateStore(ErrorOf(a[k]), B.CreateInBoundsGEP(i32, arg_err_, B.getInt64(int64_t(k))));
  llvm::Value* result = B.CreateInBoundsGEP(i32, arg_err_, B.getInt64(int64_t(a.size())));
  llvm::Value* bits = B.CreateCall(Helper("credo_jit_table_agg", i64, {ptr, i64, i64, ptr, ptr, ptr, i64, ptr}),
                                   {table, B.getInt64(in.imm2), B.getInt64(kind == Kind::Number), shortfalls_, arg_ok_,
                                    arg_err_, B.getInt64(in.site), result});
  llvm::Value* rows_error = B.CreateLoad(i32, result);
  llvm::Value* present = B.CreateICmpNE(B.CreateLoad(i32, B.CreateInBoundsGEP(i32, result, B.getInt64(1))), B.getInt32(0));
  if (err_) err_ = B.CreateSelect(B.CreateICmpNE(err_, B.getInt32(0)), err_, rows_error);
  Val out{FromStorage(bits, kind), in.type.optional ? present : nullptr};
  return out;
}

Codegen::Val Codegen::Reference(const Instr& in, std::vector<Val>& a) {
  llvm::Value* key_ok = a[0].ok ? B.CreateZExt(a[0].ok, i64) : B.getInt64(1);
  if (in.op == Op::RefFind) {
    Kind key_kind = code_[in.args[0]].type.kind;
    llvm::Value* slot = B.CreateCall(Helper("credo_jit_ref_find", i64, {ptr, i64, i64, i64}),
                                     {ctx_references_, B.getInt64(in.imm), ToStorage(a[0].v, key_kind), key_ok});
    llvm::Value* found = B.CreateICmpSGE(slot, B.getInt64(0));
    return {B.CreateSelect(found, slot, B.getInt64(0)), found};
  }
  llvm::Value* bits = B.CreateCall(Helper("credo_jit_ref_get", i64, {ptr, i64, i64, i64, i64, ptr}),
                                   {ctx_references_, B.getInt64(in.imm), B.getInt64(in.imm2), a[0].v, key_ok, arg_err_});
  llvm::Value* state = B.CreateLoad(i32, arg_err_);
  llvm::Value* valid = B.CreateICmpNE(B.CreateAnd(state, B.getInt32(1)), B.getInt32(0));
  if (err_ && in.site) {
    llvm::Value* failed = B.CreateICmpNE(B.CreateAnd(state, B.getInt32(2)), B.getInt32(0));
    err_ = B.CreateSelect(B.CreateICmpNE(err_, B.getInt32(0)), err_,
                          B.CreateSelect(failed, B.getInt32(in.site), B.getInt32(0)));
  }
  if (in.type.kind == Kind::String) bits = B.CreateSelect(valid, bits, ctx_empty_);
  Val out{FromStorage(bits, in.type.kind), in.type.optional ? valid : nullptr};
  return out;
}

}  // namespace credo::jit

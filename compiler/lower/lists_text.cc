#include "compiler/lower/lists_text.h"

#include <algorithm>

#include "runtime/core/text.h"

namespace credo::lower {
namespace {

using check::Builtin;
using ir::Instr;
using ir::Op;
using rt::Kind;
using rt::TextFn;
using rt::ValueType;

bool AnyOptional(Builder& b, const std::vector<int32_t>& regs) {
  for (int32_t r : regs)
    if (b.TypeOf(r).optional) return true;
  return false;
}

int32_t Text(Builder& b, TextFn fn, Kind result, std::vector<int32_t> args) {
  Instr in{Op::Text, {result, 0, AnyOptional(b, args)}, std::move(args)};
  in.imm = int64_t(fn);
  return b.Emit(std::move(in));
}

int32_t Concat(Builder& b, int32_t x, int32_t y) { return Text(b, TextFn::Concat, Kind::String, {x, y}); }

}  // namespace

int32_t LowerConcat(const ast::Expr& e, Builder& b) {
  int32_t x = b.Lower(*e.args[0]);
  int32_t y = b.Lower(*e.args[1]);
  return Concat(b, x, y);
}

int32_t LowerListOrText(const ast::Expr& e, Builtin id, Builder& b) {
  auto arg = [&](size_t k) { return b.Lower(*e.args[k]); };
  switch (id) {
    case Builtin::CountList: {
      int32_t list = arg(0);
      return b.Emit(Instr{Op::ListCount, {Kind::Int, 0, b.TypeOf(list).optional}, {list}});
    }
    case Builtin::ContainsCode: {
      int32_t list = arg(0);
      const ValueType& t = b.TypeOf(list);
      int64_t code = -1;  // a code of another list (possible only where the checker did not know the list's codes)
      if (t.names >= 0 && size_t(t.names) < b.Info().code_sets.size()) {
        const auto& names = b.Info().code_sets[t.names];
        auto it = std::find(names.begin(), names.end(), e.args[1]->text);
        if (it != names.end()) code = it - names.begin();
      }
      Instr in{Op::ListContains, {Kind::Bool, 0, t.optional}, {list}};
      in.imm = code;
      return b.Emit(std::move(in));
    }
    case Builtin::First: {
      int32_t list = arg(0);
      Instr in{Op::ListFirst, b.TypeOf(list), {list}};
      in.imm = e.args[1]->int_value;
      return b.Emit(std::move(in));
    }
    case Builtin::Join: {
      int32_t list = arg(0), sep = arg(1);
      return Text(b, TextFn::Join, Kind::String, {list, sep});
    }
    case Builtin::Length: return Text(b, TextFn::Length, Kind::Int, {arg(0)});
    case Builtin::Upper: return Text(b, TextFn::Upper, Kind::String, {arg(0)});
    case Builtin::Lower: return Text(b, TextFn::Lower, Kind::String, {arg(0)});
    case Builtin::Trim: return Text(b, TextFn::Trim, Kind::String, {arg(0)});
    case Builtin::StartsWith: return Text(b, TextFn::StartsWith, Kind::Bool, {arg(0), arg(1)});
    case Builtin::EndsWith: return Text(b, TextFn::EndsWith, Kind::Bool, {arg(0), arg(1)});
    case Builtin::Contains: return Text(b, TextFn::Contains, Kind::Bool, {arg(0), arg(1)});
    case Builtin::Substring: {
      int32_t s = arg(0), start = arg(1), count = arg(2);
      return Text(b, TextFn::Substring, Kind::String, {s, start, count});
    }
    case Builtin::Concat: {
      int32_t acc = arg(0);
      for (size_t k = 1; k < e.args.size(); ++k) acc = Concat(b, acc, arg(k));
      return acc;
    }
    case Builtin::Text: return Text(b, TextFn::Format, Kind::String, {arg(0)});
    default: break;
  }
  return -1;
}

}  // namespace credo::lower

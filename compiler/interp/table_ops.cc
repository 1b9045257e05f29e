// table_ops.cc — TableRow, Pick and TableAgg in the interpreter: column at a time (each input
// column's segments for the whole batch, then one mask AND per column), the reference
// semantics of ir.h.
#include "compiler/interp/table_ops.h"

#include <bit>
#include <vector>

namespace credo::interp {

namespace {

bool Ok(const uint8_t* ok, size_t i) { return !ok || ok[i]; }

// The matching rows of each record (n · words, bit order), from the table's input columns.
void Masks(const rt::CompiledTable& t, const ir::Instr& in, size_t n, const int64_t* const* v, const uint8_t* const* ok,
           std::vector<uint64_t>& masks) {
  size_t words = size_t(t.words);
  masks.assign(n * words, ~uint64_t(0));
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const rt::TableColumn& col = t.columns[c];
    const int64_t* x = v[in.args[c]];
    const uint8_t* valid = ok[in.args[c]];
    for (size_t i = 0; i < n; ++i) {
      const uint64_t* m = col.masks.data() + size_t(col.Segment(x[i], Ok(valid, i))) * words;
      for (size_t w = 0; w < words; ++w) masks[i * words + w] &= m[w];
    }
  }
}

// The first error among the first `count` operands, per record.
void InputErrors(const ir::Instr& in, size_t count, size_t n, const int32_t* const* err, int32_t* out) {
  for (size_t i = 0; i < n; ++i) out[i] = 0;
  for (size_t k = count; k-- > 0;)
    if (const int32_t* e = err[in.args[k]])
      for (size_t i = 0; i < n; ++i) out[i] = e[i] ? e[i] : out[i];
}

}  // namespace

void RunTableOp(const ir::Program& p, const ir::Instr& in, size_t n, const int64_t* const* v, const uint8_t* const* ok,
                const int32_t* const* err, int64_t* out, uint8_t* out_ok, int32_t* out_err, int64_t missing_bits) {
  if (in.op == ir::Op::Pick) {
    const int64_t* index = v[in.args[0]];
    const uint8_t* index_ok = ok[in.args[0]];
    size_t k = in.args.size() - 1;
    for (size_t i = 0; i < n; ++i) {
      bool present = Ok(index_ok, i) && index[i] >= 0 && size_t(index[i]) < k;
      int32_t arg = in.args[1 + (present ? size_t(index[i]) : 0)];
      present = present && Ok(ok[arg], i);
      out[i] = present ? v[arg][i] : missing_bits;
      if (out_ok) out_ok[i] = present;
      if (out_err) {
        const int32_t* ei = err[in.args[0]];
        out_err[i] = ei && ei[i] ? ei[i] : Ok(index_ok, i) && err[arg] ? err[arg][i] : 0;
      }
    }
    return;
  }
  const rt::CompiledTable& t = p.tables[size_t(in.imm)];
  size_t cols = t.columns.size(), words = size_t(t.words);
  std::vector<uint64_t> masks;
  Masks(t, in, n, v, ok, masks);
  if (out_err) InputErrors(in, cols, n, err, out_err);
  if (in.op == ir::Op::TableRow) {
    for (size_t i = 0; i < n; ++i) {
      const uint64_t* m = &masks[i * words];
      int64_t r = 0;
      bool present = true;
      switch (static_cast<rt::TableMode>(in.imm2)) {
        case rt::TableMode::Row: {
          int32_t row = t.Chosen(m);
          r = row >= 0 ? row : t.has_else ? t.rows : -1;
          present = r >= 0;
          if (!present) r = 0;
          break;
        }
        case rt::TableMode::Count: r = t.Count(m); break;
        case rt::TableMode::Rows: r = int64_t(t.Rows(m)); break;
        case rt::TableMode::Matched: r = t.Chosen(m) >= 0; break;
      }
      out[i] = r;
      if (out_ok) out_ok[i] = present;
    }
    return;
  }
  // TableAgg
  size_t values = size_t(t.rows) + t.has_else;
  std::vector<int64_t> vals(values);
  std::vector<uint8_t> vals_ok(values);
  std::vector<int32_t> vals_err(values);
  auto kind = static_cast<rt::TableAggKind>(in.imm2);
  bool number = in.type.kind == rt::Kind::Number;
  std::vector<int64_t> inputs(cols);
  std::vector<uint8_t> present(cols);
  for (size_t i = 0; i < n; ++i) {
    for (size_t c = 0; c < cols; ++c) {
      inputs[c] = v[in.args[c]][i];
      present[c] = Ok(ok[in.args[c]], i);
    }
    for (size_t r = 0; r < values; ++r) {
      int32_t arg = in.args[cols + r];
      vals[r] = v[arg][i];
      vals_ok[r] = Ok(ok[arg], i);
      vals_err[r] = err[arg] ? err[arg][i] : 0;
    }
    rt::AggResult a = rt::TableAgg(t, kind, number, inputs.data(), present.data(), vals.data(), vals_ok.data(), vals_err.data());
    out[i] = a.present ? a.value : 0;
    if (out_ok) out_ok[i] = a.present;
    if (out_err && out_err[i] == 0) out_err[i] = a.error ? a.error : a.overflow ? in.site : 0;
  }
}

}  // namespace credo::interp

// read_results.h — the test's reader of what credo_evaluate_arrow returns: cells as the text
// `credo run` writes ("" for null), and the four result structs released when they go.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include <credo/credo.h>

#include "runtime/core/decimal.h"
#include "runtime/core/text.h"

namespace cabi_test {

struct Results {
  credo_status status = CREDO_ERROR_INTERNAL;
  ArrowSchema out_schema{}, rejects_schema{};
  ArrowArray out{}, rejects{};
  Results() = default;
  Results(const Results&) = delete;
  ~Results() {
    if (out.release) out.release(&out);
    if (rejects.release) rejects.release(&rejects);
    if (out_schema.release) out_schema.release(&out_schema);
    if (rejects_schema.release) rejects_schema.release(&rejects_schema);
  }
  // The child named `name` of the outputs (or, with `of_rejects`, the rejects), or -1.
  int64_t Column(const char* name, bool of_rejects = false) const {
    const ArrowSchema& s = of_rejects ? rejects_schema : out_schema;
    for (int64_t c = 0; c < s.n_children; ++c)
      if (std::strcmp(s.children[c]->name, name) == 0) return c;
    return -1;
  }
};

inline void Evaluate(const credo_policy* policy, const ArrowSchema* schema, const ArrowArray* array, unsigned threads,
                     Results& res) {
  res.status = credo_evaluate_arrow(policy, schema, array, &res.out_schema, &res.out, &res.rejects_schema,
                                    &res.rejects, threads);
}

inline bool Bit(const void* bits, int64_t i) { return (static_cast<const uint8_t*>(bits)[i / 8] >> (i % 8)) & 1; }

inline bool IsNull(const ArrowArray* a, int64_t row) { return a->buffers[0] && !Bit(a->buffers[0], a->offset + row); }

// One cell as `credo run` writes it: "" when null.
inline std::string Cell(const ArrowSchema* s, const ArrowArray* a, int64_t row) {
  if (IsNull(a, row)) return "";
  int64_t i = a->offset + row;
  std::string f = s->format, text;
  auto load = [&](size_t width) {
    int64_t v = 0;
    std::memcpy(&v, static_cast<const char*>(a->buffers[1]) + i * int64_t(width), width < 8 ? width : 8);
    if (width == 4) v = int32_t(v);
    return v;
  };
  if (f == "l") credo::rt::AppendInteger(text, load(8));
  else if (f == "tdD") credo::rt::AppendDate(text, load(4));
  else if (f == "b") text = Bit(a->buffers[1], i) ? "true" : "false";
  else if (f == "g") {
    double d;
    std::memcpy(&d, static_cast<const char*>(a->buffers[1]) + i * 8, 8);
    credo::rt::AppendNumber(text, d);
  } else if (f.starts_with("d:")) {
    __int128 v;
    std::memcpy(&v, static_cast<const char*>(a->buffers[1]) + i * 16, 16);
    credo::rt::AppendDecimal(text, int64_t(v), std::stoi(f.substr(f.find(',') + 1)));
  } else if (f == "u") {
    const int32_t* offsets = static_cast<const int32_t*>(a->buffers[1]);
    text.assign(static_cast<const char*>(a->buffers[2]) + offsets[i], size_t(offsets[i + 1] - offsets[i]));
  } else {
    text = "?" + f;
  }
  return text;
}

}  // namespace cabi_test

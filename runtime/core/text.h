// text.h — values as text, lists of codes and the text functions: one implementation that both
// engines call (the interpreter per lane, the JIT through extern "C" wrappers), so they agree.
//
// ## Lists of codes (Kind::Codes)
// A list is a uint64 in one of two static layouts, told apart by ValueType::ranked:
// - a *set* list (rule set `.codes`, `warnings`, a table's `.rows`): bit k set = code k of the
//   code set PolicyInfo::code_sets[names] is in the list; its order is the code set's order
//   (the written order). At most 64 codes in the code set.
// - a *ranked* list (a scorecard's `.reasons`): byte i (bits 8i .. 8i+7) holds 1 + the index in
//   the code set of the list's (i+1)-th entry, 0 = no entry; the entries fill bytes 0, 1, ...
//   without a gap. At most kMaxRanked entries, code sets of at most 255 codes.
// Both are plain 64-bit values: no allocation, and every list function below is branch-free.
//
// ## Text
// A string is UTF-8 bytes (the input is not validated). Characters are code points: a character
// starts at the first byte and at every later byte that does not have the form 10xxxxxx (so in
// text that is not UTF-8 a stray continuation byte joins the character before it). Case mapping is ASCII only (a-z ↔ A-Z); trim removes ASCII
// white space (space, tab, LF, VT, FF, CR). Computed strings are allocated in the StringArena of
// the TextEnv: the state batch's (record program) or the evaluator's (group program).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/core/batch.h"

namespace credo::rt {

constexpr int kMaxRanked = 8;

// ---- lists ----------------------------------------------------------------------------------------
int64_t ListCount(uint64_t list, bool ranked);
bool ListContains(uint64_t list, bool ranked, int64_t code);  // code: index in the code set
uint64_t ListFirst(uint64_t list, bool ranked, int64_t n);   // n >= 0
// A ranked list whose entries are `codes[0..n)` (indices in the code set), n <= kMaxRanked.
uint64_t RankedList(const int* codes, int n);
// Appends the list's codes, in the list's order, separated by `sep`.
void AppendCodes(const std::vector<std::string>& names, uint64_t list, bool ranked, std::string_view sep,
                 std::string& out);

// ---- values as text ----------------------------------------------------------------------------
// Appends a value as the output file prints it (nothing for a missing one).
void AppendValue(const PolicyInfo& info, const ValueType& type, int64_t value, bool valid, std::string& out);
void AppendDate(std::string& out, int64_t days);

// ---- text functions -----------------------------------------------------------------------------
enum class TextFn : uint8_t {
  Length,      // a → int: characters
  Upper,       // a → string
  Lower,       // a → string
  Trim,        // a → string
  StartsWith,  // a, b → bool
  EndsWith,    // a, b → bool
  Contains,    // a, b → bool
  Substring,   // a, start b, count c → string (see Substring)
  Concat,      // a, b → string
  Join,        // list a, separator b → string (type = the list's)
  Format,      // a → string: as the output prints it (type = a's)
};

struct TextEnv {
  StringArena* arena;
  const PolicyInfo* info;
};

// Arenas for strings the group program computes: one per group pass and thread, kept as long as
// the evaluator (group values are written into several batches' state, by several threads).
class ArenaPool {
 public:
  StringArena* New() {
    std::lock_guard<std::mutex> lock(mutex_);
    arenas_.push_back(std::make_unique<StringArena>());
    return arenas_.back().get();
  }
 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<StringArena>> arenas_;
};

int64_t Utf8Length(std::string_view s);
// The characters at positions p (1-based) with start <= p < start + count that exist: SQL's
// SUBSTRING(s FROM start FOR count). count <= 0 gives "".
std::string_view Substring(std::string_view s, int64_t start, int64_t count);

// Computes fn over operand bits (Str bits for strings); `type` is the first operand's value type.
// A zero string operand reads as "". The result is value bits (Str bits for a string result).
int64_t Text(TextFn fn, const ValueType& type, int64_t a, int64_t b, int64_t c, const TextEnv& env);

// ValueType packed into 64 bits and back (for the JIT's helper calls).
inline int64_t PackType(const ValueType& t) {
  return int64_t(uint8_t(t.kind)) | int64_t(uint8_t(t.scale)) << 8 | int64_t(uint16_t(t.names)) << 16 |
         int64_t(t.ranked) << 32 | int64_t(t.optional) << 33;
}
inline ValueType UnpackType(int64_t bits) {
  ValueType t;
  t.kind = Kind(bits & 0xFF);
  t.scale = int8_t(bits >> 8 & 0xFF);
  t.names = int16_t(bits >> 16 & 0xFFFF);
  t.ranked = bits >> 32 & 1;
  t.optional = bits >> 33 & 1;
  return t;
}

}  // namespace credo::rt

// reject_text.h — the kinds of reject whose reason a policy may name (`rejects { KIND => "TEXT" }`),
// their placeholders and today's words, shared by the checker, lowering and the runner.
//
// A text is written as given, with its kind's placeholder (`{field}`, `{check}`, `{name}` or
// `{count}`) replaced by the reject's subject: the field, the check's own `else` text, the value
// whose computation failed, or the number of fields the row has. The default texts are the
// reasons credo writes without a rejects block (docs/language.md, "Which reason a bad row gets").
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace credo::rt {

enum class RejectKind : unsigned char {
  BadQuote, FieldCount, Missing, Unparsable, NotInList, OutOfRange, Inconsistent, Duplicate, Overflow, DateRange,
};
inline constexpr size_t kRejectKinds = 10;

struct RejectKindInfo {
  std::string_view name;         // as written in the rejects block
  std::string_view placeholder;  // "" when the kind has none
  std::string_view fallback;     // today's words
};

inline constexpr std::array<RejectKindInfo, kRejectKinds> kRejectKindInfo = {{
    {"bad_quote", "", "bad_quote"},
    {"field_count", "count", "column_count:{count}"},
    {"missing", "field", "missing:{field}"},
    {"unparsable", "field", "unparsable:{field}"},
    {"not_in_list", "field", "unknown:{field}"},
    {"out_of_range", "field", "out_of_range:{field}"},
    {"inconsistent", "check", "{check}"},
    {"duplicate", "field", "duplicate:{field}"},
    {"overflow", "name", "overflow:{name}"},
    {"date_range", "name", "date_range:{name}"},
}};

// The texts of one policy, one per kind.
struct RejectTexts {
  std::array<std::string, kRejectKinds> text;
  RejectTexts() {
    for (size_t k = 0; k < kRejectKinds; ++k) text[k] = std::string(kRejectKindInfo[k].fallback);
  }
  // The reason for a reject of `kind` about `subject`.
  std::string Format(RejectKind kind, std::string_view subject) const {
    const std::string& t = text[size_t(kind)];
    std::string_view ph = kRejectKindInfo[size_t(kind)].placeholder;
    std::string out;
    for (size_t i = 0; i < t.size();) {
      if (!ph.empty() && t[i] == '{' && t.compare(i + 1, ph.size(), ph) == 0 && i + 1 + ph.size() < t.size() &&
          t[i + 1 + ph.size()] == '}') {
        out += subject;
        i += ph.size() + 2;
      } else {
        out += t[i++];
      }
    }
    return out;
  }
};

}  // namespace credo::rt

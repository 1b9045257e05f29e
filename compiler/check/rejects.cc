// rejects.cc — the rejects block: the reason text a policy writes for each kind of reject
// (runtime/core/reject_text.h lists the kinds, their placeholders and the default texts).
#include "compiler/check/checker_impl.h"

#include <fmt/format.h>

#include "runtime/core/reject_text.h"

namespace credo::check {

void Checker::CheckRejects() {
  for (size_t i = 1; i < policy_.rejects.size(); ++i)
    DuplicateBlock(policy_.rejects[i].span, policy_.rejects[0].span, "rejects", "give every kind's text in one rejects block");
  if (policy_.rejects.empty()) return;
  std::vector<std::string> kinds;
  for (const auto& k : rt::kRejectKindInfo) kinds.emplace_back(k.name);
  std::map<std::string, Span> seen;
  for (const auto& t : policy_.rejects[0].texts) {
    size_t kind = 0;
    while (kind < rt::kRejectKindInfo.size() && rt::kRejectKindInfo[kind].name != t.kind.text) ++kind;
    if (kind == rt::kRejectKindInfo.size()) {
      // Today's words name some kinds differently.
      static const std::map<std::string, std::string> kToday = {
          {"unknown", "the reason `unknown:<field>` (an enum value not in its list) is the kind `not_in_list`"},
          {"column_count", "the reason `column_count:<n>` is the kind `field_count`"},
          {"check", "a failed input `check` is the kind `inconsistent`"},
          {"where", "a failed `where` without `else` is the kind `out_of_range`"}};
      auto today = kToday.find(t.kind.text);
      diags_.Report(DiagKind::UnknownRejectKind, t.kind.span, fmt::format("'{}' is not a kind of reject", t.kind.text),
                    today != kToday.end() ? today->second : SuggestOrList(t.kind.text, kinds, "the kinds are"));
      continue;
    }
    if (auto it = seen.find(t.kind.text); it != seen.end()) {
      diags_.Report(DiagKind::DuplicateRejectKind, t.kind.span, fmt::format("'{}' already has a text", t.kind.text),
                    "give each kind one text")
          .notes.push_back({it->second, "first given here"});
      continue;
    }
    seen[t.kind.text] = t.kind.span;
    std::string_view placeholder = rt::kRejectKindInfo[kind].placeholder;
    std::string has = placeholder.empty() ? fmt::format("`{}` has no placeholder", t.kind.text)
                                          : fmt::format("the placeholder of `{}` is {{{}}}", t.kind.text, placeholder);
    if (t.text.empty()) {
      diags_.Report(DiagKind::BadRejectText, t.text_span, fmt::format("the reason for '{}' is empty", t.kind.text),
                    fmt::format("a reject needs a reason downstream systems can read, e.g. \"R01\"; {}", has));
      continue;
    }
    // Braces are for the placeholder only.
    for (size_t at = t.text.find('{'); at != std::string::npos; at = t.text.find('{', at + 1)) {
      size_t close = t.text.find('}', at);
      std::string found = t.text.substr(at, close == std::string::npos ? std::string::npos : close - at + 1);
      if (close != std::string::npos && found.substr(1, found.size() - 2) == placeholder) continue;
      // Point at the placeholder in the source text when it is written there as is.
      Span span = t.text_span;
      std::string_view source = source_text(t.text_span);
      if (size_t in = source.find(found); in != std::string_view::npos)
        span = {t.text_span.begin + uint32_t(in), t.text_span.begin + uint32_t(in + found.size())};
      diags_.Report(DiagKind::BadRejectText, span,
                    close == std::string::npos
                        ? fmt::format("'{{' in the reason for '{}' opens no placeholder", t.kind.text)
                        : fmt::format("{} is not a placeholder of '{}'", found, t.kind.text),
                    has + " (braces are only for it)");
      break;
    }
  }
}

}  // namespace credo::check

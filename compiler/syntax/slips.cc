#include "compiler/syntax/slips.h"

#include <fmt/format.h>

namespace credo {

namespace {

struct Slip {
  std::string_view op;
  const char* meant;
};
constexpr Slip kSlips[] = {{"=", "=="}, {"<>", "!="}, {"!", "not"}, {"&&", "and"}, {"||", "or"}};

// `left meant right` as the author would write it, or empty when the operands are long.
std::string Example(std::string_view left, const char* meant, std::string_view right) {
  constexpr size_t kShortEnough = 60;
  if (left.size() + right.size() > kShortEnough) return "";
  if (left.find('\n') != std::string_view::npos || right.find('\n') != std::string_view::npos) return "";
  if (left.empty()) return fmt::format("`{} {}`", meant, right);
  return fmt::format("`{} {} {}`", left, meant, right);
}

}  // namespace

const char* SlipMeaning(std::string_view op) {
  for (const Slip& s : kSlips)
    if (s.op == op) return s.meant;
  return nullptr;
}

void ReportSlip(Diagnostics& diags, Span span, std::string_view op, std::string_view left, std::string_view right) {
  const char* meant = SlipMeaning(op);
  if (!meant) return;
  std::string example = Example(left, meant, right);
  if (op == "=") {
    diags.Report(DiagKind::SingleEquals, span, "`=` does not compare: a comparison is written `==`",
                 example.empty() ? "write `==` to compare; a single `=` only names a value (let x = ...)"
                                 : "write `==` to compare: " + example);
    return;
  }
  diags.Report(DiagKind::ForeignOperator, span, fmt::format("`{}` is not a credo operator", op),
               fmt::format("credo writes `{}`{}", meant, example.empty() ? "" : ": " + example));
}

}  // namespace credo

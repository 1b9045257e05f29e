#include "compiler/check/partial.h"

#include "compiler/check/checker.h"

namespace credo::check {
namespace {

// A finding about the policy as a whole, which the declarations left out may make untrue.
bool AboutTheWhole(DiagKind kind) {
  switch (kind) {
    case DiagKind::InputDeclaration:
    case DiagKind::MissingOutput:
    case DiagKind::GroupOutputWithoutGroup:
    case DiagKind::UnusedValue:
    case DiagKind::UnusedFunction: return true;
    default: return false;
  }
}

// A name that was not found: the diagnostic's span is the name.
bool AboutAnUnknownName(DiagKind kind) {
  switch (kind) {
    case DiagKind::UnknownName:
    case DiagKind::UnknownType:
    case DiagKind::UnknownMember:
    case DiagKind::UnknownFunction:
    case DiagKind::UnknownEnumValue:
    case DiagKind::UnknownCode: return true;
    default: return false;
  }
}

}  // namespace

void CheckPartial(std::unique_ptr<ast::Policy> policy, const SourceFile& source,
                  const std::set<std::string>& broken_words, Diagnostics& diags) {
  Diagnostics found;
  Check(std::move(policy), source, found);
  for (const Diagnostic& d : found.all()) {
    if (AboutTheWhole(d.kind)) continue;
    if (AboutAnUnknownName(d.kind) && broken_words.count(std::string(source.Slice(d.span)))) continue;
    diags.Report(d.kind, d.span, d.message, d.hint).notes = d.notes;
  }
}

}  // namespace credo::check

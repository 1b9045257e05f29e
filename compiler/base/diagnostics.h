// diagnostics.h — user-facing findings about a policy: a stable code, a position, a message and
// a hint. Stages collect them in a Diagnostics sink; the driver renders them all at the end,
// sorted by position, so an author sees every mistake of a run at once.
#pragma once

#include <string>
#include <vector>

#include "compiler/base/source.h"

namespace credo {

enum class Severity { Error, Warning };

// Every kind of diagnostic, with its stable code (see diagnostic_kinds.def).
enum class DiagKind {
#define CREDO_DIAG(code, severity, name, summary) name,
#include "compiler/base/diagnostic_kinds.def"
#undef CREDO_DIAG
};

struct DiagKindInfo {
  const char* code;      // "E0101"
  Severity severity;
  const char* name;      // "UnknownName"
  const char* summary;   // one line for docs/diagnostics.md
};
const DiagKindInfo& Info(DiagKind kind);
const std::vector<DiagKindInfo>& AllDiagKinds();

struct Note {
  Span span;
  std::string message;
};

struct Diagnostic {
  DiagKind kind;
  Span span;
  std::string message;
  std::string hint;         // may be empty
  std::vector<Note> notes;  // extra labelled places
};

// Appends the source line of `span` with a caret run under it, as Render shows it (also used
// for the errors of other files credo reads, such as test files).
void RenderSnippet(std::string& out, const SourceFile& sources, Span span, const std::string& label);

class Diagnostics {
 public:
  Diagnostic& Report(DiagKind kind, Span span, std::string message, std::string hint = {});
  bool has_errors() const;
  size_t error_count() const;
  const std::vector<Diagnostic>& all() const { return items_; }
  // Renders every diagnostic, sorted by position: `file:line:col: error[CODE]: message`, the
  // source line, a caret span, the hint and notes.
  std::string Render(const SourceFile& source) const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace credo

#include "compiler/format/format.h"

#include "compiler/format/lines.h"
#include "compiler/format/render.h"
#include "compiler/format/tokens.h"
#include "compiler/syntax/parser.h"

namespace credo {
namespace {

// Whether two texts have the same tokens and comments: the formatter changes only whitespace.
bool SameTokens(const std::vector<format::Token>& a, const std::vector<format::Token>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || a[i].text != b[i].text) return false;
  return true;
}

}  // namespace

std::optional<std::string> FormatSource(const SourceFile& source, Diagnostics& diags) {
  if (!Parse(source, diags)) return std::nullopt;
  std::vector<format::Token> tokens = format::Tokenize(source.text());
  format::Structure structure = format::BuildLines(tokens);
  format::AssignStops(tokens, structure);
  std::string text = format::Render(tokens, structure);
  // A layout that lost or merged a token would be a bug in the formatter; the author's text is
  // then returned as it is rather than changed in meaning.
  if (!SameTokens(tokens, format::Tokenize(text))) return source.text();
  return text;
}

}  // namespace credo

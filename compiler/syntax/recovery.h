// recovery.h — after syntax errors: which declarations parsed cleanly and are safe to check,
// which syntax errors to show, and the words written in the broken parts (so that the checker
// does not report a name declared there as unknown). Internal to the parser: ANTLR's tree and
// tokens stay in compiler/syntax.
//
// The file is cut into parts at the first token of each declaration ANTLR parsed: the header
// is everything before the first declaration (and that token), each declaration everything
// after its first token up to and including the next one's first token. A syntax error belongs
// to the part its offending token is in, so an error that ANTLR reports at the start of the
// next declaration (a missing `}`) belongs to the one it was parsing. A declaration is trusted
// when its part has no error, its parse tree holds no error node and no recovered exception,
// it starts a line, and it starts outside every `{ }` as the raw tokens nest them (so ANTLR
// recovery that resumed inside a block is never taken for a declaration).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "CredoParser.h"
#include "antlr4-runtime.h"

namespace credo {

struct Recovery {
  std::vector<bool> trusted;           // per declaration of the tree, in order
  bool header_broken = false;          // an error before the first declaration
  bool import_broken = false;          // `import` written in a broken part: its names are unknown
  std::set<std::string> broken_words;  // every name-like token of the broken parts
  std::vector<size_t> shown;           // errors to show: the first of each part (indexes into errors)
};

// `errors`: the offending token index of each syntax error, in the order ANTLR reported them.
Recovery Recover(credo_gen::CredoParser::PolicyContext& tree, antlr4::CommonTokenStream& tokens,
                 const std::vector<size_t>& errors);

}  // namespace credo

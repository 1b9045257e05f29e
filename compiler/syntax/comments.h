// comments.h — the comments of a source file. The grammar skips them, so the parser never sees
// them; the tools that keep or show them (fmt, doc, lsp hover) read them here.
#pragma once

#include <string>
#include <vector>

#include "compiler/base/source.h"

namespace credo {

struct Comment {
  Span span;          // the whole comment, `//` or `/*` included (offsets as in the file's spans)
  std::string text;   // the comment as written
  bool block = false; // `/* ... */`
  bool own_line = false;  // nothing but blanks before it on its line
};

// Every comment of `source` (only that file, not its attached imports), in order. A `//` or
// `/*` inside a string literal is not a comment.
std::vector<Comment> LexComments(const SourceFile& source);

// The doc comment of a declaration that starts at offset `decl`: the `//` comment lines alone on
// their lines directly above it (no blank line between), each without its `//` and one space,
// joined by '\n'; "" when there is none.
std::string DocComment(const SourceFile& source, const std::vector<Comment>& comments, uint32_t decl);

}  // namespace credo

// doc.h — `credo doc`: a checked policy as a document for sign-off, in Markdown or as one
// self-contained HTML page. Expressions are shown as the author wrote them (source slices, not
// re-printed), with the author's comments where they were written.
#pragma once

#include <cstdint>
#include <string>

#include "compiler/base/source.h"
#include "compiler/check/checker.h"
#include "compiler/doc/model.h"

namespace credo::doc {

// The document of `policy`, checked clean from `source`; `hash` is its program's ir::Hash (the
// identity of the compiled policy: what `credo check --dump=ir` prints is hashed).
Document Collect(const check::CheckedPolicy& policy, const SourceFile& source, uint64_t hash);

// GitHub-flavoured Markdown.
std::string RenderMarkdown(const Document& document);
// One HTML5 page: inline CSS (screen and print), no script, nothing fetched.
std::string RenderHtml(const Document& document);

}  // namespace credo::doc

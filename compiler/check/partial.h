// partial.h — checking what parsed when part of a policy did not (compiler/syntax/parser.h,
// ParseForCheck): the semantic errors of the declarations outside the broken ones, without the
// cascade that the broken ones' absence would cause.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/base/diagnostics.h"

namespace credo::check {

// Checks `policy` (the declarations that parsed) and reports what the checker finds, except
// what may only follow from the declarations left out: an unknown name, type, member, enum value
// or code spelled like a word of `broken_words` (it may be declared there), a missing input or
// output block, a per-group output without its group block, and unused values and functions
// (the broken part may use them). Never returns a checked policy: a policy with a syntax error
// does not run.
void CheckPartial(std::unique_ptr<ast::Policy> policy, const SourceFile& source,
                  const std::set<std::string>& broken_words, Diagnostics& diags);

}  // namespace credo::check

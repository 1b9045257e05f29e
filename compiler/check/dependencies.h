// dependencies.h — the order in which the checker resolves record-level symbols. A policy may
// declare its values in any order, and a value's type needs the types of those it names; found
// by recursion, a chain of thousands of `let`s declared last-first would overflow the stack.
// This orders them without recursion, so that checking a value never has to check another first.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/check/checker.h"

namespace credo::check {

struct DependencyOrder {
  // Symbols that reach no cycle, each after every symbol its declaration names.
  std::vector<int> acyclic;
  // Per symbol: it is on a cycle or names one that reaches a cycle (checked in declaration
  // order, where the cycle is reported).
  std::vector<bool> reaches_cycle;
};

// `names` maps a record-scope name to its symbol.
DependencyOrder OrderByDependencies(const ast::Policy& policy, const std::vector<Symbol>& symbols,
                                    const std::map<std::string, int>& names);

}  // namespace credo::check

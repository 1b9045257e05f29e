// gen_reuse.h — the policy generator's consts and user functions (docs/language.md,
// "Constants" and "Functions"): random constant expressions over literals and earlier consts,
// and pure functions over their parameters (optional ones too), consts and earlier functions.
// The main generator (policy_gen_declarations.cc) uses the consts as atoms and calls the
// functions with arguments of its own; the bodies exercise inlining: conversions of int
// arguments, `??` on optional parameters, `is present` narrowing, missing results, overflow.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "policy_gen.h"

namespace credo::diff {

struct ReuseType {
  enum Base : uint8_t { Int, Money, Number, Bool } base = Int;
  bool optional = false;
};

struct ReuseConst {
  std::string name;
  ReuseType type;  // never optional
};

struct ReuseFunction {
  std::string name;
  std::vector<ReuseType> params;
  ReuseType result;
};

struct ReuseDecls {
  std::string text;  // the declarations, one a line
  std::vector<ReuseConst> consts;
  std::vector<ReuseFunction> functions;
  std::vector<std::pair<int64_t, int>> literals;  // numeric literals used: (scaled value, scale)
};

// Between one and three consts and up to three functions, named with `prefix` and a number.
ReuseDecls GenerateReuse(Rng& r, const std::string& prefix);

}  // namespace credo::diff

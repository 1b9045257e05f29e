// gen_lists.h — the policy generator's lists of codes and text expressions (policy_gen_impl.h hooks
// them in): count/contains/first/join over the policy's lists, the text functions, `+`,
// concat and text(x), with operands from the main generator.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "policy_gen.h"

namespace credo::diff {

struct GenText {
  std::string s;
  bool opt = false;  // may be missing
};

// A list the policy has: its expression, the codes it can hold, whether it is ranked.
struct ListSource {
  std::string text;
  std::vector<std::string> codes;
};

struct ListGenHost {
  Rng& r;
  const std::vector<ListSource>& lists;
  std::function<GenText(int)> str;      // a string expression of depth d
  std::function<GenText(int)> integer;  // an int expression of depth d
  std::function<GenText(int)> any;      // an expression of any type, for text(x)
};

// An expression of the kind asked for, or "" (s empty) when none fits.
GenText GenListOrTextInt(ListGenHost& h, int d);
GenText GenListOrTextBool(ListGenHost& h, int d);
GenText GenListOrTextStr(ListGenHost& h, int d);

}  // namespace credo::diff

// gen_outputs.h — policy_gen's part for several outputs (issue 10, item 8): per-group outputs
// (`output NAME per group [order by ...] { ... }`) over the generated group block.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "policy_gen.h"

namespace credo::diff {

// What the policy generator supplies: values that are the same for every member of a group.
struct GroupOutputParts {
  std::string key;                          // the group key field
  std::vector<std::string> uniform_lets;    // group lets computed from aggregates only
  std::function<std::string()> aggregate;   // a fresh aggregate call over the members' values
  std::function<std::string(const char*)> fresh;  // a fresh name with this prefix
};

// One or two per-group outputs, each with a few columns and a random `order by`.
std::string GenGroupOutputs(Rng& r, const GroupOutputParts& parts);

// A `rejects` block (issue 10, item 7) giving some kinds their own text, with or without the
// kind's placeholder (some texts need CSV quoting in the rejects file).
std::string GenRejects(Rng& r);

}  // namespace credo::diff

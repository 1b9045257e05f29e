// gen_references.h — reference data for generated policies (docs/language.md, "Reference data"):
// a `many` reference and a one-row-per-key reference keyed by a string, their CSV files (keys
// from the values the records use, some unknown ones, duplicates, bad rows), and values that
// look them up: sums, counts, min_of / max_of, fields, `in`.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "policy_gen.h"

namespace credo::diff {

struct RefValue {
  std::string expr;
  enum Kind { Amount, Int, Number, Bool } kind;
  bool optional;
};

struct GeneratedReferences {
  std::string declarations;
  std::vector<RefValue> values;
  std::vector<std::pair<std::string, std::string>> files;  // reference name → CSV text
};

// `keys`: string fields of the input (name, may be missing); `key_values`: texts the records use.
// `id` numbers the references apart. Amounts are declared `amount_type` (decimal(2)).
GeneratedReferences GenReferences(Rng& r, const std::vector<std::pair<std::string, bool>>& keys,
                                  const std::vector<std::string>& key_values, int id, const char* amount_type);

}  // namespace credo::diff

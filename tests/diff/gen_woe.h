// gen_woe.h — the policy generator's scaled (WOE) scorecards, math calls and rounding modes
// (docs/language.md "Scaled scorecards", "Built-in functions", "Limits: min, max and rounding").
// policy_gen_scorecards.cc and policy_gen_values.cc call these with the parts they own (codes,
// subjects, bins).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "policy_gen.h"

namespace credo::diff {

// One characteristic as the policy generator makes it: code, subject text, and its bins given a
// generator of bin values.
struct WoeCharacteristic {
  std::string code, subject;
  std::function<std::string(const std::function<std::string()>& value)> bins;
};

struct WoeScorecard {
  std::string text;         // the declaration
  bool number_score = false;   // `rounding none`: .score is a number
  bool number_points = false;  // `rounding total` or `none`: .CODE is a number
  int ranks = 0;               // reason ranks that exist
};

// A scaled scorecard NAME: random scaling (now and then one whose odds overflow), intercept,
// rounding, reasons, weights and WOE values, with ties in WOE and shortfalls now and then.
WoeScorecard GenWoeScorecard(Rng& r, const std::string& name, const std::vector<WoeCharacteristic>& chars);

// A rounding-mode word for round(x, unit, MODE).
const char* RoundModeWord(Rng& r);

}  // namespace credo::diff

#include "compiler/testing/results.h"

namespace credo::testing {

size_t Report::passed() const {
  size_t n = 0;
  for (const auto& f : files)
    for (const auto& c : f.cases) n += c.passed();
  return n;
}

size_t Report::failed() const {
  size_t n = 0;
  for (const auto& f : files)
    for (const auto& c : f.cases) n += !c.passed();
  return n;
}

size_t Report::file_errors() const {
  size_t n = 0;
  for (const auto& f : files) n += !f.errors.empty();
  return n;
}

bool Report::coverage_short() const {
  if (!coverage_on || min_coverage <= 0) return false;
  for (const auto& p : coverage)
    if (p.Below(min_coverage)) return true;
  return false;
}

}  // namespace credo::testing

#include "runtime/exec/columns.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "compiler/base/spelling.h"
#include "runtime/exec/header_check.h"

namespace credo::exec {
namespace {

constexpr size_t kListed = 10;  // names listed in one message

// The header's columns by name; a name given twice maps to the first and is counted.
struct HeaderIndex {
  std::unordered_map<std::string_view, uint32_t> first;
  std::unordered_map<std::string_view, uint32_t> count;
  explicit HeaderIndex(const std::vector<std::string>& header) {
    for (size_t c = 0; c < header.size(); ++c) {
      first.try_emplace(header[c], uint32_t(c));
      ++count[header[c]];
    }
  }
};

// " (did you mean 'revnue'?)" when a header name not taken by the policy is a near miss of
// `name`: a typo, a different case, stray spaces.
std::string NearMiss(std::string_view name, const std::vector<std::string>& spare) {
  std::string lowered(name);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), ::tolower);
  for (const auto& s : spare) {  // the same name but for case or spaces around it
    std::string t = s;
    t.erase(0, t.find_first_not_of(" \t"));
    t.erase(t.find_last_not_of(" \t") + 1);
    std::transform(t.begin(), t.end(), t.begin(), ::tolower);
    if (t == lowered) return fmt::format(" (did you mean '{}'?)", ShownName(s));
  }
  int at = Closest(name, spare, std::max<size_t>(2, name.size() / 3) + 1);
  return at < 0 ? "" : fmt::format(" (did you mean '{}'?)", ShownName(spare[size_t(at)]));
}

}  // namespace

ColumnMap ColumnMap::Identity(const rt::PolicyInfo& info) {
  ColumnMap map;
  map.width = info.inputs.size();
  for (size_t f = 0; f < info.inputs.size(); ++f) map.column_of.push_back(uint32_t(f));
  return map;
}

bool CheckKeep(const rt::PolicyInfo& info, const std::vector<std::string>& keep, std::string& error) {
  for (size_t k = 0; k < keep.size(); ++k) {
    if (keep[k].empty()) {
      error = "--keep: a column name is empty";
      return false;
    }
    if (std::find(keep.begin(), keep.begin() + long(k), keep[k]) != keep.begin() + long(k)) {
      error = fmt::format("--keep: column '{}' is named twice", ShownName(keep[k]));
      return false;
    }
    for (const auto& o : info.outputs)
      if (o.name == keep[k]) {
        error = fmt::format("--keep {}: the policy's output has a column '{}' already; a kept column would repeat it",
                            ShownName(keep[k]), ShownName(keep[k]));
        return false;
      }
  }
  return true;
}

bool MapColumns(const rt::PolicyInfo& info, const std::vector<std::string>& header, const ColumnOptions& options,
                ColumnMap& map, std::string& error) {
  if (!CheckKeep(info, options.keep, error)) return false;
  if (options.strict && !CheckHeader(info, header, error)) return false;
  HeaderIndex index(header);
  std::vector<std::string> spare;  // header names no policy field takes: candidates for a typo
  for (const auto& h : header)
    if (std::none_of(info.inputs.begin(), info.inputs.end(), [&](const rt::InputField& f) { return f.name == h; }))
      spare.push_back(h);

  map = ColumnMap{};
  map.width = header.size();
  std::vector<std::string> missing, twice;
  for (const auto& field : info.inputs) {
    auto it = index.first.find(field.name);
    if (it == index.first.end()) {
      missing.push_back(ShownName(field.name) + NearMiss(field.name, spare));
      continue;
    }
    if (index.count[field.name] > 1) twice.push_back(ShownName(field.name));
    map.column_of.push_back(it->second);
  }
  for (const auto& name : options.keep) {
    auto it = index.first.find(name);
    if (it == index.first.end()) {
      error = fmt::format("line 1: --keep {}: the input has no column '{}'{}", ShownName(name), ShownName(name),
                          NearMiss(name, header));
      return false;
    }
    if (index.count[name] > 1) {
      error = fmt::format("line 1: --keep {}: the input has {} columns of that name", ShownName(name), index.count[name]);
      return false;
    }
    map.kept.push_back(it->second);
    map.kept_names.push_back(name);
  }
  if (missing.empty() && twice.empty()) return true;
  auto listed = [](const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size() && i < kListed; ++i) out += (i ? ", " : "") + names[i];
    if (names.size() > kListed) out += fmt::format(" and {} more", names.size() - kListed);
    return out;
  };
  error = "line 1: the header does not fit the policy's input";
  if (!missing.empty()) error += "; missing column(s): " + listed(missing);
  if (!twice.empty()) error += "; column(s) given more than once: " + listed(twice);
  std::vector<std::string_view> expected;
  for (const auto& f : info.inputs) expected.push_back(f.name);
  error += fmt::format("\n  the policy reads: {} (in any order; other columns are ignored)", fmt::join(expected, ","));
  return false;
}

}  // namespace credo::exec

#include "runtime/exec/header_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace credo::exec {
namespace {

constexpr size_t kListed = 10;  // names listed per kind of difference

// "a, b, c and 7 more", each name shown bounded.
std::string ShownList(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kListed; ++i) out += (i ? ", " : "") + ShownName(names[i]);
  if (names.size() > kListed) out += fmt::format(" and {} more", names.size() - kListed);
  return out;
}

}  // namespace

std::string ShownName(std::string_view name, size_t limit) {
  std::string out;
  for (size_t i = 0; i < name.size() && i < limit; ++i) {
    unsigned char c = name[i];
    if (c >= 0x20 && c < 0x7f && c != '\\')
      out += char(c);
    else
      out += c == '\\' ? std::string("\\\\") : fmt::format("\\x{:02x}", c);
  }
  if (name.size() > limit) out += fmt::format("... ({} bytes)", name.size());
  return out;
}

bool CheckHeader(const rt::PolicyInfo& info, const std::vector<std::string>& header, std::string& error) {
  std::vector<std::string_view> expected;
  for (const auto& f : info.inputs) expected.push_back(f.name);
  if (std::equal(header.begin(), header.end(), expected.begin(), expected.end())) return true;

  std::unordered_map<std::string_view, size_t> count;
  for (const auto& h : header) ++count[h];
  std::unordered_set<std::string_view> wanted(expected.begin(), expected.end());
  std::vector<std::string_view> missing, extra, duplicated;
  for (auto e : expected)
    if (!count.count(e)) missing.push_back(e);
  std::unordered_set<std::string_view> listed;  // each name once, in header order
  for (const auto& h : header) {
    if (!listed.insert(h).second) continue;
    if (!wanted.count(h))
      extra.push_back(h);
    else if (count[h] > 1)
      duplicated.push_back(h);
  }
  error = "line 1: the header does not match the policy's input";
  if (!missing.empty()) error += "; missing column(s): " + ShownList(missing);
  if (!extra.empty()) error += "; unexpected column(s): " + ShownList(extra);
  if (!duplicated.empty()) error += "; duplicated column(s): " + ShownList(duplicated);
  if (missing.empty() && extra.empty() && duplicated.empty()) error += "; the columns are in the wrong order";
  error += fmt::format("\n  expected: {}", fmt::join(expected, ","));
  return false;
}

}  // namespace credo::exec

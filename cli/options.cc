#include "cli/options.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cstdio>

namespace credo::cli {

std::optional<uint64_t> ParseCount(std::string_view option, std::string_view text, uint64_t min, uint64_t max,
                                   std::string& error) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  // from_chars takes no '+' or spaces, and a '-' fails for an unsigned target.
  auto [stop, status] = std::from_chars(text.data(), end, value);
  if (!text.empty() && status == std::errc() && stop == end && value >= min && value <= max) return value;
  // Quote at most 40 bytes of what was given, so the message stays one short line.
  std::string shown(text.substr(0, 40));
  if (text.size() > shown.size()) shown += "...";
  error = fmt::format("{} needs a whole number from {} to {}, not '{}'", option, min, max, shown);
  return std::nullopt;
}

namespace {
std::string SizeText(uint64_t bytes) {
  const char* units[] = {"", "K", "M", "G", "T"};
  int u = 0;
  while (u < 4 && bytes >= 1024 && bytes % 1024 == 0) bytes /= 1024, ++u;
  return fmt::format("{}{}", bytes, units[u]);
}
}  // namespace

std::optional<uint64_t> ParseSize(std::string_view option, std::string_view text, uint64_t min, uint64_t max,
                                  std::string& error) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, status] = std::from_chars(text.data(), end, value);
  std::string_view unit(stop, size_t(end - stop));
  if (unit.size() >= 2 && (unit.substr(unit.size() - 2) == "iB" || unit.substr(unit.size() - 2) == "ib"))
    unit.remove_suffix(2);
  else if (unit.size() >= 2 && (unit.back() == 'B' || unit.back() == 'b'))
    unit.remove_suffix(1);
  int shift = -1;
  if (unit.empty()) shift = 0;
  else if (unit.size() == 1) {
    std::string_view letters = "kmgt", upper = "KMGT";
    size_t at = letters.find(unit[0]);
    if (at == std::string_view::npos) at = upper.find(unit[0]);
    if (at != std::string_view::npos) shift = 10 * int(at + 1);
  }
  bool fits = shift >= 0 && (shift == 0 || value <= (UINT64_MAX >> shift));
  if (stop != text.data() && status == std::errc() && fits) {
    value <<= shift;
    if (value >= min && value <= max) return value;
  }
  std::string shown(text.substr(0, 40));
  if (text.size() > shown.size()) shown += "...";
  error = fmt::format("{} needs a size from {} to {} (e.g. 512M or 2G), not '{}'", option, SizeText(min),
                      SizeText(max), shown);
  return std::nullopt;
}

int UsageError(std::string_view command, std::string_view usage, std::string_view why) {
  std::string_view synopsis = usage.substr(0, usage.find('\n'));
  std::fprintf(stderr, "credo %.*s: %.*s\n%.*s\nTry 'credo %.*s --help' for the options.\n", int(command.size()),
               command.data(), int(why.size()), why.data(), int(synopsis.size()), synopsis.data(),
               int(command.size()), command.data());
  return 2;
}

bool ParseEngineOption(const std::vector<std::string>& args, size_t& i, Engine& engine, std::string& error) {
  std::string value;
  if (args[i] == "--engine") {
    if (i + 1 >= args.size()) {
      error = "--engine needs jit or interp";
      return false;
    }
    value = args[++i];
  } else {
    value = args[i].substr(std::string_view("--engine=").size());
  }
  if (value != "jit" && value != "interp") {
    error = fmt::format("--engine {}: the engines are jit and interp", value);
    return false;
  }
  engine = value == "jit" ? Engine::Jit : Engine::Interpreter;
  return true;
}

bool ParseRefOption(const std::string& spec, std::map<std::string, std::string>& refs, std::string& error) {
  size_t eq = spec.find('=');
  if (eq == 0 || eq == std::string::npos || eq + 1 == spec.size()) {
    error = fmt::format("--ref {}: give the reference's name and a file, e.g. --ref ledger=ledger.csv", spec);
    return false;
  }
  if (!refs.emplace(spec.substr(0, eq), spec.substr(eq + 1)).second) {
    error = fmt::format("--ref {} is given twice", spec.substr(0, eq));
    return false;
  }
  return true;
}

std::string CheckRefOptions(const std::vector<std::string>& declared, const std::map<std::string, std::string>& refs) {
  for (const auto& [name, file] : refs)
    if (std::find(declared.begin(), declared.end(), name) == declared.end())
      return declared.empty() ? fmt::format("--ref {}: the policy declares no reference data", name)
                              : fmt::format("--ref {}: the policy has no reference '{}'; its references are: {}", name,
                                            name, fmt::join(declared, ", "));
  for (const auto& name : declared)
    if (!refs.count(name)) return fmt::format("the policy reads reference data '{}': give it with --ref {}=FILE", name, name);
  return "";
}

}  // namespace credo::cli

// options.h — strict parsing of numeric command-line values, shared by every command.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "compiler/driver/compile.h"

namespace credo::cli {

// The whole of `text` as a decimal number in [min, max]: digits only (no sign, spaces or
// suffix). Otherwise nullopt, with `error` naming the option and the accepted range, e.g.
// "--batch needs a whole number from 1 to 1048576, not '10x'".
std::optional<uint64_t> ParseCount(std::string_view option, std::string_view text, uint64_t min, uint64_t max,
                                   std::string& error);

// A size in bytes: digits with an optional K, M, G or T (powers of 1024, either case, an optional
// trailing B or iB: 512M, 2GiB), in [min, max]. Otherwise nullopt, with `error` naming the option
// and the accepted range.
std::optional<uint64_t> ParseSize(std::string_view option, std::string_view text, uint64_t min, uint64_t max,
                                  std::string& error);

// Prints a usage error the way command-line tools do: `credo COMMAND: WHY`, the first line of
// `usage` (the synopsis) and where the options are listed, to stderr. Returns exit code 2.
int UsageError(std::string_view command, std::string_view usage, std::string_view why);

// The engine an `--engine` value names ("jit" or "interp"), as `--engine E` or `--engine=E`:
// reads the value (from `args[i]` or the next argument, advancing `i`) into `engine`. Otherwise
// false with `error` saying what is accepted.
bool ParseEngineOption(const std::vector<std::string>& args, size_t& i, Engine& engine, std::string& error);

// `--ref NAME=FILE` (run, explain): adds the reference's file to `refs`; false with `error` when
// the value is not NAME=FILE or NAME is given twice.
bool ParseRefOption(const std::string& spec, std::map<std::string, std::string>& refs, std::string& error);
// "" when `refs` names every reference the policy declares and nothing else; otherwise the
// usage error, naming the reference.
std::string CheckRefOptions(const std::vector<std::string>& declared, const std::map<std::string, std::string>& refs);

// The limits `credo run` accepts (see docs/cli.md).
inline constexpr uint64_t kMaxBatchRows = uint64_t{1} << 20;
inline constexpr uint64_t kMaxThreads = 1024;

}  // namespace credo::cli

// credo-gen-sme — deterministic generator of SME credit v1 application files (CSV).
//
//   credo-gen-sme --rows N [--seed S] [--out PATH|-]
//
// Writes the header line and N records in the input format of the reference SME policy
// (policies/sme-credit-v1), LF line ends. The same (N, seed) always yields the same bytes on every
// platform: the only source of randomness is the xoshiro256** generator below (seeded through
// splitmix64) and every computation is integer arithmetic — no std:: distributions, no floating
// point, no libm — and never two random draws in one expression whose evaluation order C++
// leaves unspecified (function arguments, operands of +), which GCC and Clang order differently.
//
// Besides a realistic portfolio, the file deliberately exercises the corners of the policy:
//   * every optional column missing (~4% each, independently);
//   * zero denominators (revenue, total_assets, interest_expense, current_liabilities = 0) and
//     negative current liabilities (a -0.0 current ratio);
//   * values exactly on every scorecard bin edge and one cent either side, ratio edges built as
//     exact quotients (current_assets = 4/5 x current_liabilities, ...);
//   * every knockout, referral, grade and decision path, including L01 (exposure exactly at,
//     one cent below and above the limit), near-perfect applicants with 0, 1 and 2 score reasons,
//     and W01 at its exact boundary (10 x exposure = 9 x max_limit);
//   * corporate groups (~20% of rows, 2..20 members scattered through the file, plus a few
//     larger ones and single-row groups): groups whose exposure and approvals exceed the group
//     cap (some with no group headroom at all), ~1/4 of groups with one or more defaulters (K01),
//     rejected defaulters, and groups whose approvals land exactly on (and one cent over) their
//     group headroom;
//   * ~0.1% bad rows of every reject kind (column count incl. empty lines, missing, unparsable,
//     unknown industry, out of range by magnitude and by domain, two faults in one row);
//   * money in varied valid spellings ("1200000", "1200000.5", "007.00", "-0.00").
//
// Exit codes: 0 success, 2 usage error, 3 I/O failure.
//
// This file is the command line; the generator is gen_sme.h and the gen_sme_*.cc files.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "gen_sme.h"

namespace {

using namespace gen_sme;

constexpr u64 kDefaultSeed = 20261122;

const char* const kUsage =
    "usage: credo-gen-sme --rows N [--seed S] [--out PATH|-]\n"
    "\n"
    "Writes N generated SME credit applications (plus the header line) in the input format of\n"
    "policies/sme-credit-v1 to PATH, or to standard output when PATH is '-' (the default).\n"
    "The output depends only on N and the seed (default 20261122), byte for byte.\n"
    "\n"
    "  --rows N      number of records (lines after the header), N >= 0\n"
    "  --seed S      unsigned 64-bit seed\n"
    "  --out PATH    output file, '-' for standard output\n"
    "  --help        this text\n";

// -------------------------------------------------------------------------------------------
// Command line
// -------------------------------------------------------------------------------------------

bool parse_u64(const char* text, u64& value) {
  if (text == nullptr || *text == '\0') return false;
  u64 v = 0;
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p < '0' || *p > '9') return false;
    const u64 digit = static_cast<u64>(*p - '0');
    if (v > (~u64{0} - digit) / 10) return false;
    v = v * 10 + digit;
  }
  value = v;
  return true;
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "credo-gen-sme: %s\n%s", message.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  u64 rows = 0, seed = kDefaultSeed;
  bool have_rows = false;
  std::string out_path = "-";
  for (int k = 1; k < argc; ++k) {
    std::string arg = argv[k];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::string value;
    bool inline_value = false;
    if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
      inline_value = true;
    }
    if (arg != "--rows" && arg != "--seed" && arg != "--out") {
      return usage_error("unknown argument '" + std::string(argv[k]) + "'");
    }
    if (!inline_value) {
      if (k + 1 >= argc) return usage_error(arg + " needs a value");
      value = argv[++k];
    }
    if (arg == "--rows") {
      if (!parse_u64(value.c_str(), rows) || rows > 0xFFFFFFF0ull)
        return usage_error("--rows wants a whole number below 2^32, got '" + value + "'");
      have_rows = true;
    } else if (arg == "--seed") {
      if (!parse_u64(value.c_str(), seed))
        return usage_error("--seed wants an unsigned 64-bit number, got '" + value + "'");
    } else {
      if (value.empty()) return usage_error("--out wants a path or '-'");
      out_path = value;
    }
  }
  if (!have_rows) return usage_error("--rows is required");

  std::FILE* file = out_path == "-" ? stdout : std::fopen(out_path.c_str(), "wb");
  if (file == nullptr) {
    std::fprintf(stderr, "credo-gen-sme: cannot open '%s' for writing: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 3;
  }
  Output out(file);
  Generator(rows, seed, out).run();
  bool ok = out.ok() && std::fflush(file) == 0;
  if (file != stdout) ok = std::fclose(file) == 0 && ok;
  if (!ok) {
    std::fprintf(stderr, "credo-gen-sme: writing '%s' failed: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 3;
  }
  return 0;
}

// credo — the command-line driver: `credo check` and `credo run`.
//
// Exit codes: 0 success; 1 the policy has errors, or the input cannot be read as the policy's
// input (e.g. a wrong header); 2 usage error; 3 I/O or internal failure.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"

namespace {

const char* kUsage =
    "usage: credo <command> [options]\n"
    "\n"
    "credo compiles credit policies (.credo files) and runs them over customer records.\n"
    "\n"
    "commands:\n"
    "  check FILE...       check policies and report every problem found\n"
    "  run POLICY ...      evaluate a policy over a CSV portfolio\n"
    "  fmt [PATH...]       format policies in the canonical layout (--check for CI)\n"
    "  test [PATH...]      run policy test files (*.tests), optionally with coverage\n"
    "  explain POLICY ...  show why one record got its outputs, step by step\n"
    "  doc POLICY          the policy as a document for sign-off (Markdown, or --html)\n"
    "  compare A B --in F  champion against challenger over a portfolio: swap set, migration, PSI\n"
    "  report POLICY ...   a portfolio's figures as one HTML page with charts (PSI/CSI vs a baseline)\n"
    "  lsp                 run the language server on stdin/stdout (for editors)\n"
    "  serve --policies DIR  serve policies over HTTP/JSON, with hot reload and a decision log\n"
    "  replay LOG          evaluate a decision log again and report every decision that differs\n"
    "\n"
    "options:\n"
    "  --help              show this help (also after a command: credo run --help)\n"
    "  --version           print the version\n"
    "\n"
    "exit codes: 0 success, 1 policy or input errors, 2 usage error, 3 I/O or internal failure\n";

// Every command's stdout data (a dump, CSV, help) counts only if it was written: a full disk or
// a closed pipe is an I/O failure (exit 3), not a success. A command that already failed with 3
// has reported its own error.
int FinishStdout(int exit) {
  errno = 0;
  bool failed = std::fflush(stdout) != 0 || std::ferror(stdout);
  failed |= std::fclose(stdout) != 0;
  if (!failed || exit == credo::cli::kFailure) return failed ? credo::cli::kFailure : exit;
  std::fprintf(stderr, "credo: cannot write to stdout: %s\n", errno ? std::strerror(errno) : "write error");
  return credo::cli::kFailure;
}

int Dispatch(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string& command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "--version") {
    std::printf("credo %s\n", credo::cli::kVersion);
    return 0;
  }
  if (command == "check") return credo::cli::Check(rest);
  if (command == "run") return credo::cli::Run(rest);
  if (command == "fmt") return credo::cli::Fmt(rest);
  if (command == "test") return credo::cli::Test(rest);
  if (command == "explain") return credo::cli::Explain(rest);
  if (command == "doc") return credo::cli::Doc(rest);
  if (command == "lsp") return credo::cli::Lsp(rest);
  if (command == "replay") return credo::cli::Replay(rest);
#ifdef CREDO_HAVE_SERVE
  if (command == "serve") return credo::cli::Serve(rest);
#else
  if (command == "serve") {
    std::fputs("credo: this credo was built without `credo serve` (cpp-httplib was not found at configure time)\n", stderr);
    return 2;
  }
#endif
  if (command == "compare") return credo::cli::Compare(rest);
  if (command == "report") return credo::cli::Report(rest);
  std::fprintf(stderr, "credo: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) { return FinishStdout(Dispatch(std::vector<std::string>(argv + 1, argv + argc))); }

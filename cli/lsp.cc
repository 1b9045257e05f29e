// credo lsp — the language server over stdio (compiler/lsp).
#include <csignal>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "compiler/lsp/server.h"

namespace credo::cli {

namespace {
const char* kLspUsage =
    "usage: credo lsp [--stdio]\n"
    "\n"
    "Runs the credo language server: the Language Server Protocol (JSON-RPC 2.0 with\n"
    "Content-Length framing) on stdin and stdout, for editors (see editors/README.md).\n"
    "It publishes `credo check`'s diagnostics as you type and answers hover (type, whether a\n"
    "value may be missing, where it is declared, its doc comment), go to definition, find\n"
    "references, document symbols, completion of names, members and enum values, and\n"
    "formatting (`credo fmt`). It logs to stderr only.\n"
    "\n"
    "  --stdio   talk over stdin and stdout (the default and only transport)\n"
    "\n"
    "exit codes: 0 after the client's `shutdown` and `exit`; 1 when `exit` comes without\n"
    "`shutdown`, the input ends, or the client stops reading; 2 usage\n";
}

int Lsp(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::fputs(kLspUsage, stdout);
      return kOk;
    }
    if (a == "--stdio") continue;  // what editors pass by habit
    return UsageError("lsp", kLspUsage, a.rfind("-", 0) == 0 ? "unknown option '" + a + "'" : "unexpected argument '" + a + "'");
  }
  // A client that goes away is a failed write (the server stops), not a SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  lsp::Server server(std::cin, std::cout, std::cerr, kVersion);
  return server.Run();
}

}  // namespace credo::cli

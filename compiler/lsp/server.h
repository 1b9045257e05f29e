// server.h — the language server: reads JSON-RPC messages, keeps the open documents, answers
// requests with compiler/lsp/features.h and publishes diagnostics after every change.
// Lifecycle per the LSP specification: initialize, initialized, ..., shutdown, exit.
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "compiler/lsp/documents.h"
#include "compiler/lsp/positions.h"
#include "compiler/lsp/protocol.h"

namespace credo::lsp {

class Server {
 public:
  // Messages are read from `in` and written to `out`; the log goes to `log` (stderr: stdout is the protocol's).
  Server(std::istream& in, std::ostream& out, std::ostream& log, std::string version)
      : in_(in), out_(out), log_(log), version_(std::move(version)) {}

  // Serves until `exit`, the end of the input or a failed write. Returns the process's exit
  // code: 0 after `shutdown` then `exit`, 1 otherwise.
  int Run();

 private:
  void Handle(const json& message);
  // A request's result; throws RpcError for an error response.
  json Request(const std::string& method, const json& params);
  void Notify(const std::string& method, const json& params);
  json Initialize(const json& params);
  void Publish(const Document& doc);
  const Document& Open(const json& params) const;
  void Send(const json& message);

  std::istream& in_;
  std::ostream& out_;
  std::ostream& log_;
  std::string version_;  // of credo, for serverInfo
  Documents documents_;
  Encoding encoding_ = Encoding::Utf16;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exited_ = false;
  bool output_lost_ = false;
};

}  // namespace credo::lsp

// protocol.h — the Language Server Protocol's transport: JSON-RPC 2.0 messages framed by a
// `Content-Length` header (https://microsoft.github.io/language-server-protocol/), and the
// JSON-RPC error codes the server answers with.
#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace credo::lsp {

using nlohmann::json;

// JSON-RPC and LSP error codes.
enum ErrorCode {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
  kServerNotInitialized = -32002,
  kRequestFailed = -32803,
};

// An error answer to a request, thrown by the code that handles it.
struct RpcError {
  int code;
  std::string message;
};

// A message larger than this is refused (its bytes are skipped): no client sends one, and a
// corrupt header must not make the server allocate gigabytes.
inline constexpr size_t kMaxMessageBytes = size_t{64} << 20;

// What reading one message found.
struct Frame {
  enum Kind { Message, Malformed, End } kind = End;
  std::string body;   // Message: the JSON text (not yet parsed)
  std::string error;  // Malformed: why the header block was not usable
};

// Reads one header block and its body. A header block without a usable Content-Length is
// Malformed (the reader has consumed it, so the next call reads on); End at end of input.
Frame ReadFrame(std::istream& in);

// Writes `message` with its Content-Length header and flushes; false when the write failed.
bool WriteFrame(std::ostream& out, const json& message);

// A response to request `id`, and an error response.
json Response(const json& id, json result);
json ErrorResponse(const json& id, int code, const std::string& message);
// A notification from the server (e.g. textDocument/publishDiagnostics).
json Notification(const std::string& method, json params);

}  // namespace credo::lsp

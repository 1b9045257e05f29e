#include "compiler/lsp/server.h"

#include <exception>

#include "compiler/lsp/features.h"

namespace credo::lsp {

namespace {

const std::string& Uri(const json& params) { return params.at("textDocument").at("uri").get_ref<const std::string&>(); }

}  // namespace

int Server::Run() {
  while (!exited_ && !output_lost_) {
    Frame frame = ReadFrame(in_);
    if (frame.kind == Frame::End) break;
    if (frame.kind == Frame::Malformed) {
      log_ << "credo lsp: skipped a malformed message: " << frame.error << "\n";
      continue;
    }
    json message = json::parse(frame.body, nullptr, /*allow_exceptions=*/false);
    if (message.is_discarded()) {
      log_ << "credo lsp: a message is not JSON\n";
      Send(ErrorResponse(nullptr, kParseError, "the message is not valid JSON"));
      continue;
    }
    Handle(message);
  }
  if (!exited_ && !output_lost_) log_ << "credo lsp: the input ended before `exit`\n";
  return exited_ && shutdown_ ? 0 : 1;
}

void Server::Handle(const json& message) {
  bool is_object = message.is_object();
  json id = is_object && message.contains("id") ? message["id"] : json();
  bool valid_id = id.is_null() || id.is_string() || id.is_number();
  if (!is_object || !message.contains("method") || !message["method"].is_string() || !valid_id) {
    // A response to a request of ours (we send none) is not an error; anything else is.
    if (is_object && message.contains("id") && (message.contains("result") || message.contains("error"))) return;
    Send(ErrorResponse(valid_id ? id : json(), kInvalidRequest, "not a JSON-RPC request or notification"));
    return;
  }
  const std::string& method = message["method"].get_ref<const std::string&>();
  json params = message.contains("params") ? message["params"] : json::object();
  bool is_request = message.contains("id");
  try {
    if (is_request) Send(Response(id, Request(method, params)));
    else Notify(method, params);
  } catch (const RpcError& e) {
    if (is_request) Send(ErrorResponse(id, e.code, e.message));
    else log_ << "credo lsp: " << method << ": " << e.message << "\n";
  } catch (const json::exception& e) {
    // Params of the wrong shape (a missing field, a string for a number).
    log_ << "credo lsp: " << method << ": invalid params: " << e.what() << "\n";
    if (is_request) Send(ErrorResponse(id, kInvalidParams, std::string("invalid params: ") + e.what()));
  } catch (const std::exception& e) {
    log_ << "credo lsp: " << method << ": internal error: " << e.what() << "\n";
    if (is_request) Send(ErrorResponse(id, kInternalError, std::string("internal error: ") + e.what()));
  }
}

json Server::Request(const std::string& method, const json& params) {
  if (method == "initialize") {
    if (initialized_) throw RpcError{kInvalidRequest, "initialize was already received"};
    return Initialize(params);
  }
  if (!initialized_) throw RpcError{kServerNotInitialized, "the server is not initialized"};
  if (shutdown_) throw RpcError{kInvalidRequest, "the server is shutting down"};
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  if (method == "textDocument/hover") return Hover(Open(params), PositionFromJson(params.at("position")), encoding_);
  if (method == "textDocument/definition")
    return Definition(Open(params), PositionFromJson(params.at("position")), encoding_);
  if (method == "textDocument/references") {
    bool declaration = params.contains("context") && params["context"].value("includeDeclaration", false);
    return References(Open(params), PositionFromJson(params.at("position")), declaration, encoding_);
  }
  if (method == "textDocument/documentSymbol") return DocumentSymbols(Open(params), encoding_);
  if (method == "textDocument/completion")
    return Completion(Open(params), PositionFromJson(params.at("position")), encoding_);
  if (method == "textDocument/formatting") return Formatting(Open(params), encoding_);
  throw RpcError{kMethodNotFound, "unknown method '" + method + "'"};
}

void Server::Notify(const std::string& method, const json& params) {
  if (method == "exit") {
    exited_ = true;
    return;
  }
  if (!initialized_ || shutdown_) return;  // notifications before initialize or after shutdown are dropped
  if (method == "textDocument/didOpen") {
    const json& item = params.at("textDocument");
    Publish(documents_.Open(item.at("uri").get<std::string>(), item.at("text").get<std::string>(),
                            item.value("version", int64_t{0})));
  } else if (method == "textDocument/didChange") {
    // Full sync: the last change holds the whole text (a ranged change would be an incremental client's).
    const json& changes = params.at("contentChanges");
    if (!changes.is_array() || changes.empty()) return;
    const json& last = changes.back();
    if (last.contains("range")) throw RpcError{kInvalidParams, "incremental changes are not supported (textDocumentSync is full)"};
    int64_t version = params.at("textDocument").value("version", int64_t{0});
    if (Document* doc = documents_.Change(Uri(params), last.at("text").get<std::string>(), version)) Publish(*doc);
    else log_ << "credo lsp: didChange for a document that is not open: " << Uri(params) << "\n";
  } else if (method == "textDocument/didClose") {
    std::string uri = Uri(params);
    documents_.Close(uri);
    Send(Notification("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}}));
  }
  // Anything else (initialized, didSave, $/cancelRequest, ...) needs nothing from us.
}

json Server::Initialize(const json& params) {
  initialized_ = true;
  // UTF-8 positions when the client offers them (LSP 3.17), else the default UTF-16.
  std::string encoding = "utf-16";
  const json* general = nullptr;
  if (params.is_object() && params.contains("capabilities") && params["capabilities"].is_object() &&
      params["capabilities"].contains("general"))
    general = &params["capabilities"]["general"];
  if (general && general->is_object() && general->contains("positionEncodings") && (*general)["positionEncodings"].is_array())
    for (const auto& e : (*general)["positionEncodings"])
      if (e == "utf-8") encoding = "utf-8";
  encoding_ = encoding == "utf-8" ? Encoding::Utf8 : Encoding::Utf16;
  json capabilities = {
      {"positionEncoding", encoding},
      {"textDocumentSync", {{"openClose", true}, {"change", 1}}},  // 1: the whole text on every change
      {"hoverProvider", true},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"documentSymbolProvider", true},
      {"completionProvider", {{"triggerCharacters", {"."}}}},
      {"documentFormattingProvider", true},
  };
  return {{"capabilities", capabilities}, {"serverInfo", {{"name", "credo"}, {"version", version_}}}};
}

const Document& Server::Open(const json& params) const {
  const Document* doc = documents_.Get(Uri(params));
  if (!doc) throw RpcError{kInvalidParams, "the document is not open: " + Uri(params)};
  return *doc;
}

void Server::Publish(const Document& doc) { Send(Notification("textDocument/publishDiagnostics", PublishDiagnosticsParams(doc, encoding_))); }

void Server::Send(const json& message) {
  if (output_lost_ || WriteFrame(out_, message)) return;
  log_ << "credo lsp: cannot write to the client; stopping\n";
  output_lost_ = true;  // nobody reads the answers: stop serving
}

}  // namespace credo::lsp

#include "compiler/lsp/protocol.h"

#include <cctype>
#include <charconv>

namespace credo::lsp {

namespace {

// One header line without its line end ("\r\n" per the protocol; a bare "\n" is accepted).
bool ReadHeaderLine(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Frame ReadFrame(std::istream& in) {
  std::string line;
  std::optional<size_t> length;
  std::string error;
  bool any_header = false;
  while (true) {
    if (!ReadHeaderLine(in, line)) {
      if (!any_header) return {};
      return {Frame::Malformed, "", "the input ended inside a header block"};
    }
    if (line.empty()) {
      if (!any_header) continue;  // stray blank lines between messages
      break;
    }
    any_header = true;
    size_t colon = line.find(':');
    if (colon == std::string::npos) {
      error = "a header line without ':': '" + line.substr(0, 80) + "'";
      continue;
    }
    if (!EqualsIgnoringCase(Trim(std::string_view(line).substr(0, colon)), "Content-Length")) continue;
    std::string_view value = Trim(std::string_view(line).substr(colon + 1));
    size_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size()) {
      error = "Content-Length is not a number: '" + std::string(value.substr(0, 40)) + "'";
      continue;
    }
    length = n;
  }
  if (!length) return {Frame::Malformed, "", error.empty() ? "a header block without Content-Length" : error};
  if (*length > kMaxMessageBytes) {
    in.ignore(static_cast<std::streamsize>(*length));
    return {Frame::Malformed, "", "a message of " + std::to_string(*length) + " bytes is too large"};
  }
  Frame frame{Frame::Message, std::string(*length, '\0'), ""};
  in.read(frame.body.data(), static_cast<std::streamsize>(*length));
  if (static_cast<size_t>(in.gcount()) != *length) return {Frame::End, "", ""};  // cut short: nothing more will come
  return frame;
}

bool WriteFrame(std::ostream& out, const json& message) {
  // Invalid UTF-8 (from a policy's bytes) is replaced rather than thrown: the client still gets a message.
  std::string body = message.dump(-1, ' ', false, json::error_handler_t::replace);
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
  return bool(out);
}

json Response(const json& id, json result) { return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}; }

json ErrorResponse(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json Notification(const std::string& method, json params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace credo::lsp

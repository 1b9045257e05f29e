#include "compiler/lsp/documents.h"

#include <cctype>
#include <filesystem>
#include <string_view>

namespace credo::lsp {

Document& Documents::Open(const std::string& uri, std::string text, int64_t version) {
  Document& doc = open_[uri];
  doc = Document{uri, PathOfUri(uri), std::move(text), version, nullptr, nullptr};
  Analyse(doc);
  return doc;
}

Document* Documents::Change(const std::string& uri, std::string text, int64_t version) {
  auto it = open_.find(uri);
  if (it == open_.end()) return nullptr;
  it->second.text = std::move(text);
  it->second.version = version;
  Analyse(it->second);
  return &it->second;
}

const Document* Documents::Get(const std::string& uri) const {
  auto it = open_.find(uri);
  return it == open_.end() ? nullptr : &it->second;
}

void Documents::Analyse(Document& doc) {
  doc.analysis = Analyze(doc.path, doc.text);
  if (doc.analysis->checked) doc.indexed = doc.analysis;
}

namespace {
int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string PathOfUri(const std::string& uri) {
  const std::string scheme = "file://";
  if (uri.compare(0, scheme.size(), scheme) != 0) return uri;
  std::string rest = uri.substr(scheme.size());
  size_t slash = rest.find('/');  // skip an authority ("file://localhost/...")
  rest = slash == std::string::npos ? "" : rest.substr(slash);
  std::string path;
  for (size_t i = 0; i < rest.size(); ++i) {
    int hi = 0, lo = 0;
    if (rest[i] == '%' && i + 2 < rest.size() && (hi = HexDigit(rest[i + 1])) >= 0 && (lo = HexDigit(rest[i + 2])) >= 0) {
      path += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      path += rest[i];
    }
  }
  return path;
}

std::string UriOfPath(const std::string& path) {
  std::error_code ec;
  std::string absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (ec) absolute = path;
  std::string uri = "file://";
  const char* hex = "0123456789ABCDEF";
  for (unsigned char c : absolute) {
    bool plain = std::isalnum(c) || std::string_view("/-._~").find(static_cast<char>(c)) != std::string_view::npos;
    if (plain) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 15];
    }
  }
  return uri;
}

}  // namespace credo::lsp

// documents.h — the documents the client has open: their text, version and latest analysis.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "compiler/lsp/analysis.h"

namespace credo::lsp {

struct Document {
  std::string uri;
  std::string path;     // the file the URI names (imports are resolved relative to it)
  std::string text;
  int64_t version = 0;
  std::shared_ptr<const Analysis> analysis;  // of `text`
  // The latest analysis with an index: `analysis` when the text parses, else an older one, so
  // that completion still knows the policy's names while a line is half typed.
  std::shared_ptr<const Analysis> indexed;
};

class Documents {
 public:
  // Opens (or replaces) a document and analyses it.
  Document& Open(const std::string& uri, std::string text, int64_t version);
  // Sets a document's whole text and re-analyses it; null when it is not open.
  Document* Change(const std::string& uri, std::string text, int64_t version);
  void Close(const std::string& uri) { open_.erase(uri); }
  const Document* Get(const std::string& uri) const;

 private:
  static void Analyse(Document& doc);
  std::map<std::string, Document> open_;
};

// "file:///a%20b/c.credo" → "/a b/c.credo"; another scheme gives the URI itself (a name for
// diagnostics, with imports resolved against the working directory).
std::string PathOfUri(const std::string& uri);
// An absolute path as a file:// URI, percent-encoding what URIs do not allow.
std::string UriOfPath(const std::string& path);

}  // namespace credo::lsp

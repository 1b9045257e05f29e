// read_input.cc — see read_input.h.
#include "cli/read_input.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <sys/stat.h>

#include "compiler/syntax/imports.h"
#include "runtime/io/gzip.h"
#include "runtime/io/jsonl.h"

namespace credo::cli {

namespace {
// Appends the whole of `in` to `text`; false on a read error.
bool ReadAll(std::FILE* in, std::string& text) {
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) text.append(buffer, n);
  return !std::ferror(in);
}
}  // namespace

bool ReadInput(const std::string& path, std::string& text, std::string& error) {
  if (path != "-") {
    if (ReadSourceFile(path, text, error)) return true;
    error = "cannot read " + path + ": " + error;
    return false;
  }
  if (ReadAll(stdin, text)) return true;
  error = "cannot read stdin: read error";
  return false;
}

std::FILE* OpenInput(const std::string& path, std::string& error) {
  if (path == "-") return stdin;
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    error = fmt::format("cannot read {}: it is a directory", path);
    return nullptr;
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) error = fmt::format("cannot read {}: {}", path, std::strerror(errno));
  return f;
}

bool ReadRecordsInput(const std::string& path, std::string& text, std::string& error) {
  std::FILE* raw = OpenInput(path, error);
  if (!raw) return false;
  // Closed after the stream, which reads from it.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> close_raw(raw != stdin ? raw : nullptr, std::fclose);
  const std::string shown = path == "-" ? "stdin" : path;
  io::InputStream stream;
  if (!stream.Open(raw, error)) {
    error = fmt::format("cannot read {}: {}", shown, error);
    return false;
  }
  text.clear();
  if (ReadAll(stream.file(), text)) return true;
  std::string why = stream.error_text();
  error = fmt::format("cannot read {}: {}", shown, why.empty() ? "read error" : why);
  return false;
}

exec::Format FormatOfName(std::string_view path) {
  return io::IsJsonLinesName(path) ? exec::Format::Jsonl : exec::Format::Csv;
}

std::optional<exec::Format> FormatOfOption(std::string_view value) {
  if (value == "csv") return exec::Format::Csv;
  if (value == "jsonl" || value == "ndjson") return exec::Format::Jsonl;
  return std::nullopt;
}

}  // namespace credo::cli

#include "cli/read_input.h"

#include <cstdio>

#include "compiler/syntax/imports.h"

namespace credo::cli {

bool ReadInput(const std::string& path, std::string& text, std::string& error) {
  if (path != "-") {
    if (ReadSourceFile(path, text, error)) return true;
    error = "cannot read " + path + ": " + error;
    return false;
  }
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) text.append(buffer, n);
  if (!std::ferror(stdin)) return true;
  error = "cannot read stdin: read error";
  return false;
}

}  // namespace credo::cli

// read_input.h — the files a command reads: the whole of a file (a policy to format, records to
// explain), or of stdin for "-"; and the records' input as `credo run` reads it (gzip found by
// its first bytes, CSV or JSON Lines by name or --format), shared by run, compare and report.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/exec/runner.h"

namespace credo::cli {

// Reads `path` whole (stdin for "-"); a directory is refused. Otherwise false, with `error`
// "cannot read PATH: why".
bool ReadInput(const std::string& path, std::string& text, std::string& error);

// Opens the records' input: stdin for "-"; a directory is refused (reading one would look
// empty). Null with `error` "cannot read PATH: why".
std::FILE* OpenInput(const std::string& path, std::string& error);

// Reads the records' input whole, decompressed when it starts with the gzip magic bytes
// (whatever its name; stdin too). False with `error` saying why, naming the file.
bool ReadRecordsInput(const std::string& path, std::string& text, std::string& error);

// JSON Lines by the file's name (.jsonl, .ndjson, also with .gz after it), else CSV.
exec::Format FormatOfName(std::string_view path);
// The format a --format value names (csv, jsonl or ndjson); nullopt for anything else.
std::optional<exec::Format> FormatOfOption(std::string_view value);

}  // namespace credo::cli

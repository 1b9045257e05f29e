// reference_data.h — loading the reference data a program declares (docs/language.md,
// "Reference data"; `credo run --ref NAME=FILE`).
//
// Each file is a CSV whose header names the columns: every field the reference declares must be
// there, in any order; other columns are ignored. Each row is read as an input record is (the
// same parsing rules and reject reasons) and checked by its fields' `where` conditions (by the
// interpreter: the load is the same whatever engine runs the policy). A row that fails, or that
// repeats a key of a reference with one row per key (`duplicate:KEY`), is a reject of the
// reference: written to `rejects` as `reference,line,key,reason`, and never used. Then the
// rows are indexed by key, and the per-key columns the program reads are computed once (a
// `many` reference: count, sum, min, max over each key's rows; a sum beyond 64 bits fails the
// records that use it as an overflow). Everything is held in memory: per key its text, a hash
// entry and 10 bytes per column; the file itself is read in batches.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/core/reference.h"

namespace credo {

struct ReferenceLoadStats {
  std::string name;
  uint64_t rows = 0, rejected = 0, keys = 0;
};

// One reference's data: a file, or the text of one in memory (gzip-compressed bytes too).
struct ReferenceSource {
  std::string file;         // the file to read ("" when in memory)
  std::string text;         // the data itself, when `file` is ""
  bool json_lines = false;  // text: JSON Lines rather than CSV (a file: told by its name)
};

// A reference row that failed its checks, as --ref-rejects writes it.
struct ReferenceReject {
  std::string reference;
  uint64_t line = 0;  // its line in the file (JSON Lines: its physical line)
  std::string key;    // its key as written
  std::string reason;
};

// What loading every reference of a program gave.
struct ReferenceLoad {
  std::shared_ptr<const rt::References> references;  // null when `error` is set
  std::vector<ReferenceLoadStats> stats;             // per reference, in declaration order
  std::vector<ReferenceReject> rejects;              // the rows set aside, by reference then line
  std::string error;
  // The error is an I/O failure (a file that could not be opened or read to its end), not bad data.
  bool io_failure = false;
};

// Loads every reference of `program` from sources[name] (each declared reference must have
// one; names the program does not declare are not looked at). With `set_aside`, a row that
// fails is listed in `rejects` and not used; without, it is an error ending with `hint` (what
// the caller can do to set such rows aside).
ReferenceLoad LoadReferenceSources(const ir::Program& program, const std::map<std::string, ReferenceSource>& sources,
                                   bool set_aside, const std::string& hint);

// Rejected reference rows as --ref-rejects writes them (no header): `reference,line,key,reason`.
std::string ReferenceRejectsCsv(const std::vector<ReferenceReject>& rejects);

// Loads every reference of `program` from files[name]. `rejects` (may be null) gets the rejected
// rows, after a header line when `header` is set; without it, a rejected row is an error. Returns null with `error`
// set (naming the reference and the file) when a file is missing, unreadable or lacks a column;
// `io_failure` (may be null) says whether that was an I/O failure: a file that could not be opened
// or read to its end, or rejects that could not be written.
std::shared_ptr<const rt::References> LoadReferences(const ir::Program& program,
                                                     const std::map<std::string, std::string>& files,
                                                     std::FILE* rejects, std::vector<ReferenceLoadStats>& stats,
                                                     std::string& error, bool* io_failure = nullptr);

// From CSV text in memory (tests, `credo test`): texts[name] is the file's text.
std::shared_ptr<const rt::References> LoadReferenceTexts(const ir::Program& program,
                                                         const std::map<std::string, std::string>& texts,
                                                         std::string* rejects, std::string& error);

}  // namespace credo

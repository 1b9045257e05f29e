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

// Loads every reference of `program` from files[name]. `rejects` (may be null) gets the rejected
// rows, after a header line when `header` is set; without it, a rejected row is an error. Returns null with `error`
// set (naming the reference and the file) when a file is missing, unreadable or lacks a column.
std::shared_ptr<const rt::References> LoadReferences(const ir::Program& program,
                                                     const std::map<std::string, std::string>& files,
                                                     std::FILE* rejects, std::vector<ReferenceLoadStats>& stats,
                                                     std::string& error);

// From CSV text in memory (tests, `credo test`): texts[name] is the file's text.
std::shared_ptr<const rt::References> LoadReferenceTexts(const ir::Program& program,
                                                         const std::map<std::string, std::string>& texts,
                                                         std::string* rejects, std::string& error);

}  // namespace credo

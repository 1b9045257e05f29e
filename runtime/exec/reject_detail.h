// reject_detail.h — the rejects file's `detail` column: what the bad text was and what the policy
// expected instead. `credo explain` states a reject's expectation with the same words
// (ExpectedText), so the two never disagree.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "runtime/core/batch.h"
#include "runtime/exec/batch_run.h"

namespace credo::exec {

// What a cell of `field` must look like to be read; `empty`: the cell was empty.
std::string ExpectedText(const rt::PolicyInfo& info, const rt::InputField& field, bool empty);

// A cell that could not be read: `revenue: "12,3x" is not a number with at most 2 decimals, ...`.
std::string CellDetail(const rt::PolicyInfo& info, size_t field, std::string_view text);

// A record failing a rule of the policy (status > 0): the field's value and its `where`, the
// `check` it fails, or what went out of range.
std::string RuleDetail(const rt::PolicyInfo& info, int32_t status, const rt::InputBatch& input, size_t row);
// The same from the field's value (`bits`, `present`), for a record not held in a batch.
std::string RuleDetail(const rt::PolicyInfo& info, int32_t status, int64_t bits, bool present);

// A `unique` field's value seen before: `application_id: A-17 was accepted on line 12`.
std::string DuplicateDetail(const rt::PolicyInfo& info, size_t field, std::string_view value, int64_t first_line);
// The same where the first is not a line of a file: `where` is e.g. "row 3" (embedding batches).
std::string DuplicateDetail(const rt::PolicyInfo& info, size_t field, std::string_view value, std::string_view where);

// A reject of a batch run (batch_run.h: the embedding API's batches, the C ABI's Arrow arrays)
// in the words above; `cell(field, row)` is the text of a cell as given. A repeated `unique` key
// names the row that has it first ("row 3": a batch has rows where a file has lines).
std::string BatchRejectDetail(const rt::PolicyInfo& info, const BatchRun& run, const BatchReject& reject,
                              const std::function<std::string(size_t field, int64_t row)>& cell);

// A row of the wrong width, and a row with a bad quote.
std::string FieldCountDetail(size_t cells, size_t expected);
std::string BadQuoteDetail();

// A cell's text as shown in a detail: in double quotes, escaped, cut past 64 bytes.
std::string Quoted(std::string_view text);

}  // namespace credo::exec

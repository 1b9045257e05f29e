// record_parse.h — a batch of input records to a Pending batch's typed fields (internal to
// runtime/exec): ParseBatch for records already split into fields, RecordParser for whole
// records taken as text.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/exec/columns.h"
#include "runtime/exec/pending.h"
#include "runtime/io/csv.h"

namespace credo::exec {

// Parses split records into `p` as a run does: the fields (ParseRows), each row's line, the id
// the rejects file names it by, and the --keep cells.
void ParseBatch(const rt::PolicyInfo& info, const ColumnMap& columns, const io::TextBatch& text, Pending& p);

// Parses whole CSV records (CsvReader::ReadRecordText: no quotes) straight from their text: the
// ends of all cells of a batch are found first, a 64-byte block at a time (so no cell's parse
// waits for the one before it), then each record's cells are converted in place — numbers, enum
// names and strings without a copy into fields first (that split was a third of reading a file).
// Record by record: column by column was measured slower. A record this cannot finish (an empty
// required cell, a cell that is not a plain number, a wrong field count) is handed, split as
// CsvReader splits it, to ParseBatch, so the result is always exactly ParseBatch's.
class RecordParser {
 public:
  RecordParser(const rt::PolicyInfo& info, const ColumnMap& columns);
  void Parse(const io::RecordText& text, Pending& p) const;

 private:
  enum class Role : uint8_t { Skip, Integer, Decimal, String, Enum, Other };
  struct Cell {  // what the record's cell of one column is for
    Role role = Role::Skip;
    bool optional = false;
    int8_t scale = 0;
    int32_t field = -1;  // the policy input it feeds
    int32_t kept = -1;   // its --keep slot
    bool id = false;     // it names the row in the rejects file
    int32_t names = -1;  // Enum: its names_ entry
    bool plain_number = false;  // an Integer or Decimal cell before the last, not kept, not the id
    int64_t limit = 0;          // Integer, Decimal: the magnitude limit of its raw value
  };
  struct EnumName {  // an enum value's text, with its first and last 8 bytes as words
    size_t size;
    uint64_t prefix;
    uint64_t last;  // (the last 8 bytes of a longer name; 0 for one of 8 bytes or fewer)
    std::string text;
  };
  // An enum's names, and a table that sends each name's (first 8 bytes, last 8 bytes, size) to
  // it without a collision: one multiplication and one probe instead of a search (the search
  // when no multiplier separates them, as for two names alike in those bytes).
  struct EnumNames {
    std::vector<EnumName> names;
    uint64_t multiplier = 0;  // 0: no table
    int shift = 64;
    std::vector<int16_t> table;  // name index, or -1
    size_t Slot(uint64_t prefix, uint64_t last, size_t size) const {
      return size_t(((prefix ^ size ^ std::rotl(last, 29)) * multiplier) >> shift);
    }
  };
  struct Column {  // a cell, and where its field goes in the batch being parsed (one array for
    Cell cell;      // the cell loop: fewer registers live than two)
    int64_t* values = nullptr;
    uint8_t* valid = nullptr;
  };
  static void SeparateNames(EnumNames& names);
  int64_t EnumValue(int32_t names, std::string_view text) const;
  // Parses the record at `at` in the text at `d`, its cells ending at d + cell_end[c] (the last
  // at its LF), into row r of `columns` (one per cell); false when the record needs ParseBatch.
  bool ParseRecord(const char* d, const char* at, const char* end, const uint32_t* cell_end, size_t r,
                   const Column* columns, size_t width, Pending& p) const;
  // Parses the records ParseRecord left through ParseBatch and puts them in their rows.
  void ParseRest(const std::vector<uint32_t>& rows, const std::vector<std::string_view>& lines, int64_t first_line,
                 Pending& p) const;

  const rt::PolicyInfo& info_;
  const ColumnMap& columns_;
  std::vector<Cell> cells_;  // per column of the record
  std::vector<EnumNames> names_;
  bool id_is_first_field_ = false;
};

}  // namespace credo::exec

// lines.h — the structure the formatter lays out: the source's tokens grouped into output
// lines, each knowing its block (for its indentation and what it aligns with) and whether it
// continues the line above (a long condition broken by its author) or starts an item.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/format/tokens.h"

namespace credo::format {

// What a `{ ... }` holds; it decides which columns its lines align.
enum class BlockKind : uint8_t {
  Top, Enum, Input, Rules, Warnings, Scorecard, Bins, Lookup, DecisionTable, Decision, Group, Output, Rejects, Other
};

// A column a line aligns with the lines around it: token `tok` starts at the column shared by
// every line of the run that has the same `key`, at least `gap` spaces after what precedes it.
struct Stop {
  std::string key;
  size_t tok;
  int gap = 1;
  bool capped = false;  // not aligned on a line that would then pass kMaxAlignedWidth
};

struct Line {
  std::vector<size_t> toks;   // indices into the token vector, in order
  int depth = 0;              // block level: the indentation is 2 * depth
  int block = 0;              // the `{ ... }` instance the line is in (0: the file)
  BlockKind kind = BlockKind::Top;
  bool blank_before = false;  // the author left a blank line above it
  bool comment_only = false;
  bool continuation = false;  // continues item line `item`
  int item = -1;
  int run = 0;                // lines with the same run align their stops (same block, no blank line)
  // A continuation starts at the column of token `anchor` (the one it was aligned under), or
  // `offset` columns right of the indentation when it was aligned under none.
  int anchor = -1;
  int offset = 2;
  std::vector<Stop> stops;
};

// Per-token facts the spacing needs, found while the lines are built.
struct TokenRoles {
  std::vector<bool> unary;      // a `-` that negates (or the any-cell `-`)
  std::vector<bool> set_brace;  // a `{` or `}` of a set `{a, b}`, not of a block
};

struct Structure {
  std::vector<Line> lines;
  TokenRoles roles;
};

Structure BuildLines(const std::vector<Token>& tokens);

// Fills each line's stops from its block kind and its tokens.
void AssignStops(const std::vector<Token>& tokens, Structure& structure);

}  // namespace credo::format

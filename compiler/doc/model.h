// model.h — a policy document (`credo doc`) as a format-free tree: sections of prose, facts and
// tables. Collect (doc.h) decides what the document says; the Markdown and HTML renderers only
// decide how it looks, so both formats always say the same thing.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace credo::doc {

// A run of inline text: prose, policy source shown verbatim (monospace; may span lines), or
// emphasis.
struct Run {
  enum Kind : unsigned char { Text, Code, Strong } kind = Text;
  std::string text;
};
using Inline = std::vector<Run>;

inline Inline Plain(std::string text) { return {{Run::Text, std::move(text)}}; }
inline Inline Code(std::string text) { return {{Run::Code, std::move(text)}}; }
inline Inline Strong(std::string text) { return {{Run::Strong, std::move(text)}}; }

struct Row {
  std::vector<Inline> cells;
  bool starts_group = false;  // the first row of a group (a characteristic's bins): drawn with a rule above
};

struct Table {
  std::string kind;                  // what it lists ("inputs", "rules", "bins", ...): the HTML class
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

// A term and its description ("Version: 1.0").
using Fact = std::pair<std::string, Inline>;

struct Block {
  enum Kind : unsigned char { Paragraph, Note, Facts, Grid } kind = Paragraph;
  Inline text;               // Paragraph; Note: the author's comment, as written
  std::vector<Fact> facts;   // Facts
  Table table;               // Grid
};

struct Section {
  int level = 2;             // 2: a part of the policy; 3: one declaration
  std::string title;
  std::string code;          // the declared name, shown as code after the title ("" for none)
  std::string id;            // anchor, unique in the document
  std::vector<Block> blocks;
};

struct Document {
  std::string title;          // "sme_credit"
  std::vector<Fact> facts;    // version, description, hash, source
  std::vector<Block> preface; // the file's opening comment, how to read the document
  std::vector<Section> sections;
};

}  // namespace credo::doc

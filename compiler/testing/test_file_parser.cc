// The parser of test files (docs/testing.md, "The format"): line by line, a small stack of open
// blocks (record, case, group), every mistake reported with its place and the parse resumed at
// the next line.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "compiler/base/diagnostics.h"
#include "compiler/testing/test_file.h"

namespace credo::testing {

std::string Expectation::Label() const {
  switch (target) {
    case Target::Reject: return "reject";
    case Target::GroupColumn: return fmt::format("{}[{}].{}", output, key, column);
    case Target::Column: break;
  }
  return column;
}

std::string RenderErrors(const SourceFile& source, const std::vector<TestFileError>& errors) {
  std::vector<const TestFileError*> sorted;
  for (const auto& e : errors) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const TestFileError* a, const TestFileError* b) { return a->span.begin < b->span.begin; });
  std::string out;
  for (const TestFileError* e : sorted) {
    LineCol at = source.Locate(e->span.begin);
    out += fmt::format("{}:{}:{}: error: {}\n", source.path(), at.line, at.column, e->message);
    RenderSnippet(out, source, e->span, "");
    if (!e->hint.empty()) out += fmt::format("  = hint: {}\n", e->hint);
    out += "\n";
  }
  return out;
}

namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// A reading position in one line; `base` is the line's offset in the file, for spans.
class LineCursor {
 public:
  LineCursor(std::string_view line, uint32_t base) : line_(line), base_(base) {}

  void SkipBlanks() {
    while (at_ < line_.size() && (line_[at_] == ' ' || line_[at_] == '\t')) ++at_;
  }
  // Blanks, then nothing or a comment.
  bool AtEnd() {
    SkipBlanks();
    return at_ >= line_.size() || line_[at_] == '#';
  }
  char Peek() {
    SkipBlanks();
    return at_ < line_.size() ? line_[at_] : '\0';
  }
  // Decimal digits (at most 9), or "" when none start here.
  std::string Digits(Span& span) {
    SkipBlanks();
    size_t begin = at_;
    while (at_ < line_.size() && at_ - begin < 9 && line_[at_] >= '0' && line_[at_] <= '9') ++at_;
    span = SpanOf(begin, at_);
    return std::string(line_.substr(begin, at_ - begin));
  }
  bool Accept(char c) {
    if (Peek() != c) return false;
    ++at_;
    return true;
  }
  // A name (letters, digits, `_`), or "" when none starts here.
  std::string Name(Span& span) {
    SkipBlanks();
    size_t begin = at_;
    if (at_ < line_.size() && IsNameStart(line_[at_]))
      while (at_ < line_.size() && IsNameChar(line_[at_])) ++at_;
    span = SpanOf(begin, at_);
    return std::string(line_.substr(begin, at_ - begin));
  }
  // A quoted text, `""` standing for `"`; nullopt (with `error` set) when it is not closed.
  std::optional<std::string> Quoted(std::string& error) {
    SkipBlanks();
    size_t begin = at_++;
    std::string text;
    while (at_ < line_.size()) {
      if (line_[at_] == '"') {
        if (at_ + 1 < line_.size() && line_[at_ + 1] == '"') {
          text += '"';
          at_ += 2;
          continue;
        }
        ++at_;
        return text;
      }
      text += line_[at_++];
    }
    at_ = begin;
    error = "this text has no closing quote";
    return std::nullopt;
  }
  // A field's or an expectation's value: a quoted text, or the rest of the line up to a
  // comment, without the blanks around it.
  std::optional<std::string> Value(std::string& error) {
    if (Peek() == '"') return Quoted(error);
    size_t begin = at_;
    while (at_ < line_.size() && line_[at_] != '#') ++at_;
    size_t end = at_;
    while (end > begin && (line_[end - 1] == ' ' || line_[end - 1] == '\t')) --end;
    return std::string(line_.substr(begin, end - begin));
  }
  // Text up to `stop` (a group key written without quotes).
  std::string Until(char stop) {
    SkipBlanks();
    size_t begin = at_;
    while (at_ < line_.size() && line_[at_] != stop) ++at_;
    size_t end = at_;
    while (end > begin && (line_[end - 1] == ' ' || line_[end - 1] == '\t')) --end;
    return std::string(line_.substr(begin, end - begin));
  }
  // The span of what is left (at least one character, for the caret).
  Span Here() {
    SkipBlanks();
    return SpanOf(at_, at_ + 1);
  }
  Span SpanOf(size_t begin, size_t end) const { return {base_ + uint32_t(begin), base_ + uint32_t(end)}; }
  // Whether the next thing on the line is `=` (after the name just read).
  bool NextIsEquals() { return Peek() == '='; }

 private:
  std::string_view line_;
  uint32_t base_;
  size_t at_ = 0;
};

class Parser {
 public:
  Parser(const SourceFile& source, std::vector<TestFileError>& errors) : source_(source), errors_(errors) {}

  TestFile Parse() {
    std::string_view text = source_.text();
    for (size_t begin = 0; begin <= text.size();) {
      size_t end = text.find('\n', begin);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(begin, end - begin);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      LineCursor cursor(line, uint32_t(begin));
      if (In(Block::Reference) && !cursor.AtEnd()) ReferenceLine(line);
      else if (!cursor.AtEnd()) Line(cursor);
      begin = end + 1;
    }
    for (auto it = open_.rbegin(); it != open_.rend(); ++it)
      Error(it->span, fmt::format("this {} has no `end`", BlockName(it->kind)), "close every record, case and group with a line `end`");
    return std::move(file_);
  }

 private:
  enum class Block { Record, Case, Group, Reference };
  struct Open {
    Block kind;
    size_t index;
    Span span;
  };

  static const char* BlockName(Block b) {
    return b == Block::Record ? "record" : b == Block::Case ? "case" : b == Block::Group ? "group" : "reference";
  }
  void Error(Span span, std::string message, std::string hint = {}) {
    errors_.push_back({span, std::move(message), std::move(hint)});
  }
  const Open* Top() const { return open_.empty() ? nullptr : &open_.back(); }
  bool In(Block b) const { return Top() && Top()->kind == b; }

  void Line(LineCursor& c) {
    Span word_span;
    std::string word = c.Name(word_span);
    if (word.empty()) {
      Error(c.Here(), "expected `record`, `case`, `group`, `expect`, `end` or `FIELD = VALUE`");
      return;
    }
    if (c.NextIsEquals()) return Field(c, word, word_span);
    if (word == "policy") return Policy(c, word_span);
    if (word == "record") return RecordHeader(c, word_span);
    if (word == "case") return CaseHeader(c, word_span);
    if (word == "group") return GroupHeader(c, word_span);
    if (word == "expect") return Expect(c, word_span);
    if (word == "end") return End(c, word_span);
    if (word == "uncovered") return ExcuseLine(c, word_span);
    if (word == "reference") return ReferenceHeader(c, word_span);
    Error(word_span, fmt::format("unknown word '{}'", word),
          "a line is `record`, `case`, `group`, `expect`, `end`, `policy`, `uncovered` or `FIELD = VALUE`");
  }

  // Reports anything left on the line after a complete statement.
  void ExpectEnd(LineCursor& c) {
    if (!c.AtEnd()) Error(c.Here(), "unexpected text at the end of the line", "put a comment after `#`");
  }

  std::optional<std::string> QuotedName(LineCursor& c, const char* what) {
    if (c.Peek() != '"') {
      Error(c.Here(), fmt::format("expected the {}'s name in quotes", what), fmt::format("write {} \"what it shows\"", what));
      return std::nullopt;
    }
    std::string why;
    auto name = c.Quoted(why);
    if (!name) Error(c.Here(), why, "end the text with `\"` (write `\"\"` for a quote inside it)");
    else if (name->empty()) Error(c.Here(), fmt::format("the {}'s name is empty", what));
    return name;
  }

  // `from BASE`, when present.
  bool From(LineCursor& c, std::string& from, Span& from_span) {
    if (c.AtEnd()) return true;
    Span s;
    std::string word = c.Name(s);
    if (word != "from") {
      Error(word.empty() ? c.Here() : s, "expected `from BASE` or the end of the line");
      return false;
    }
    from = c.Name(from_span);
    if (from.empty()) {
      Error(c.Here(), "expected the name of a record after `from`");
      return false;
    }
    return true;
  }

  void Policy(LineCursor& c, Span word_span) {
    if (Top()) return Error(word_span, "`policy` belongs at the top of the file, outside any block");
    if (!file_.policy.empty()) return Error(word_span, "the policy is named twice", "a test file tests one policy");
    std::string why;
    if (c.Peek() != '"') return Error(c.Here(), "expected the policy file in quotes", "write policy \"my-policy.credo\"");
    Span at = c.Here();
    auto path = c.Quoted(why);
    if (!path) return Error(at, why);
    if (path->empty()) return Error(at, "the policy file is empty");
    file_.policy = *path;
    file_.policy_span = at;
    ExpectEnd(c);
  }

  void RecordHeader(LineCursor& c, Span word_span) {
    if (Top()) Error(word_span, "a record is declared at the top of the file, outside any block");
    RecordDef r;
    r.name = c.Name(r.span);
    if (r.name.empty()) Error(c.Here(), "expected the record's name", "write record NAME (letters, digits and _)");
    if (From(c, r.from, r.from_span)) ExpectEnd(c);
    for (const auto& other : file_.records)
      if (!r.name.empty() && other.name == r.name) Error(r.span, fmt::format("a second record named '{}'", r.name), "give each record its own name");
    if (r.span.end == r.span.begin) r.span = word_span;
    open_.push_back({Block::Record, file_.records.size(), r.span});
    file_.records.push_back(std::move(r));
  }

  void CaseHeader(LineCursor& c, Span word_span) {
    int group = -1;
    if (In(Block::Group)) group = int(Top()->index);
    else if (Top()) Error(word_span, fmt::format("a case cannot be inside a {}", BlockName(Top()->kind)), "close the block above with `end`");
    CaseDef k;
    k.span = c.Here();
    k.line = source_.Locate(word_span.begin).line;
    auto name = QuotedName(c, "case");
    if (name) k.name = *name;
    if (name && From(c, k.from, k.from_span)) ExpectEnd(c);
    for (const auto& other : file_.cases)
      if (!k.name.empty() && other.name == k.name)
        Error(k.span, fmt::format("a second case named \"{}\"", k.name), "give each case its own name: reports name cases by it");
    k.group = group;
    if (group >= 0) file_.groups[size_t(group)].cases.push_back(file_.cases.size());
    open_.push_back({Block::Case, file_.cases.size(), word_span});
    file_.cases.push_back(std::move(k));
  }

  void GroupHeader(LineCursor& c, Span word_span) {
    if (Top()) Error(word_span, "a group block is declared at the top of the file, outside any block");
    GroupDef g;
    g.span = c.Here();
    g.line = source_.Locate(word_span.begin).line;
    auto name = QuotedName(c, "group");
    if (name) {
      g.name = *name;
      ExpectEnd(c);
    }
    for (const auto& other : file_.groups)
      if (!g.name.empty() && other.name == g.name) Error(g.span, fmt::format("a second group named \"{}\"", g.name));
    open_.push_back({Block::Group, file_.groups.size(), word_span});
    file_.groups.push_back(std::move(g));
  }

  void Field(LineCursor& c, const std::string& name, Span name_span) {
    c.Accept('=');
    std::vector<FieldValue>* fields = nullptr;
    if (In(Block::Record)) fields = &file_.records[Top()->index].fields;
    if (In(Block::Case)) fields = &file_.cases[Top()->index].fields;
    if (!fields) {
      Error(name_span, fmt::format("a field value outside a record or case: '{}'", name),
            "put `FIELD = VALUE` lines between `record NAME` (or `case \"NAME\"`) and `end`");
      return;
    }
    std::string why;
    auto value = c.Value(why);
    if (!value) return Error(c.Here(), why, "end the text with `\"` (write `\"\"` for a quote inside it)");
    ExpectEnd(c);
    for (const auto& f : *fields)
      if (f.name == name) return Error(name_span, fmt::format("field '{}' is given twice", name), "keep one line per field");
    fields->push_back({name, name_span, *value});
  }

  // expect NAME = VALUE | expect reject = VALUE | expect OUTPUT[KEY].COLUMN = VALUE
  void Expect(LineCursor& c, Span word_span) {
    bool in_case = In(Block::Case), in_group = In(Block::Group);
    if (!in_case && !in_group)
      return Error(word_span, "`expect` belongs in a case or a group block");
    Expectation e;
    Span name_span;
    std::string name = c.Name(name_span);
    if (name.empty()) return Error(c.Here(), "expected an output column, `reject` or OUTPUT[KEY].COLUMN after `expect`");
    e.span = name_span;
    if (c.Accept('[')) {
      e.target = Expectation::Target::GroupColumn;
      e.output = name;
      if (c.Peek() == '"') {
        std::string why;
        auto key = c.Quoted(why);
        if (!key) return Error(c.Here(), why);
        e.key = *key;
      } else {
        e.key = c.Until(']');
      }
      if (!c.Accept(']')) return Error(c.Here(), "expected `]` after the group key");
      if (!c.Accept('.')) return Error(c.Here(), "expected `.COLUMN` after the group key", "write OUTPUT[KEY].COLUMN, e.g. groups[G1].exposure");
      Span column_span;
      e.column = c.Name(column_span);
      if (e.column.empty()) return Error(c.Here(), "expected the column of the per-group output");
      e.span.end = column_span.end;
    } else if (name == "reject") {
      e.target = Expectation::Target::Reject;
    } else {
      e.column = name;
    }
    if (!c.Accept('=')) return Error(c.Here(), "expected `=` and the expected value", "write expect COLUMN = VALUE");
    std::string why;
    auto value = c.Value(why);
    if (!value) return Error(c.Here(), why, "end the text with `\"` (write `\"\"` for a quote inside it)");
    e.expected = *value;
    ExpectEnd(c);
    bool group_row = e.target == Expectation::Target::GroupColumn;
    if (in_group && !group_row)
      return Error(e.span, "a group block's own expectations name a per-group output row",
                   "write OUTPUT[KEY].COLUMN here, or put the expectation inside the case it is about");
    if (in_case && group_row) {
      bool member = file_.cases[Top()->index].group >= 0;
      return Error(e.span, "a per-group output row is expected of a group, not of one case",
                   member ? "move this line after the cases, before the group's `end`"
                          : "put the cases of the group in a `group \"NAME\" ... end` block and this line in it");
    }
    auto& list = in_case ? file_.cases[Top()->index].expects : file_.groups[Top()->index].expects;
    for (const auto& other : list)
      if (other.Label() == e.Label()) return Error(e.span, fmt::format("'{}' is expected twice", e.Label()), "keep one line per expectation");
    if (in_case) {
      bool reject = e.target == Expectation::Target::Reject;
      for (const auto& other : list)
        if (reject != (other.target == Expectation::Target::Reject))
          return Error(e.span, "a case expects a reject and output values",
                       "a rejected record has no outputs: expect either `reject` or output columns");
    }
    list.push_back(std::move(e));
  }

  // uncovered "ITEM" because "WHY" | uncovered line N because "WHY"
  void ExcuseLine(LineCursor& c, Span word_span) {
    const char* form =
        "write uncovered \"ITEM\" because \"WHY\" (ITEM as the coverage report names it) or uncovered line N "
        "because \"WHY\"";
    if (Top()) return Error(word_span, "`uncovered` belongs at the top of the file, outside any block");
    Excuse e;
    std::string why;
    if (c.Peek() == '"') {
      e.span = c.Here();
      auto item = c.Quoted(why);
      if (!item) return Error(e.span, why);
      if (item->empty()) return Error(e.span, "the item is empty", form);
      e.item = *item;
      e.span.end = e.span.begin + uint32_t(item->size()) + 2;
    } else {
      Span line_span;
      if (c.Name(line_span) != "line")
        return Error(line_span.end > line_span.begin ? line_span : c.Here(),
                     "expected the item in quotes or `line N` after `uncovered`", form);
      std::string digits = c.Digits(e.span);
      if (digits.empty() || std::stoul(digits) == 0)
        return Error(c.Here(), "expected the policy's line number after `line`", form);
      e.line = uint32_t(std::stoul(digits));
    }
    Span because_span;
    if (c.Name(because_span) != "because")
      return Error(because_span.end > because_span.begin ? because_span : c.Here(), "expected `because \"WHY\"`",
                   "say why no case can exercise it: uncovered ... because \"WHY\"");
    if (c.Peek() != '"') return Error(c.Here(), "expected the reason in quotes after `because`", form);
    Span at = c.Here();
    auto because = c.Quoted(why);
    if (!because) return Error(at, why, "end the text with `\"` (write `\"\"` for a quote inside it)");
    if (because->empty()) return Error(at, "the reason is empty", "say why no case can exercise the item");
    e.because = *because;
    ExpectEnd(c);
    file_.excuses.push_back(std::move(e));
  }

  void ReferenceHeader(LineCursor& c, Span word_span) {
    if (Top()) Error(word_span, "reference data is given at the top of the file, outside any block");
    ReferenceDef r;
    r.name = c.Name(r.span);
    if (r.name.empty()) Error(c.Here(), "expected the reference's name", "write reference NAME, then its CSV lines, then end");
    ExpectEnd(c);
    for (const auto& other : file_.references)
      if (!r.name.empty() && other.name == r.name)
        Error(r.span, fmt::format("reference '{}' is given twice", r.name), "give all its rows in one block");
    if (r.span.end == r.span.begin) r.span = word_span;
    open_.push_back({Block::Reference, file_.references.size(), r.span});
    file_.references.push_back(std::move(r));
  }

  // A line of a reference block: `end`, or a CSV line taken as written (a line that starts
  // with `#` is a comment, as everywhere).
  void ReferenceLine(std::string_view line) {
    size_t first = line.find_first_not_of(" \t"), last = line.find_last_not_of(" \t");
    std::string_view text = line.substr(first, last - first + 1);
    if (text == "end") return open_.pop_back();
    file_.references[Top()->index].csv.append(text).push_back('\n');
  }

  void End(LineCursor& c, Span word_span) {
    if (!Top()) return Error(word_span, "`end` without a record, case or group to close");
    ExpectEnd(c);
    Open closed = open_.back();
    open_.pop_back();
    if (closed.kind == Block::Group && file_.groups[closed.index].cases.empty())
      Error(closed.span, "this group block has no cases", "list the cases evaluated together between `group` and `end`");
  }

  const SourceFile& source_;
  std::vector<TestFileError>& errors_;
  TestFile file_;
  std::vector<Open> open_;
};

}  // namespace

TestFile ParseTestFile(const SourceFile& source, std::vector<TestFileError>& errors) {
  return Parser(source, errors).Parse();
}

}  // namespace credo::testing

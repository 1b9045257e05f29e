// render_markdown.cc — a policy document as GitHub-flavoured Markdown. Source text is shown in
// code spans; source that spans lines, which a code span cannot hold, is written as inline HTML
// (<code> with <br>), which GitHub renders inside table cells too.
#include <algorithm>

#include <fmt/format.h>

#include "compiler/doc/doc.h"

namespace credo::doc {

namespace {

std::string EscapeText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') { out += ' '; continue; }
    if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string HtmlCode(std::string_view text) {
  std::string out = "<code>";
  bool line_start = true;
  for (char c : text) {
    if (c == ' ' && line_start) { out += "&nbsp;"; continue; }
    line_start = false;
    switch (c) {
      case '\n': out += "<br>"; line_start = true; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '|': out += "&#124;"; break;
      case '*': out += "&#42;"; break;
      case '_': out += "&#95;"; break;
      case '\\': out += "&#92;"; break;
      case '`': out += "&#96;"; break;
      default: out += c;
    }
  }
  return out + "</code>";
}

std::string CodeSpan(std::string_view text, bool in_table) {
  if (text.find('\n') != std::string_view::npos) return HtmlCode(text);
  // The fence is one backtick longer than the longest run inside.
  size_t longest = 0, run = 0;
  for (char c : text) longest = std::max(longest, run = c == '`' ? run + 1 : 0);
  std::string fence(longest + 1, '`'), body;
  for (char c : text) body += in_table && c == '|' ? std::string("\\|") : std::string(1, c);
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`' || body.front() == ' ');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string Render(const Inline& text, bool in_table) {
  std::string out;
  for (const Run& run : text) {
    if (run.text.empty()) continue;
    switch (run.kind) {
      case Run::Text: out += EscapeText(run.text); break;
      case Run::Code: out += CodeSpan(run.text, in_table); break;
      case Run::Strong: out += "**" + EscapeText(run.text) + "**"; break;
    }
  }
  return out;
}

void Facts(std::string& out, const std::vector<Fact>& facts) {
  for (const auto& [term, text] : facts) out += fmt::format("- **{}:** {}\n", EscapeText(term), Render(text, false));
  out += "\n";
}

void Grid(std::string& out, const Table& table) {
  out += "|";
  for (const std::string& column : table.columns) out += " " + EscapeText(column) + " |";
  out += "\n|";
  for (size_t i = 0; i < table.columns.size(); ++i) out += "---|";
  out += "\n";
  for (const Row& row : table.rows) {
    out += "|";
    for (size_t i = 0; i < table.columns.size(); ++i) {
      std::string cell = i < row.cells.size() ? Render(row.cells[i], true) : "";
      out += " " + cell + (cell.empty() ? "|" : " |");
    }
    out += "\n";
  }
  out += "\n";
}

void Blocks(std::string& out, const std::vector<Block>& blocks) {
  for (const Block& block : blocks) {
    switch (block.kind) {
      case Block::Paragraph: out += Render(block.text, false) + "\n\n"; break;
      case Block::Note: out += "> " + Render(block.text, false) + "\n\n"; break;
      case Block::Facts: Facts(out, block.facts); break;
      case Block::Grid: Grid(out, block.table); break;
    }
  }
}

std::string Heading(const Section& section) {
  std::string text = EscapeText(section.title);
  if (!section.code.empty()) text += " " + CodeSpan(section.code, false);
  return text;
}

}  // namespace

std::string RenderMarkdown(const Document& document) {
  std::string out = fmt::format("# Policy {}\n\n", CodeSpan(document.title, false));
  Facts(out, document.facts);
  Blocks(out, document.preface);
  out += "## Contents\n\n";
  for (const Section& section : document.sections)
    out += fmt::format("{}- [{}](#{})\n", section.level > 2 ? "  " : "", Heading(section), section.id);
  out += "\n";
  for (const Section& section : document.sections) {
    out += fmt::format("<a id=\"{}\"></a>\n\n{} {}\n\n", section.id, std::string(size_t(section.level), '#'), Heading(section));
    Blocks(out, section.blocks);
  }
  // One line end at the end of the file, not two.
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace credo::doc

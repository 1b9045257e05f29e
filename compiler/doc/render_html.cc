// render_html.cc — a policy document as one self-contained HTML5 page: inline CSS for screen
// and print, no script, no fonts or images fetched, so it opens offline and prints for sign-off.
#include <fmt/format.h>

#include "compiler/base/html.h"
#include "compiler/doc/doc.h"

namespace credo::doc {

namespace {

const char* kStyle = R"(
:root { --rule: #c8ccd2; --head: #eef1f4; --ink: #1b1f24; --soft: #57606a; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; padding: 24px 32px 48px; max-width: 1200px; }
h1 { font-size: 1.9em; margin: 0 0 .4em; }
h2 { font-size: 1.4em; margin: 1.8em 0 .5em; padding-bottom: .2em; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.15em; margin: 1.4em 0 .4em; }
h2, h3 { break-after: avoid; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em;
       background: #f4f5f7; border-radius: 3px; padding: 0 .2em; white-space: pre-wrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: .5em 0 1em; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
blockquote.note { margin: .6em 0; padding: .3em .8em; border-left: 4px solid var(--rule); color: var(--soft);
                  font-style: italic; }
table { border-collapse: collapse; margin: .6em 0 1.2em; font-size: .92em; }
th, td { border: 1px solid var(--rule); padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: var(--head); }
thead { display: table-header-group; }
tr { break-inside: avoid; }
tr.group td { border-top: 2px solid #8c939b; }
td.note { color: var(--soft); font-style: italic; }
nav.contents ul { columns: 2; margin: .3em 0 1em; padding-left: 1.2em; list-style: none; }
nav.contents ul ul { columns: 1; padding-left: 1.2em; margin: 0; }
nav.contents li { break-inside: avoid; }
table.signoff td { height: 2.6em; }
footer { margin-top: 3em; color: var(--soft); font-size: .85em; }
a { color: #0b5cad; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; padding: 0; max-width: none; }
  a { color: inherit; text-decoration: none; }
  nav.contents { break-after: page; }
  table { font-size: 8.5pt; }
  code { background: none; padding: 0; }
  h2 { break-before: auto; }
}
)";

std::string Render(const Inline& text) {
  std::string out;
  for (const Run& run : text) {
    if (run.text.empty()) continue;
    switch (run.kind) {
      case Run::Text: out += HtmlEscape(run.text); break;
      case Run::Code: out += "<code>" + HtmlEscape(run.text) + "</code>"; break;
      case Run::Strong: out += "<strong>" + HtmlEscape(run.text) + "</strong>"; break;
    }
  }
  return out;
}

void Facts(std::string& out, const std::vector<Fact>& facts) {
  out += "<dl class=\"facts\">\n";
  for (const auto& [term, text] : facts) out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", HtmlEscape(term), Render(text));
  out += "</dl>\n";
}

void Grid(std::string& out, const Table& table) {
  out += fmt::format("<table class=\"{}\">\n<thead><tr>", HtmlEscape(table.kind));
  for (const std::string& column : table.columns) out += "<th>" + HtmlEscape(column) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const Row& row : table.rows) {
    out += row.starts_group ? "<tr class=\"group\">" : "<tr>";
    for (size_t i = 0; i < table.columns.size(); ++i) {
      bool note = table.columns[i] == "Notes";
      out += note ? "<td class=\"note\">" : "<td>";
      if (i < row.cells.size()) out += Render(row.cells[i]);
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

void Blocks(std::string& out, const std::vector<Block>& blocks) {
  for (const Block& block : blocks) {
    switch (block.kind) {
      case Block::Paragraph: out += "<p>" + Render(block.text) + "</p>\n"; break;
      case Block::Note: out += "<blockquote class=\"note\">" + Render(block.text) + "</blockquote>\n"; break;
      case Block::Facts: Facts(out, block.facts); break;
      case Block::Grid: Grid(out, block.table); break;
    }
  }
}

std::string Heading(const Section& section) {
  std::string text = HtmlEscape(section.title);
  if (!section.code.empty()) text += " <code>" + HtmlEscape(section.code) + "</code>";
  return text;
}

// The contents: level-2 sections, each with its level-3 ones nested.
void Contents(std::string& out, const std::vector<Section>& sections) {
  out += "<nav class=\"contents\">\n<h2>Contents</h2>\n<ul>\n";
  bool nested = false;
  for (size_t i = 0; i < sections.size(); ++i) {
    const Section& s = sections[i];
    if (s.level > 2 && !nested) out += "<ul>\n", nested = true;
    if (s.level == 2 && nested) out += "</ul></li>\n", nested = false;
    out += fmt::format("<li><a href=\"#{}\">{}</a>", s.id, Heading(s));
    bool opens = s.level == 2 && i + 1 < sections.size() && sections[i + 1].level > 2;
    out += opens ? "\n" : "</li>\n";
  }
  if (nested) out += "</ul></li>\n";
  out += "</ul>\n</nav>\n";
}

}  // namespace

std::string RenderHtml(const Document& document) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  std::string version;
  for (const auto& [term, text] : document.facts)
    if (term == "Version" && !text.empty()) version = " " + text.front().text;
  out += fmt::format("<title>Policy {}{}</title>\n<style>{}</style>\n</head>\n<body>\n", HtmlEscape(document.title),
                     HtmlEscape(version), kStyle);
  out += fmt::format("<header>\n<h1>Policy <code>{}</code></h1>\n", HtmlEscape(document.title));
  Facts(out, document.facts);
  Blocks(out, document.preface);
  out += "</header>\n";
  Contents(out, document.sections);
  out += "<main>\n";
  for (const Section& section : document.sections) {
    out += fmt::format("<h{0} id=\"{1}\">{2}</h{0}>\n", section.level, HtmlEscape(section.id), Heading(section));
    Blocks(out, section.blocks);
  }
  out += "</main>\n<footer>Generated by <code>credo doc</code>.</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace credo::doc

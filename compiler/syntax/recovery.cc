#include "compiler/syntax/recovery.h"

#include <algorithm>
#include <cctype>

namespace credo {
namespace {

// Whether ANTLR repaired anything inside `node`: a conjured or skipped token (an error node) or
// a rule that ended in a recognition exception.
bool Repaired(antlr4::tree::ParseTree* node) {
  if (dynamic_cast<antlr4::tree::ErrorNode*>(node)) return true;
  if (auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(node); rule && rule->exception) return true;
  return std::any_of(node->children.begin(), node->children.end(), Repaired);
}

bool NameLike(const std::string& text) {
  return !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_');
}

}  // namespace

Recovery Recover(credo_gen::CredoParser::PolicyContext& tree, antlr4::CommonTokenStream& tokens,
                 const std::vector<size_t>& errors) {
  Recovery r;
  std::vector<credo_gen::CredoParser::DeclContext*> decls = tree.decl();
  const std::vector<antlr4::Token*>& all = tokens.getTokens();
  size_t end = all.empty() ? 0 : all.size() - 1;  // the EOF token
  // starts[i]: the first token of declaration i; parts: -1 the header, i declaration i.
  std::vector<size_t> starts;
  for (auto* d : decls) starts.push_back(d->getStart()->getTokenIndex());
  auto part_of = [&](size_t token) {
    return int(std::lower_bound(starts.begin(), starts.end(), token) - starts.begin()) - 1;
  };
  std::vector<bool> broken(decls.size(), false);
  std::set<int> parts_seen;
  for (size_t i = 0; i < errors.size(); ++i) {
    int part = part_of(errors[i]);
    if (parts_seen.insert(part).second) r.shown.push_back(i);  // later errors of a part are cascades
    if (part < 0) r.header_broken = true;
    else broken[size_t(part)] = true;
  }
  // Brace depth at each declaration's start, from the raw tokens; once a `}` closes more than
  // was opened, nothing after it is trusted.
  std::vector<int> depth_at(decls.size(), -1);
  int depth = 0;
  size_t next = 0;
  for (size_t t = 0; t <= end && next < starts.size(); ++t) {
    while (next < starts.size() && starts[next] == t) depth_at[next++] = depth;
    const std::string text = all[t]->getText();
    if (text == "{") ++depth;
    else if (text == "}" && --depth < 0) depth = -1'000'000;
  }
  for (size_t i = 0; i < decls.size(); ++i) {
    antlr4::Token* first = all[starts[i]];
    bool starts_line = starts[i] == 0 || all[starts[i] - 1]->getLine() != first->getLine();
    bool ok = !broken[i] && depth_at[i] == 0 && starts_line && !Repaired(decls[i]);
    r.trusted.push_back(ok);
    if (ok) continue;
    size_t to = i + 1 < starts.size() ? starts[i + 1] : end;
    for (size_t t = starts[i]; t < to; ++t) {
      std::string text = all[t]->getText();
      if (text == "import") r.import_broken = true;
      if (NameLike(text)) r.broken_words.insert(text);
    }
  }
  return r;
}

}  // namespace credo

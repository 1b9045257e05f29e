#include "compiler/syntax/imports.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "compiler/syntax/parser.h"

namespace credo {

namespace fs = std::filesystem;

bool ReadSourceFile(const std::string& path, std::string& text, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = "it is a directory";
    return false;
  }
  std::ifstream file(path, std::ios::binary);
  std::stringstream buffer;
  if (file) buffer << file.rdbuf();
  if (!file || file.bad()) {
    error = std::strerror(errno);
    return false;
  }
  text = buffer.str();
  return true;
}

namespace {

// A file on the chain of imports being loaded: its canonical path and the import that led to it.
struct Link {
  std::string key;
  std::string shown;
  Span import;  // in the importing file; empty for the policy itself
};

class Importer {
 public:
  Importer(ast::Policy& policy, SourceFile& main, Diagnostics& diags, const FileReader& read)
      : policy_(policy), main_(main), diags_(diags), read_(read) {}

  void Run() {
    if (policy_.is_library)
      diags_.Report(DiagKind::ImportNotLibrary, policy_.name.span,
                    fmt::format("'{}' is a library, not a policy: it has no input or decision to run", policy_.name.text),
                    "check or run a policy that imports it: `import \"" + fs::path(main_.path()).filename().string() + "\"`");
    for (const auto& d : Declarations(policy_)) owners_[d.first] = d.second;
    policy_.imported_from = static_cast<uint32_t>(main_.text().size()) + 1;  // the first imported file's base
    chain_.push_back({Key(main_.path()), main_.path(), {}});
    Load(policy_, main_);
  }

 private:
  static std::string Key(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? fs::path(path).lexically_normal().string() : p.string();
  }

  // The names a file declares at the top level, with where.
  static std::vector<std::pair<std::string, Span>> Declarations(const ast::Policy& p) {
    std::vector<std::pair<std::string, Span>> out;
    for (const auto& e : p.enums) out.push_back({e.name.text, e.name.span});
    for (const auto& l : p.lets) out.push_back({l.name.text, l.name.span});
    for (const auto& f : p.functions) out.push_back({f.name.text, f.name.span});
    for (const auto& t : p.tables) out.push_back({t.name.text, t.name.span});
    for (const auto& t : p.decision_tables) out.push_back({t.name.text, t.name.span});
    for (const auto& b : p.bands) out.push_back({b.name.text, b.name.span});
    for (const auto& s : p.scorecards) out.push_back({s.name.text, s.name.span});
    for (const auto& r : p.rule_sets) out.push_back({r.name.text, r.name.span});
    for (const auto& i : p.inputs)
      for (const auto& f : i.fields) out.push_back({f.name.text, f.name.span});
    for (const auto& r : p.references) out.push_back({r.name.text, r.name.span});
    return out;
  }

  void Load(ast::Policy& file, const SourceFile& source) {
    fs::path dir = fs::path(source.path()).parent_path();
    for (const auto& import : file.imports) {
      std::string shown = (dir / import.path).lexically_normal().string();
      std::string key = Key(shown);
      auto on_chain = std::find_if(chain_.begin(), chain_.end(), [&](const Link& l) { return l.key == key; });
      if (on_chain != chain_.end()) {
        ReportCycle(on_chain, import, shown);
        continue;
      }
      if (loaded_.count(key)) continue;  // imported before, by this file or another: merged once
      loaded_.insert(key);
      std::string text, why;
      if (!read_(shown, text, why)) {
        diags_.Report(DiagKind::ImportNotFound, import.span, fmt::format("cannot read imported file '{}': {}", shown, why),
                      "the path is relative to the file that imports it: " +
                          (dir.empty() ? std::string("the current directory") : "'" + dir.string() + "/'"));
        continue;
      }
      auto owned = std::make_unique<SourceFile>(shown, std::move(text), main_.next_base());
      const SourceFile& lib_source = *owned;
      main_.Attach(std::move(owned));
      auto lib = Parse(lib_source, diags_);
      if (!lib) continue;
      if (!lib->is_library) {
        diags_.Report(DiagKind::ImportNotLibrary, import.span,
                      fmt::format("'{}' is a policy, not a library", shown),
                      "a file that other files import starts with `library NAME`, and holds enums, consts, functions, "
                      "tables, bands, scorecards and rule sets")
            .notes.push_back({lib->name.span, "its header"});
        continue;
      }
      CheckLibrary(*lib);
      chain_.push_back({key, shown, import.span});
      Load(*lib, lib_source);
      chain_.pop_back();
      Merge(*lib, import.span);
    }
  }

  void ReportCycle(std::vector<Link>::iterator from, const ast::ImportDecl& import, const std::string& shown) {
    std::string path;
    for (auto it = from; it != chain_.end(); ++it) path += it->shown + " → ";
    path += shown;
    Diagnostic& d = diags_.Report(DiagKind::ImportCycle, import.span, "import cycle: " + path,
                                  "files cannot import each other: move what both need into a third library that "
                                  "both import");
    for (auto it = from + 1; it != chain_.end(); ++it)
      d.notes.push_back({it->import, fmt::format("'{}' is imported here", it->shown)});
  }

  // What only a policy may declare.
  void CheckLibrary(const ast::Policy& lib) {
    auto report = [&](Span span, const char* what) {
      diags_.Report(DiagKind::LibraryDeclaration, span, fmt::format("a library may not declare {}", what),
                    "a library holds enums, consts, functions, tables, decision tables, bands, scorecards, rule sets and a rejects block; the "
                    "policy that imports it declares the input, lets, decision, warnings, group and output");
    };
    for (const auto& i : lib.inputs) report(i.name.span, "an input");
    for (const auto& r : lib.references) report(r.name.span, "reference data (the policy declares what it reads)");
    for (const auto& l : lib.lets)
      if (!l.is_const) report(l.name.span, "a `let` (a record value); a `const` it may");
    for (const auto& d : lib.decisions) report(d.span, "a decision");
    for (const auto& w : lib.warnings) report(w.span, "warnings");
    for (const auto& g : lib.groups) report(g.span, "a group block");
    for (const auto& o : lib.outputs) report(o.span, "an output");
    for (const auto& o : lib.group_outputs) report(o.span, "an output");
  }

  // Appends the library's declarations to the policy, except those whose name another file
  // declares (reported once, naming both places). A new kind of declaration that a library may
  // hold needs a line here and in Declarations(); one it may not, a line in CheckLibrary().
  void Merge(ast::Policy& lib, Span import) {
    std::set<std::string> clash;
    for (const auto& [name, span] : Declarations(lib)) {
      auto it = owners_.find(name);
      if (it == owners_.end()) {
        owners_[name] = span;
        continue;
      }
      if (&main_.FileAt(it->second.begin) == &main_.FileAt(span.begin)) continue;  // the checker's E0101
      clash.insert(name);
      Diagnostic& d = diags_.Report(
          DiagKind::ImportNameClash, it->second,
          fmt::format("'{}' is declared here and in library '{}' ({})", name, lib.name.text, main_.FileAt(span.begin).path()),
          "rename one of them: the names of a policy and of every library it imports share one scope");
      d.notes.push_back({span, "also declared here"});
      d.notes.push_back({import, "imported here"});
    }
    policy_.libraries.push_back({lib.name.text, lib.version});
    auto keep = [&](auto& from, auto& to) {
      for (auto& d : from)
        if (!clash.count(d.name.text)) to.push_back(std::move(d));
    };
    keep(lib.enums, policy_.enums);
    keep(lib.lets, policy_.lets);
    keep(lib.functions, policy_.functions);
    keep(lib.tables, policy_.tables);
    keep(lib.decision_tables, policy_.decision_tables);
    keep(lib.bands, policy_.bands);
    keep(lib.scorecards, policy_.scorecards);
    keep(lib.rule_sets, policy_.rule_sets);
    // A shared reject vocabulary: two `rejects` blocks (here and in the policy) are E0106.
    for (auto& r : lib.rejects) policy_.rejects.push_back(std::move(r));
  }

  ast::Policy& policy_;
  SourceFile& main_;
  Diagnostics& diags_;
  const FileReader& read_;
  std::vector<Link> chain_;
  std::set<std::string> loaded_;
  std::map<std::string, Span> owners_;  // top-level name → where it is declared (first file)
};

}  // namespace

void ResolveImports(ast::Policy& policy, SourceFile& main, Diagnostics& diags, const FileReader& read) {
  Importer(policy, main, diags, read).Run();
}

}  // namespace credo

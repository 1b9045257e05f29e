// compile.cc — Policy::compile_file / compile_text: the front end and the engine, diagnostics as
// data, and the description of a compiled policy (describe()).
#include <atomic>
#include <exception>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "api/policy_impl.h"
#include "api/references.h"
#include "api/trace_record.h"
#include "compiler/base/source.h"
#include "compiler/jit/jit.h"
#include "compiler/syntax/imports.h"

namespace credo::v1 {
namespace {

::credo::Engine Internal(Engine e) { return e == Engine::jit ? ::credo::Engine::Jit : ::credo::Engine::Interpreter; }

std::vector<Diagnostic> ToDiagnostics(const Compilation& c) {
  std::vector<const ::credo::Diagnostic*> sorted;
  for (const auto& d : c.diagnostics.all()) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](auto* a, auto* b) { return a->span.begin < b->span.begin; });
  std::vector<Diagnostic> out;
  for (const ::credo::Diagnostic* d : sorted) {
    const DiagKindInfo& kind = Info(d->kind);
    Diagnostic item;
    item.severity = kind.severity == ::credo::Severity::Error ? Severity::error : Severity::warning;
    item.code = kind.code;
    const SourceFile& file = c.source->FileAt(d->span.begin);
    item.file = file.path();
    LineCol at = c.source->Locate(d->span.begin);
    item.line = int(at.line);
    item.column = int(at.column);
    item.message = d->message;
    item.hint = d->hint;
    ::credo::Diagnostics one;  // rendered alone, exactly as Render shows it among the others
    one.Report(d->kind, d->span, d->message, d->hint).notes = d->notes;
    item.rendered = one.Render(*c.source);
    out.push_back(std::move(item));
  }
  return out;
}

std::string TypeText(const ast::TypeRef& type) {
  std::string text = type.name.text;
  if (type.size >= 0) text += fmt::format("({})", type.size);
  return type.optional ? text + "?" : text;
}

std::string OutputTypeText(const rt::PolicyInfo& info, const rt::ValueType& t) {
  switch (t.kind) {
    case rt::Kind::Bool: return "bool";
    case rt::Kind::Int: return "int";
    case rt::Kind::Number: return "number";
    case rt::Kind::Decimal: return t.scale == 2 ? "money" : fmt::format("decimal({})", t.scale);
    case rt::Kind::String: return "string";
    case rt::Kind::Date: return "date";
    case rt::Kind::Enum: return info.enums[size_t(t.names)].name;
    case rt::Kind::Codes: return "codes";
  }
  return "";
}

// The description, and the words for each reject reason, from the checked policy.
void Describe(PolicyImpl& p, const Compilation& c) {
  const rt::PolicyInfo& info = p.Info();
  const ast::Policy& ast = c.checked->ast();
  Description& d = p.description;
  d.name = info.name;
  d.version = info.version;
  d.title = ast.description;
  d.file = p.file;
  d.hash = fmt::format("{:016x}", c.program->hash);
  d.engine = p.engine;
  d.engine_version = engine_version(p.engine);
  std::vector<const ast::FieldDecl*> fields;
  for (const auto& input : ast.inputs)
    for (const auto& f : input.fields) fields.push_back(&f);
  for (size_t i = 0; i < info.inputs.size(); ++i) {
    const rt::InputField& field = info.inputs[i];
    InputInfo in;
    in.name = field.name;
    in.kind = KindOf(field.type);
    in.scale = field.type.scale;
    in.optional = field.type.optional;
    in.percent = field.percent;
    if (field.type.kind == rt::Kind::Enum) in.enum_values = info.enums[size_t(field.type.names)].values;
    const ast::FieldDecl* decl = i < fields.size() && fields[i]->name.text == field.name ? fields[i] : nullptr;
    if (decl) {
      in.type = TypeText(decl->type);
      if (decl->where) {
        in.where = OnOneLine(c.source->Slice(decl->where->span));
        in.where_reason = info.rejects.Format(rt::RejectKind::OutOfRange, field.name);
        for (const auto& r : info.reasons)
          if (r.field == int(i)) in.where_reason = r.text;
      }
    }
    d.inputs.push_back(std::move(in));
  }
  for (const auto& o : info.outputs) {
    const rt::ValueType& t = info.state[size_t(o.state)];
    OutputInfo out;
    out.name = o.name;
    out.type = OutputTypeText(info, t);
    out.kind = KindOf(t);
    out.scale = t.scale;
    out.optional = t.optional;
    if (t.kind == rt::Kind::Enum) out.enum_values = info.enums[size_t(t.names)].values;
    d.outputs.push_back(std::move(out));
  }
  if (info.group_key >= 0) d.group_key = info.inputs[size_t(info.group_key)].name;
  for (int k : info.unique_keys) d.unique_keys.push_back(info.inputs[size_t(k)].name);

  for (size_t i = 0; i < info.inputs.size(); ++i) p.input_index.emplace(info.inputs[i].name, i);
  for (size_t o = 0; o < info.outputs.size(); ++o) p.output_index.emplace(info.outputs[o].name, o);
}

std::atomic<uint64_t> next_policy_id{1};

// `name`: the path diagnostics show; `file`: the file it was read from ("" for text).
CompileResult Finish(Compilation c, const std::string& name, const std::string& file, const CompileOptions& options) {
  CompileResult result;
  result.diagnostics = ToDiagnostics(c);
  result.rendered = c.diagnostics.Render(*c.source);
  if (!c.ok()) {
    size_t errors = c.diagnostics.error_count();
    result.error = errors == 1 ? "1 error" : fmt::format("{} errors", errors);
    return result;
  }
  result.name = c.program->info.name;
  for (const auto& ref : c.program->references) result.references_declared.push_back(ref.name);
  auto p = std::make_shared<PolicyImpl>();
  p->id = next_policy_id.fetch_add(1);
  p->path = name;
  p->file = file;
  p->text = c.source->text();
  p->engine = options.engine;
  // The reference data first: refused data fails the compilation before the JIT's work.
  if (!LoadPolicyReferences(*p, c, options, result)) return result;
  ir::Program program = *c.program;  // the compilation keeps its own for the description
  std::string why;
  p->evaluator = MakeEvaluator(std::move(program), Internal(options.engine), &why);
  if (!p->evaluator) {
    result.error = why;
    return result;
  }
  p->evaluator->SetReferences(p->references);
  p->info = &p->evaluator->info();
  Describe(*p, c);
  result.policy = PolicyAccess::Make(std::move(p));
  return result;
}

template <class Fn>
CompileResult Guarded(Fn fn) {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    CompileResult r;
    r.error = std::string("internal error while compiling: ") + e.what();
    return r;
  }
}

}  // namespace

std::string engine_version(Engine engine) {
  std::string credo = fmt::format("credo {}", CREDO_VERSION);
  return engine == Engine::jit ? credo + " jit " + JitEngineVersion() : credo + " interpreter";
}

CompileResult Policy::compile_file(const std::string& path, const CompileOptions& options) {
  return Guarded([&] {
    std::string text, error;
    if (!ReadSourceFile(path, text, error)) {
      CompileResult r;
      r.error = "cannot read " + path + ": " + error;
      r.rendered = "credo: " + r.error + "\n";
      return r;
    }
    return Finish(CompileSource(path, std::move(text)), path, path, options);
  });
}

CompileResult Policy::compile_text(std::string_view text, const std::string& name, const CompileOptions& options) {
  return Guarded([&] { return Finish(CompileSource(name, std::string(text)), name, "", options); });
}

const Description& Policy::describe() const { return impl_->description; }

Policy::Policy(std::shared_ptr<const PolicyImpl> impl) : impl_(std::move(impl)) {}

const Compilation* PolicyImpl::Probed(std::string& error) const {
  std::call_once(probed_once_, [&] {
    try {
      auto c = std::make_unique<Compilation>(CompileSource(path, text,
                                                           LowerOptions{.probes = true}));
      if (c->ok()) probed_ = std::move(c);
      else probed_error_ = "internal error: the policy compiled without probes but not with them";
    } catch (const std::exception& e) {
      probed_error_ = std::string("internal error: ") + e.what();
    }
  });
  error = probed_error_;
  return probed_.get();
}

const Tracer* PolicyImpl::GetTracer(std::string& error) const {
  const Compilation* probed = Probed(error);
  if (!probed) return nullptr;
  std::call_once(tracer_once_, [&] {
    try {
      tracer_ = MakeTracer(*probed, probed_references);
    } catch (const std::exception& e) {
      probed_error_ = std::string("internal error: ") + e.what();
    }
  });
  error = probed_error_;
  return tracer_.get();
}

}  // namespace credo::v1

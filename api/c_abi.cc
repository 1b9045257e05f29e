// c_abi.cc — the C ABI (include/credo/credo.h) over the C++ API: handles wrap credo::v1 objects,
// every entry point catches what could escape and turns it into a status with a message.
#include <credo/credo.h>

#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "api/policy_impl.h"
#include "runtime/arrow/arrow_run.h"

struct credo_policy {
  credo::v1::Policy policy;
  std::vector<credo::v1::ReferenceReject> reference_rejects;  // the rows set aside at compilation
};

struct credo_diagnostics {
  std::vector<credo::v1::Diagnostic> items;
  std::string rendered;
};

namespace {

thread_local std::string last_error;

credo_status Ok() {
  last_error.clear();
  return CREDO_OK;
}

credo_status Fail(credo_status status, std::string message) {
  last_error = std::move(message);
  return status;
}

// Runs `body`, turning an exception into a status: nothing is thrown across the C boundary.
template <class Body>
credo_status Guarded(Body body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(CREDO_ERROR_RESOURCE, "out of memory");
  } catch (const std::exception& e) {
    return Fail(CREDO_ERROR_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return Fail(CREDO_ERROR_INTERNAL, "internal error: an unknown exception");
  }
}

credo_status Compiled(credo::v1::CompileResult result, bool from_file, credo_policy** policy,
                      credo_diagnostics** diagnostics) {
  bool has_errors = false;
  for (const auto& d : result.diagnostics) has_errors |= d.severity == credo::v1::Severity::error;
  if (diagnostics) *diagnostics = new credo_diagnostics{std::move(result.diagnostics), std::move(result.rendered)};
  if (result.policy) {
    *policy = new credo_policy{std::move(*result.policy), std::move(result.reference_rejects)};
    return Ok();
  }
  if (has_errors) return Fail(CREDO_ERROR_POLICY, "the policy has " + result.error + " (see the diagnostics)");
  if (result.reference_error)
    return Fail(result.reference_unreadable ? CREDO_ERROR_IO : CREDO_ERROR_REFERENCE, result.error);
  if (from_file && result.error.starts_with("cannot read")) return Fail(CREDO_ERROR_IO, result.error);
  if (result.error.starts_with("internal error")) return Fail(CREDO_ERROR_INTERNAL, result.error);
  return Fail(CREDO_ERROR_ENGINE, result.error);
}

credo::v1::CompileOptions Options(credo_engine engine) {
  credo::v1::CompileOptions options;
  options.engine = engine == CREDO_ENGINE_INTERPRETER ? credo::v1::Engine::interpreter : credo::v1::Engine::jit;
  return options;
}

bool ValidEngine(credo_engine engine) { return engine == CREDO_ENGINE_JIT || engine == CREDO_ENGINE_INTERPRETER; }

// The references as compile options; "" or what is wrong with the arguments.
std::string AddReferences(const char* what, const credo_reference* references, size_t count, unsigned flags,
                          credo::v1::CompileOptions& options) {
  using credo::v1::ReferenceData;
  if (count && !references) return std::string(what) + ": `references` is NULL but `count` is not 0";
  if (flags & ~CREDO_SET_ASIDE_BAD_REFERENCE_ROWS) return std::string(what) + ": unknown flags " + std::to_string(flags);
  options.set_aside_bad_reference_rows = flags & CREDO_SET_ASIDE_BAD_REFERENCE_ROWS;
  for (size_t i = 0; i < count; ++i) {
    const credo_reference& r = references[i];
    std::string at = std::string(what) + ": references[" + std::to_string(i) + "]";
    if (!r.name) return at + ".name is NULL";
    if (!r.path && !r.text && r.size) return at + " (" + r.name + ") has no path, and its text is NULL but its size is not 0";
    if (r.format != CREDO_REFERENCE_CSV && r.format != CREDO_REFERENCE_JSON_LINES)
      return at + " (" + r.name + ") has an unknown format " + std::to_string(int(r.format));
    ReferenceData data = r.path ? ReferenceData::file(r.path)
                         : r.format == CREDO_REFERENCE_JSON_LINES
                             ? ReferenceData::json_lines(std::string(r.text ? r.text : "", r.size))
                             : ReferenceData::csv(std::string(r.text ? r.text : "", r.size));
    if (!options.references.emplace(r.name, std::move(data)).second)
      return at + ": reference '" + r.name + "' is given twice";
  }
  return "";
}

const credo::v1::PolicyImpl& Impl(const credo_policy* policy) {
  return *credo::v1::PolicyAccess::Of(policy->policy);
}

template <class Export>
credo_status Schema(const credo_policy* policy, ArrowSchema* out, const char* what, Export export_schema) {
  if (!policy || !out) return Fail(CREDO_ERROR_ARGUMENT, std::string(what) + ": the policy and the out-schema must not be NULL");
  return Guarded([&] {
    export_schema(Impl(policy).Info(), out);
    return Ok();
  });
}

}  // namespace

extern "C" {

const char* credo_status_name(credo_status status) {
  switch (status) {
    case CREDO_OK: return "CREDO_OK";
    case CREDO_ERROR_ARGUMENT: return "CREDO_ERROR_ARGUMENT";
    case CREDO_ERROR_POLICY: return "CREDO_ERROR_POLICY";
    case CREDO_ERROR_IO: return "CREDO_ERROR_IO";
    case CREDO_ERROR_SCHEMA: return "CREDO_ERROR_SCHEMA";
    case CREDO_ERROR_ENGINE: return "CREDO_ERROR_ENGINE";
    case CREDO_ERROR_RESOURCE: return "CREDO_ERROR_RESOURCE";
    case CREDO_ERROR_INTERNAL: return "CREDO_ERROR_INTERNAL";
    case CREDO_ERROR_REFERENCE: return "CREDO_ERROR_REFERENCE";
    case CREDO_STATUS_MAX_ENUM_: break;
  }
  return "";
}

const char* credo_last_error(void) { return last_error.c_str(); }

const char* credo_version(void) { return CREDO_VERSION; }

credo_status credo_compile_text(const char* path, const char* text, size_t size, credo_engine engine,
                                credo_policy** policy, credo_diagnostics** diagnostics) {
  if (diagnostics) *diagnostics = nullptr;
  if (!policy) return Fail(CREDO_ERROR_ARGUMENT, "credo_compile_text: `policy` must not be NULL");
  *policy = nullptr;
  if (!text && size) return Fail(CREDO_ERROR_ARGUMENT, "credo_compile_text: `text` is NULL but `size` is not 0");
  if (!ValidEngine(engine)) return Fail(CREDO_ERROR_ARGUMENT, "credo_compile_text: unknown engine " + std::to_string(int(engine)));
  return Guarded([&] {
    std::string name = path ? path : "<text>";
    auto result = credo::v1::Policy::compile_text(std::string_view(text ? text : "", size), name, Options(engine));
    return Compiled(std::move(result), false, policy, diagnostics);
  });
}

credo_status credo_compile_file(const char* path, credo_engine engine, credo_policy** policy,
                                credo_diagnostics** diagnostics) {
  if (diagnostics) *diagnostics = nullptr;
  if (!policy) return Fail(CREDO_ERROR_ARGUMENT, "credo_compile_file: `policy` must not be NULL");
  *policy = nullptr;
  if (!path) return Fail(CREDO_ERROR_ARGUMENT, "credo_compile_file: `path` must not be NULL");
  if (!ValidEngine(engine)) return Fail(CREDO_ERROR_ARGUMENT, "credo_compile_file: unknown engine " + std::to_string(int(engine)));
  return Guarded([&] { return Compiled(credo::v1::Policy::compile_file(path, Options(engine)), true, policy, diagnostics); });
}

credo_status credo_compile_text_with_references(const char* path, const char* text, size_t size, credo_engine engine,
                                                const credo_reference* references, size_t count, unsigned flags,
                                                credo_policy** policy, credo_diagnostics** diagnostics) {
  const char* what = "credo_compile_text_with_references";
  if (diagnostics) *diagnostics = nullptr;
  if (!policy) return Fail(CREDO_ERROR_ARGUMENT, std::string(what) + ": `policy` must not be NULL");
  *policy = nullptr;
  if (!text && size) return Fail(CREDO_ERROR_ARGUMENT, std::string(what) + ": `text` is NULL but `size` is not 0");
  if (!ValidEngine(engine)) return Fail(CREDO_ERROR_ARGUMENT, std::string(what) + ": unknown engine " + std::to_string(int(engine)));
  return Guarded([&] {
    credo::v1::CompileOptions options = Options(engine);
    if (std::string why = AddReferences(what, references, count, flags, options); !why.empty())
      return Fail(CREDO_ERROR_ARGUMENT, why);
    std::string name = path ? path : "<text>";
    auto result = credo::v1::Policy::compile_text(std::string_view(text ? text : "", size), name, options);
    return Compiled(std::move(result), false, policy, diagnostics);
  });
}

credo_status credo_compile_file_with_references(const char* path, credo_engine engine,
                                                const credo_reference* references, size_t count, unsigned flags,
                                                credo_policy** policy, credo_diagnostics** diagnostics) {
  const char* what = "credo_compile_file_with_references";
  if (diagnostics) *diagnostics = nullptr;
  if (!policy) return Fail(CREDO_ERROR_ARGUMENT, std::string(what) + ": `policy` must not be NULL");
  *policy = nullptr;
  if (!path) return Fail(CREDO_ERROR_ARGUMENT, std::string(what) + ": `path` must not be NULL");
  if (!ValidEngine(engine)) return Fail(CREDO_ERROR_ARGUMENT, std::string(what) + ": unknown engine " + std::to_string(int(engine)));
  return Guarded([&] {
    credo::v1::CompileOptions options = Options(engine);
    if (std::string why = AddReferences(what, references, count, flags, options); !why.empty())
      return Fail(CREDO_ERROR_ARGUMENT, why);
    return Compiled(credo::v1::Policy::compile_file(path, options), true, policy, diagnostics);
  });
}

size_t credo_policy_reference_reject_count(const credo_policy* policy) {
  return policy ? policy->reference_rejects.size() : 0;
}

credo_status credo_policy_reference_reject(const credo_policy* policy, size_t i, credo_reference_reject* out) {
  if (!policy || !out) return Fail(CREDO_ERROR_ARGUMENT, "credo_policy_reference_reject: NULL argument");
  if (i >= policy->reference_rejects.size())
    return Fail(CREDO_ERROR_ARGUMENT, "credo_policy_reference_reject: index " + std::to_string(i) + " is past the " +
                                          std::to_string(policy->reference_rejects.size()) + " rows set aside");
  const credo::v1::ReferenceReject& r = policy->reference_rejects[i];
  out->reference = r.reference.c_str();
  out->line = r.line;
  out->key = r.key.c_str();
  out->reason = r.reason.c_str();
  return Ok();
}

size_t credo_diagnostics_count(const credo_diagnostics* diagnostics) {
  return diagnostics ? diagnostics->items.size() : 0;
}

credo_status credo_diagnostics_get(const credo_diagnostics* diagnostics, size_t i, credo_diagnostic* out) {
  if (!diagnostics || !out) return Fail(CREDO_ERROR_ARGUMENT, "credo_diagnostics_get: NULL argument");
  if (i >= diagnostics->items.size())
    return Fail(CREDO_ERROR_ARGUMENT, "credo_diagnostics_get: index " + std::to_string(i) + " is past the " +
                                          std::to_string(diagnostics->items.size()) + " diagnostics");
  const credo::v1::Diagnostic& d = diagnostics->items[i];
  out->severity = d.severity == credo::v1::Severity::error ? "error" : "warning";
  out->code = d.code.c_str();
  out->message = d.message.c_str();
  out->hint = d.hint.c_str();
  out->path = d.file.c_str();
  out->line = d.line;
  out->column = d.column;
  out->rendered = d.rendered.c_str();
  return Ok();
}

const char* credo_diagnostics_rendered(const credo_diagnostics* diagnostics) {
  return diagnostics ? diagnostics->rendered.c_str() : "";
}

void credo_diagnostics_free(credo_diagnostics* diagnostics) { delete diagnostics; }

void credo_policy_free(credo_policy* policy) { delete policy; }

const char* credo_policy_name(const credo_policy* policy) {
  return policy ? policy->policy.describe().name.c_str() : "";
}

const char* credo_policy_version(const credo_policy* policy) {
  return policy ? policy->policy.describe().version.c_str() : "";
}

const char* credo_policy_hash(const credo_policy* policy) {
  return policy ? policy->policy.describe().hash.c_str() : "";
}

credo_status credo_policy_input_schema(const credo_policy* policy, struct ArrowSchema* out) {
  return Schema(policy, out, "credo_policy_input_schema", credo::arrow::InputSchema);
}

credo_status credo_policy_output_schema(const credo_policy* policy, struct ArrowSchema* out) {
  return Schema(policy, out, "credo_policy_output_schema", credo::arrow::OutputSchema);
}

credo_status credo_policy_rejects_schema(const credo_policy* policy, struct ArrowSchema* out) {
  return Schema(policy, out, "credo_policy_rejects_schema",
                [](const credo::rt::PolicyInfo&, ArrowSchema* schema) { credo::arrow::RejectsSchema(schema); });
}

credo_status credo_evaluate_arrow(const credo_policy* policy, const struct ArrowSchema* in_schema,
                                  const struct ArrowArray* in_array, struct ArrowSchema* out_schema,
                                  struct ArrowArray* out_array, struct ArrowSchema* rejects_schema,
                                  struct ArrowArray* rejects_array, unsigned threads) {
  if (!policy || !in_schema || !in_array || !out_schema || !out_array || !rejects_schema || !rejects_array)
    return Fail(CREDO_ERROR_ARGUMENT, "credo_evaluate_arrow: every pointer argument must be non-NULL");
  if (threads > CREDO_MAX_THREADS)
    return Fail(CREDO_ERROR_ARGUMENT, "credo_evaluate_arrow: " + std::to_string(threads) +
                                          " threads is more than CREDO_MAX_THREADS (" +
                                          std::to_string(CREDO_MAX_THREADS) + ")");
  return Guarded([&] {
    std::string error;
    switch (credo::arrow::EvaluateArrow(*Impl(policy).evaluator, *in_schema, *in_array, threads ? threads : 1,
                                        out_schema, out_array, rejects_schema, rejects_array, error)) {
      case credo::arrow::RunStatus::Ok: return Ok();
      case credo::arrow::RunStatus::Schema: return Fail(CREDO_ERROR_SCHEMA, error);
      case credo::arrow::RunStatus::Resource: return Fail(CREDO_ERROR_RESOURCE, error);
    }
    return Fail(CREDO_ERROR_INTERNAL, "internal error: unknown run status");
  });
}

}  // extern "C"

// endpoints.cc — evaluate, explain, the policy list, health and metrics as JSON replies.
//
// Status codes: 200 for a decision, whether the policy accepted the record or rejected it (a
// reject is the policy's answer: its reason and detail are in the body, as a decision engine
// gives them); 400 for a request the policy cannot read (malformed JSON, a wrong type, an
// unknown or repeated field); 422 when a required field is absent or null; 404 for an unknown
// policy; 413 for too many records. In an array, one bad record fails the whole request and
// nothing is evaluated or logged: the error names its index.
#include "serve/endpoints.h"

#include <simdjson.h>

#include <nlohmann/json.hpp>
#include <fmt/format.h>

namespace credo::serve {
namespace {

using nlohmann::json;

std::string Quoted(std::string_view text) { return json(std::string(text)).dump(); }

// The API's request-error messages, as stable codes for clients.
std::string ErrorCode(const std::string& message) {
  if (message.rfind("malformed JSON", 0) == 0) return "malformed_json";
  if (message.rfind("unknown field", 0) == 0) return "unknown_field";
  if (message.find("appears twice") != std::string::npos) return "duplicate_field";
  if (message.find("must be a JSON object") != std::string::npos) return "not_an_object";
  return "wrong_type";
}

// `{"policy":...,"version":...,"hash":...,` — the start of every reply about one policy.
std::string PolicyPrefix(const LoadedPolicy& p) {
  return fmt::format("{{\"policy\":{},\"version\":{},\"hash\":{},", Quoted(p.name), Quoted(p.version), Quoted(p.hash));
}

// A traced result's JSON without its "fired" list (kept for the decision log, not the reply).
// Safe to find: inside a JSON string every quote is escaped, and an output value is never an
// array of objects.
std::string_view WithoutFired(std::string_view result_json) {
  size_t at = result_json.rfind(",\"fired\":[{\"kind\":");
  if (at == std::string_view::npos) return result_json;
  static thread_local std::string cut;
  cut.assign(result_json.substr(0, at));
  cut += '}';
  return cut;
}

// The first non-blank byte of the body, or 0.
char FirstByte(std::string_view body) {
  for (char c : body)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
  return 0;
}

// The raw text of each object of a top-level JSON array (pointing into `padded`). False with a
// reply when the body is not an array of objects.
bool SplitArray(const simdjson::padded_string& padded, size_t max_records, std::vector<std::string_view>& records,
                Reply& error) {
  static thread_local simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::array array;
  if (parser.iterate(padded).get(doc) || doc.get_array().get(array)) {
    error = ErrorReply(400, "malformed_json", "the body is not valid JSON");
    return false;
  }
  size_t index = 0;
  for (auto element : array) {
    simdjson::ondemand::value value;
    simdjson::ondemand::object object;
    std::string_view raw;
    if (element.get(value)) {
      error = ErrorReply(400, "malformed_json", fmt::format("record {}: not valid JSON", index));
      return false;
    }
    if (value.get_object().get(object) || object.raw_json().get(raw)) {
      error = ErrorReply(400, "not_an_object", fmt::format("record {}: must be a JSON object of field values", index));
      return false;
    }
    if (++index > max_records) {
      error = ErrorReply(413, "too_many_records",
                         fmt::format("more than {} records in one request (--max-records)", max_records));
      return false;
    }
    records.push_back(raw);
  }
  const char* rest = nullptr;
  if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
    error = ErrorReply(400, "malformed_json", "unexpected text after the array");
    return false;
  }
  return true;
}

// One line of JSON: the record as received, without the blanks between tokens.
std::string Minified(std::string_view raw) {
  std::string out(raw.size() + simdjson::SIMDJSON_PADDING, '\0');
  size_t length = 0;
  if (simdjson::minify(raw.data(), raw.size(), out.data(), length)) return std::string(raw);
  out.resize(length);
  return out;
}

json DiagnosticsJson(const std::vector<credo::Diagnostic>& diagnostics) {
  json list = json::array();
  for (const auto& d : diagnostics)
    list.push_back({{"severity", d.severity == credo::Severity::error ? "error" : "warning"},
                    {"code", d.code},
                    {"file", d.file},
                    {"line", d.line},
                    {"column", d.column},
                    {"message", d.message},
                    {"hint", d.hint},
                    {"rendered", d.rendered}});
  return list;
}

json LoadErrorJson(const std::optional<LoadError>& error) {
  if (!error) return nullptr;
  return {{"at", error->at}, {"message", error->message}, {"diagnostics", DiagnosticsJson(error->diagnostics)}};
}

}  // namespace

Reply ErrorReply(int status, std::string_view code, std::string_view message, std::string_view field) {
  json error = {{"code", code}, {"message", message}, {"field", field.empty() ? json(nullptr) : json(field)}};
  return Reply{status, json{{"error", error}}.dump()};
}

std::shared_ptr<const LoadedPolicy> Endpoints::Find(const std::string& name, Reply& not_found) const {
  auto catalog = registry_.catalog();
  auto it = catalog->by_name.find(name);
  if (it != catalog->by_name.end()) return it->second;
  not_found = ErrorReply(404, "unknown_policy", fmt::format("no policy named '{}' is loaded (GET /v1/policies)", name));
  return nullptr;
}

void Endpoints::CountDecision(const LoadedPolicy& policy, const credo::Result& result) {
  if (!result.accepted())
    metrics_.CountDecision(policy.name, "rejected");
  else if (policy.outcome_output)
    metrics_.CountDecision(policy.name, result.get(*policy.outcome_output).to_string());
  else
    metrics_.CountDecision(policy.name, "accepted");
}

std::string Endpoints::LogLine(const LoadedPolicy& p, const std::string& request_id, long index,
                               std::string_view input, const std::string& result_json) const {
  std::string line = fmt::format("{{\"time\":\"{}\",\"request_id\":{},", UtcNow(), Quoted(request_id));
  if (index >= 0) line += fmt::format("\"index\":{},", index);
  line += fmt::format("\"policy\":{},\"version\":{},\"hash\":{},\"file\":{},\"engine\":{},\"input\":", Quoted(p.name),
                      Quoted(p.version), Quoted(p.hash), Quoted(p.file), Quoted(p.engine_version));
  line += Minified(input);
  line += ',';
  line.append(result_json, 1);  // the result's fields, after its opening brace
  return line;
}

Reply Endpoints::Evaluate(const std::string& name, std::string_view body, const std::string& request_id, bool trace) {
  Reply reply;
  auto policy = Find(name, reply);  // this version answers the whole request, whatever reloads meanwhile
  if (!policy) return reply;
  char first = FirstByte(body);
  if (first != '{' && first != '[')
    return ErrorReply(400, first ? "not_an_object" : "empty_body",
                      "the body must be a JSON object of field values, or an array of them");

  std::vector<std::string_view> records;
  simdjson::padded_string padded;
  if (first == '{') {
    records.push_back(body);
  } else {
    padded = simdjson::padded_string(body);
    if (!SplitArray(padded, limits_.max_records, records, reply)) return reply;
  }

  credo::EvaluateOptions options;
  options.trace = trace || (log_ && limits_.log_fired);  // what fired, for the reply or the log
  std::vector<credo::Result> results(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    policy->policy.evaluate_json(records[i], results[i], options);
    const credo::Result& r = results[i];
    std::string where = first == '[' ? fmt::format("record {}: ", i) : "";
    if (r.outcome() == credo::Outcome::error)
      return ErrorReply(400, ErrorCode(r.reason()), where + r.reason(), r.field());
    if (r.outcome() == credo::Outcome::rejected && r.reason().rfind("missing:", 0) == 0)
      return ErrorReply(422, "missing_field", where + fmt::format("required field '{}' is absent or null", r.field()),
                        r.field());
  }

  reply.body = PolicyPrefix(*policy) + fmt::format("\"request_id\":{},", Quoted(request_id));
  if (first == '[') reply.body += "\"results\":[";
  for (size_t i = 0; i < records.size(); ++i) {
    std::string result_json = results[i].to_json();
    CountDecision(*policy, results[i]);
    if (log_) log_->Append(LogLine(*policy, request_id, first == '[' ? long(i) : -1, records[i], result_json));
    std::string_view shown = trace ? std::string_view(result_json) : WithoutFired(result_json);
    if (first == '[') {
      if (i) reply.body += ',';
      reply.body += shown;
    } else {
      reply.body.append(shown, 1);  // the result's fields join the reply object
    }
  }
  if (first == '[') reply.body += "]}";
  return reply;
}

Reply Endpoints::Explain(const std::string& name, std::string_view body) {
  Reply reply;
  auto policy = Find(name, reply);
  if (!policy) return reply;
  if (FirstByte(body) != '{')
    return ErrorReply(400, FirstByte(body) ? "not_an_object" : "empty_body",
                      "the body must be one JSON object of field values");
  // A request error is answered as evaluate answers it (the Result names the field).
  credo::Result read = policy->policy.evaluate_json(body);
  if (read.outcome() == credo::Outcome::error) return ErrorReply(400, ErrorCode(read.reason()), read.reason(), read.field());
  credo::Record record = policy->policy.record_from_json(body);
  credo::Explanation explanation = policy->policy.explain(record);
  if (!explanation.ok()) return ErrorReply(400, ErrorCode(explanation.error), explanation.error);
  reply.body = PolicyPrefix(*policy) + "\"explanation\":" + explanation.json + "}";
  return reply;
}

Reply Endpoints::ListPolicies() {
  auto catalog = registry_.catalog();
  json policies = json::array(), failed = json::array();
  for (const FileStatus& file : catalog->files) {
    auto it = file.name.empty() ? catalog->by_name.end() : catalog->by_name.find(file.name);
    if (it == catalog->by_name.end()) {
      failed.push_back({{"file", file.file}, {"last_error", LoadErrorJson(file.last_error)}});
      continue;
    }
    const LoadedPolicy& p = *it->second;
    policies.push_back({{"name", p.name},
                        {"version", p.version},
                        {"hash", p.hash},
                        {"title", p.policy.describe().title},
                        {"file", p.file},
                        {"loaded_at", p.loaded_at},
                        {"engine", p.engine_version},
                        {"last_error", LoadErrorJson(file.last_error)}});
  }
  return Reply{200, json{{"policies", policies}, {"not_loaded", failed}}.dump()};
}

Reply Endpoints::DescribePolicy(const std::string& name) {
  Reply reply;
  auto policy = Find(name, reply);
  if (!policy) return reply;
  const credo::Description& d = policy->policy.describe();
  json inputs = json::array(), outputs = json::array();
  for (const auto& in : d.inputs)
    inputs.push_back({{"name", in.name},
                      {"type", in.type},
                      {"optional", in.optional},
                      {"values", in.enum_values},
                      {"where", in.where}});
  for (const auto& out : d.outputs)
    outputs.push_back({{"name", out.name}, {"type", out.type}, {"optional", out.optional}, {"values", out.enum_values}});
  json references = json::array();  // what was loaded for each reference it declares
  for (const auto& ref : d.references) {
    auto file = policy->reference_files.find(ref.name);
    references.push_back({{"name", ref.name},
                          {"key", ref.key},
                          {"many", ref.many},
                          {"file", file == policy->reference_files.end() ? "" : file->second},
                          {"rows", ref.rows},
                          {"set_aside", ref.rejected},
                          {"keys", ref.keys}});
  }
  json body = {{"name", d.name},     {"version", d.version},           {"hash", d.hash},
               {"title", d.title},   {"file", policy->file},           {"loaded_at", policy->loaded_at},
               {"engine", d.engine_version}, {"inputs", inputs},       {"outputs", outputs},
               {"references", references}};
  return Reply{200, body.dump()};
}

Reply Endpoints::Health() {
  auto catalog = registry_.catalog();
  // A decision log that cannot be written makes decisions wait: send traffic elsewhere.
  std::string log_error = log_ ? log_->error() : "";
  if (!log_error.empty())
    return Reply{503, json{{"status", "failing"}, {"error", log_error}, {"policies_loaded", catalog->by_name.size()}}.dump()};
  return Reply{200, json{{"status", "ok"}, {"policies_loaded", catalog->by_name.size()}}.dump()};
}

Reply Endpoints::MetricsText() {
  size_t depth = log_ ? log_->depth() : 0;
  uint64_t written = log_ ? log_->written() : 0;
  return Reply{200, metrics_.Render(registry_.catalog()->by_name.size(), depth, written),
               "text/plain; version=0.0.4; charset=utf-8"};
}

}  // namespace credo::serve

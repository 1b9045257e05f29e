// replay.cc — re-evaluating a decision log and comparing, field by field, with exact texts: each
// logged value is compared as the JSON text it was written as (numbers never through double).
#include "serve/replay.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

namespace credo::serve {
namespace {

namespace fs = std::filesystem;
namespace od = simdjson::ondemand;
using Fields = std::map<std::string, std::string>;  // key → the value's JSON text

// The top-level members of a JSON object, each as its raw JSON text. False when not an object.
bool FieldsOf(std::string_view text, Fields& out) {
  static thread_local od::parser parser;
  simdjson::padded_string padded(text);
  od::document doc;
  od::object object;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) return false;
  for (auto member : object) {
    od::field field;
    std::string_view key, raw;
    od::json_type type;
    if (std::move(member).get(field) || field.unescaped_key().get(key)) return false;
    std::string name(key);
    od::value value = field.value();
    if (value.type().get(type)) return false;
    if (type == od::json_type::object) {
      od::object inner;
      if (value.get_object().get(inner) || inner.raw_json().get(raw)) return false;
    } else if (type == od::json_type::array) {
      od::array inner;
      if (value.get_array().get(inner) || inner.raw_json().get(raw)) return false;
    } else {
      raw = value.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
        raw.remove_suffix(1);
    }
    out[name] = std::string(raw);
  }
  const char* rest = nullptr;
  return doc.current_location().get(rest) == simdjson::OUT_OF_BOUNDS;  // nothing after the object
}

std::string Unquoted(const Fields& fields, const std::string& key) {
  auto it = fields.find(key);
  if (it == fields.end()) return "";
  try {
    auto value = nlohmann::json::parse(it->second);
    return value.is_string() ? value.get<std::string>() : it->second;
  } catch (const std::exception&) {
    return it->second;
  }
}

struct Difference {
  std::string field, logged, now;  // JSON texts ("" when absent)
};

struct Decision {
  size_t line = 0;
  std::string request_id, policy, logged_hash, current_hash, problem;  // problem: could not replay
  std::vector<Difference> differences;
};

// What fired, as "kind code" texts ("rule K01", "decision arm 6"): titles, details and positions
// name the file and line, which an edit elsewhere in the policy moves.
std::string FiredCodes(const std::string& fired_json) {
  if (fired_json.empty()) return "";
  auto fired = nlohmann::json::parse(fired_json, nullptr, false);
  if (!fired.is_array()) return fired_json;
  nlohmann::json codes = nlohmann::json::array();
  for (const auto& f : fired)
    if (f.is_object()) codes.push_back(f.value("kind", "") + " " + f.value("code", ""));
  return codes.dump();
}

// The result fields a replay compares: outcome, every output, a reject's reason and field, and
// what fired (when logged). A reject's detail is words naming the policy file: not compared.
void Compare(const Fields& logged, const Fields& now, std::vector<Difference>& out) {
  auto get = [](const Fields& f, const std::string& k) {
    auto it = f.find(k);
    return it == f.end() ? std::string() : it->second;
  };
  for (const char* key : {"outcome", "reason", "field"})
    if (get(logged, key) != get(now, key)) out.push_back({key, get(logged, key), get(now, key)});
  Fields logged_outputs, now_outputs;
  FieldsOf(get(logged, "outputs").empty() ? "{}" : get(logged, "outputs"), logged_outputs);
  FieldsOf(get(now, "outputs").empty() ? "{}" : get(now, "outputs"), now_outputs);
  std::set<std::string> names;
  for (const auto& [k, v] : logged_outputs) names.insert(k);
  for (const auto& [k, v] : now_outputs) names.insert(k);
  for (const std::string& name : names)
    if (get(logged_outputs, name) != get(now_outputs, name))
      out.push_back({"outputs." + name, get(logged_outputs, name), get(now_outputs, name)});
  if (logged.count("fired")) {
    std::string was = FiredCodes(get(logged, "fired")), is = FiredCodes(get(now, "fired"));
    if (was != is) out.push_back({"fired", was, is});
  }
}

// Where the current policies come from, compiled once each.
class Policies {
 public:
  explicit Policies(const ReplayOptions& o) : options_(o) {}

  bool Load(std::string& error) {
    if (!options_.policy_file.empty()) {
      single_ = Compile(options_.policy_file, error);
      return single_ != nullptr;
    }
    if (options_.policies_dir.empty()) return true;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(options_.policies_dir, ec)) {
      if (entry.path().extension() != ".credo") continue;
      std::string why;
      auto policy = Compile(entry.path().string(), why);
      if (policy) by_name_.emplace(policy->describe().name, policy);
      else if (why.find("E0008") == std::string::npos)  // a library is not a policy
        std::fprintf(stderr, "credo replay: %s", why.c_str());
    }
    if (ec) error = fmt::format("cannot list {}: {}", options_.policies_dir, ec.message());
    return !ec;
  }

  // The policy to replay a decision of `name` logged from `file` with; null with `why`.
  std::shared_ptr<const credo::Policy> For(const std::string& name, const std::string& file, std::string& why) {
    if (single_) return single_;
    if (!options_.policies_dir.empty()) {
      auto it = by_name_.find(name);
      if (it == by_name_.end()) why = fmt::format("no policy named '{}' in {}", name, options_.policies_dir);
      return it == by_name_.end() ? nullptr : it->second;
    }
    auto it = by_file_.find(file);
    if (it == by_file_.end()) {
      std::string error;
      it = by_file_.emplace(file, Compile(file, error)).first;
      failures_[file] = error;
    }
    if (!it->second) why = failures_[file];
    return it->second;
  }

 private:
  std::shared_ptr<const credo::Policy> Compile(const std::string& path, std::string& error) {
    credo::CompileOptions o;
    o.engine = options_.engine;
    credo::CompileResult r = credo::Policy::compile_file(path, o);
    if (!r.ok()) {
      error = fmt::format("{} does not compile ({}):\n{}", path, r.error, r.rendered);
      return nullptr;
    }
    return std::make_shared<const credo::Policy>(*r.policy);
  }

  const ReplayOptions& options_;
  std::shared_ptr<const credo::Policy> single_;
  std::map<std::string, std::shared_ptr<const credo::Policy>> by_name_, by_file_;
  std::map<std::string, std::string> failures_;
};

Decision ReplayLine(const std::string& text, size_t line, Policies& policies) {
  Decision d;
  d.line = line;
  Fields logged;
  if (!FieldsOf(text, logged) || !logged.count("input") || !logged.count("policy") || !logged.count("outcome")) {
    d.problem = "not a decision log line (a JSON object with policy, input and outcome)";
    return d;
  }
  d.request_id = Unquoted(logged, "request_id");
  d.policy = Unquoted(logged, "policy");
  d.logged_hash = Unquoted(logged, "hash");
  std::string why;
  auto policy = policies.For(d.policy, Unquoted(logged, "file"), why);
  if (!policy) {
    d.problem = why;
    return d;
  }
  d.current_hash = policy->describe().hash;
  credo::EvaluateOptions options;
  options.trace = logged.count("fired") > 0;
  credo::Result result = policy->evaluate_json(logged["input"], options);
  Fields now;
  FieldsOf(result.to_json(), now);
  Compare(logged, now, d.differences);
  return d;
}

void PrintText(const Decision& d) {
  std::string who = fmt::format("line {} (request {}, policy {})", d.line, d.request_id.empty() ? "?" : d.request_id,
                                d.policy.empty() ? "?" : d.policy);
  if (!d.problem.empty()) {
    std::printf("%s: not replayed: %s\n", who.c_str(), d.problem.c_str());
    return;
  }
  std::printf("%s differs%s:\n", who.c_str(),
              d.logged_hash != d.current_hash
                  ? fmt::format(" (logged by hash {}, the current policy is {})", d.logged_hash, d.current_hash).c_str()
                  : "");
  for (const Difference& x : d.differences)
    std::printf("  %s: logged %s, now %s\n", x.field.c_str(), x.logged.empty() ? "(absent)" : x.logged.c_str(),
                x.now.empty() ? "(absent)" : x.now.c_str());
}

nlohmann::json AsJson(const Decision& d) {
  nlohmann::json j = {{"line", d.line}, {"request_id", d.request_id}, {"policy", d.policy}};
  if (!d.problem.empty()) {
    j["problem"] = d.problem;
    return j;
  }
  j["logged_hash"] = d.logged_hash;
  j["current_hash"] = d.current_hash;
  j["hash_changed"] = d.logged_hash != d.current_hash;
  nlohmann::json fields = nlohmann::json::array();
  for (const Difference& x : d.differences) {
    auto value = [](const std::string& text) {
      return text.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(text, nullptr, false);
    };
    fields.push_back({{"field", x.field}, {"logged", value(x.logged)}, {"now", value(x.now)}});
  }
  j["differences"] = fields;
  return j;
}

}  // namespace

int Replay(const ReplayOptions& options) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.log != "-") {
    if (fs::is_directory(options.log)) {
      std::fprintf(stderr, "credo replay: %s is a directory, not a decision log\n", options.log.c_str());
      return 3;
    }
    file.open(options.log, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "credo replay: cannot read %s\n", options.log.c_str());
      return 3;
    }
    in = &file;
  }
  Policies policies(options);
  std::string error;
  if (!policies.Load(error)) {
    std::fprintf(stderr, "credo replay: %s\n", error.c_str());
    return error.find("cannot list") == 0 ? 3 : 1;
  }

  size_t decisions = 0, differing = 0, unreplayed = 0;
  std::map<std::pair<std::string, std::string>, size_t> hash_changes;  // (logged, current) → decisions
  nlohmann::json reported = nlohmann::json::array();
  std::string text;
  for (size_t line = 1; std::getline(*in, text); ++line) {
    if (text.empty()) continue;
    ++decisions;
    Decision d = ReplayLine(text, line, policies);
    if (d.problem.empty() && d.logged_hash != d.current_hash) ++hash_changes[{d.logged_hash, d.current_hash}];
    if (!d.problem.empty()) ++unreplayed;
    else if (!d.differences.empty()) ++differing;
    else continue;
    if (options.json) reported.push_back(AsJson(d));
    else PrintText(d);
  }
  if (in->bad()) {
    std::fprintf(stderr, "credo replay: error reading %s\n", options.log.c_str());
    return 3;
  }

  if (options.json) {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& [hashes, n] : hash_changes)
      changes.push_back({{"logged_hash", hashes.first}, {"current_hash", hashes.second}, {"decisions", n}});
    nlohmann::json summary = {{"decisions", decisions}, {"differing", differing},   {"not_replayed", unreplayed},
                              {"hash_changed", changes}, {"reported", reported}};
    std::printf("%s\n", summary.dump(2).c_str());
  } else {
    std::printf("replayed %zu decisions: %zu differ, %zu could not be replayed\n", decisions, differing, unreplayed);
    for (const auto& [hashes, n] : hash_changes)
      std::printf("%zu decisions were made by another version of their policy (hash %s, now %s)\n", n,
                  hashes.first.c_str(), hashes.second.c_str());
  }
  return differing || unreplayed ? 1 : 0;
}

}  // namespace credo::serve

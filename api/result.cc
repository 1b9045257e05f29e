// result.cc — credo::Result: the outcome of one record, its typed outputs and its JSON.
#include <bit>
#include <cmath>

#include <fmt/format.h>

#include "api/json_text.h"
#include "api/policy_impl.h"
#include "runtime/core/decimal.h"

namespace credo::v1 {

Result::Result() : impl_(std::make_unique<Impl>()) {}
Result::~Result() = default;
Result::Result(const Result& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Result::Result(Result&&) noexcept = default;
Result& Result::operator=(const Result& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
Result& Result::operator=(Result&&) noexcept = default;

namespace {
// A moved-from result reads as not evaluated.
const Result::Impl& Of(const std::unique_ptr<Result::Impl>& impl) {
  static const Result::Impl not_evaluated;
  return impl ? *impl : not_evaluated;
}
}  // namespace

Outcome Result::outcome() const {
  const Impl& r = Of(impl_);
  return r.outcome;
}
const std::string& Result::reason() const {
  const Impl& r = Of(impl_);
  return r.reason;
}
const std::string& Result::detail() const {
  const Impl& r = Of(impl_);
  return r.detail;
}
const std::string& Result::field() const {
  const Impl& r = Of(impl_);
  return r.field;
}
const std::vector<Fired>& Result::fired() const {
  const Impl& r = Of(impl_);
  return r.fired;
}
size_t Result::size() const {
  const Impl& r = Of(impl_);
  return r.outcome == Outcome::accepted ? r.values.size() : 0;
}
int64_t Result::raw(size_t o) const { return o < size() ? impl_->values[o] : 0; }
bool Result::present(size_t o) const { return o < size() && impl_->valid[o]; }

std::optional<size_t> Result::find(std::string_view output) const {
  if (!impl_ || !impl_->policy) return std::nullopt;
  const auto& index = impl_->policy->output_index;
  auto it = index.find(output);
  return it == index.end() ? std::nullopt : std::optional<size_t>(it->second);
}

Value Result::get(size_t o) const {
  if (o >= size()) return Missing{};
  const rt::PolicyInfo& info = impl_->policy->Info();
  const rt::ValueType& type = info.state[size_t(info.outputs[o].state)];
  return ToValue(info, type, impl_->values[o], impl_->valid[o], impl_->strings[o]);
}

Value Result::get(std::string_view output) const {
  auto o = find(output);
  return o ? get(*o) : Value(Missing{});
}

std::string Result::to_json() const {
  const Impl& r = Of(impl_);
  std::string out = "{\"outcome\":";
  if (r.outcome == Outcome::accepted) {
    out += "\"accepted\",\"outputs\":{";
    const rt::PolicyInfo& info = r.policy->Info();
    for (size_t o = 0; o < r.values.size(); ++o) {
      if (o) out += ',';
      AppendJsonString(out, info.outputs[o].name);
      out += ':';
      AppendJsonValue(out, get(o));
    }
    out += '}';
  } else if (r.outcome == Outcome::rejected) {
    out += "\"rejected\",\"reason\":";
    AppendJsonString(out, r.reason);
    out += ",\"detail\":";
    AppendJsonString(out, r.detail);
    out += ",\"field\":";
    AppendJsonString(out, r.field);
  } else {
    out += "\"error\",\"error\":";
    AppendJsonString(out, r.reason);
    out += ",\"field\":";
    AppendJsonString(out, r.field);
  }
  if (!r.fired.empty()) {
    out += ",\"fired\":[";
    for (size_t i = 0; i < r.fired.size(); ++i) {
      const Fired& f = r.fired[i];
      if (i) out += ',';
      out += "{\"kind\":";
      AppendJsonString(out, f.kind);
      out += ",\"code\":";
      AppendJsonString(out, f.code);
      out += ",\"title\":";
      AppendJsonString(out, f.title);
      out += ",\"section\":";
      AppendJsonString(out, f.section);
      out += ",\"detail\":";
      AppendJsonString(out, f.detail);
      out += ",\"at\":";
      AppendJsonString(out, f.at);
      out += '}';
    }
    out += ']';
  }
  out += '}';
  return out;
}

// ---- JSON text ----------------------------------------------------------------------------------

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += char(c);
    }
  }
  out += '"';
}

void AppendJsonValue(std::string& out, const Value& v) {
  struct Json {
    std::string& out;
    void operator()(Missing) const { out += "null"; }
    void operator()(bool b) const { out += b ? "true" : "false"; }
    void operator()(int64_t v) const { out += std::to_string(v); }
    void operator()(double v) const {
      if (std::isfinite(v)) rt::AppendNumber(out, v);
      else out += "null";
    }
    void operator()(const Decimal& d) const { out += d.to_string(); }  // exact: a JSON number as written
    void operator()(const std::string& s) const { AppendJsonString(out, s); }
    void operator()(const Date& d) const { AppendJsonString(out, d.to_string()); }
    void operator()(const Enum& e) const { AppendJsonString(out, e.name); }
    void operator()(const Codes& c) const {
      out += '[';
      for (size_t i = 0; i < c.codes.size(); ++i) {
        if (i) out += ',';
        AppendJsonString(out, c.codes[i]);
      }
      out += ']';
    }
  };
  std::visit(Json{out}, v.as_variant());
}

}  // namespace credo::v1

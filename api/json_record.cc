// json_record.cc — a JSON object read straight into a record (nlohmann's SAX interface: no
// document is built). Numbers are read from their text as written, as the CSV cell with that
// text would be: money never goes through a double.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/json_record.h"
#include "compiler/base/spelling.h"

namespace credo::v1 {
namespace {

using rt::Kind;

class JsonToRecord : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit JsonToRecord(Record::Impl& r) : r_(r), seen_(r.values.size(), 0) {}

  bool start_object(std::size_t) override {
    if (depth_++ == 0) return true;
    return Nested("an object");
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return depth_ == 0 ? NotObject() : Nested("an array"); }
  bool end_array() override { return true; }

  bool key(string_t& name) override {
    auto f = r_.policy->Input(name);
    if (!f) {
      std::vector<std::string> names;
      for (const auto& in : r_.policy->description.inputs) names.push_back(in.name);
      int near = Closest(name, names, std::max<size_t>(2, name.size() / 3) + 1);
      return Error(name, fmt::format("unknown field '{}'{}", name,
                                     near >= 0 ? fmt::format(" (did you mean '{}'?)", names[size_t(near)]) : ""));
    }
    if (seen_[*f]) return Error(name, fmt::format("field '{}' appears twice", name));
    seen_[*f] = 1;
    field_ = *f;
    return true;
  }

  bool null() override {
    if (depth_ == 0) return NotObject();
    r_.SetString(field_, "");  // missing
    return true;
  }
  bool boolean(bool b) override {
    if (depth_ == 0) return NotObject();
    if (Type().kind != Kind::Bool) return WrongType(b ? "true" : "false");
    r_.SetText(field_, b ? "true" : "false");
    return true;
  }
  bool number_integer(number_integer_t v) override { return Integer(v); }
  bool number_unsigned(number_unsigned_t v) override { return Integer(v); }
  bool number_float(number_float_t, const string_t& text) override {
    if (depth_ == 0) return NotObject();
    if (!Numeric()) return WrongType("a number");
    r_.SetText(field_, text);
    return true;
  }
  bool string(string_t& s) override {
    if (depth_ == 0) return NotObject();
    Kind k = Type().kind;
    if (k != Kind::String && k != Kind::Enum && k != Kind::Date) return WrongType("a string");
    r_.SetText(field_, s);
    return true;
  }
  bool binary(binary_t&) override { return Nested("binary data"); }
  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& e) override {
    if (!r_.error.empty()) return false;  // a handler stopped the parse: its error stands
    if (e.id == 406 && depth_ == 1)       // out_of_range.406: a number beyond a double's range
      return Error(Current(), fmt::format("field '{}': the number {} is out of range", Current(), last_token));
    std::string what = e.what();
    if (size_t cut = what.find("] "); what.rfind("[json.exception", 0) == 0 && cut != std::string::npos)
      what = what.substr(cut + 2);
    r_.RequestError("", fmt::format("malformed JSON at byte {}: {}", position, what));
    return false;
  }

 private:
  const rt::ValueType& Type() const { return r_.policy->Info().inputs[field_].type; }
  bool Numeric() const {
    Kind k = Type().kind;
    return k == Kind::Int || k == Kind::Decimal || k == Kind::Number;
  }
  template <class T>
  bool Integer(T v) {
    if (depth_ == 0) return NotObject();
    if (!Numeric()) return WrongType("a number");
    char text[24];
    auto end = std::to_chars(text, text + sizeof text, v).ptr;
    r_.SetText(field_, std::string_view(text, size_t(end - text)));
    return true;
  }
  bool Error(std::string_view field, std::string message) {
    r_.RequestError(std::string(field), std::move(message));
    return false;
  }
  bool NotObject() { return Error("", "the record must be a JSON object of field values"); }
  // An object or array as a field's value (the first one stops the parse, so it is never deeper).
  bool Nested(const char* what) { return WrongType(what); }
  const std::string& Current() const { return r_.policy->Info().inputs[field_].name; }
  // A JSON value whose type the field cannot take: a request error naming the field.
  bool WrongType(const char* got) {
    Kind k = Type().kind;
    const char* want = k == Kind::Bool ? "true or false"
                       : (k == Kind::String || k == Kind::Enum || k == Kind::Date) ? "a JSON string"
                                                                                  : "a JSON number";
    return Error(Current(), fmt::format("field '{}' ({}) must be {}, not {}", Current(),
                                        r_.policy->description.inputs[field_].type, want, got));
  }

  Record::Impl& r_;
  std::vector<uint8_t> seen_;
  int depth_ = 0;
  size_t field_ = 0;
};

}  // namespace

bool ReadJsonRecord(std::string_view json, Record::Impl& record) {
  JsonToRecord reader(record);
  bool ok = nlohmann::json::sax_parse(json.begin(), json.end(), &reader);
  return ok && record.error.empty();
}

Record Policy::record_from_json(std::string_view json) const {
  Record out = record();
  ReadJsonRecord(json, RecordAccess::Of(out));
  return out;
}

}  // namespace credo::v1

#include "runtime/io/jsonl.h"

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace credo::io {
namespace {

constexpr size_t kChunk = size_t{1} << 20;
constexpr size_t kMaxLine = size_t{1} << 30;  // a line past 1 GiB is refused, as a CSV record

// A recursive-descent reader of one JSON text, bounded in depth; `error` says what and where.
class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  void Space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  bool At(char c) {
    Space();
    return i_ < s_.size() && s_[i_] == c;
  }
  bool Take(char c) {
    if (!At(c)) return false;
    ++i_;
    return true;
  }
  bool End() {
    Space();
    return i_ == s_.size();
  }
  size_t column() const { return i_ + 1; }

  // A string at i_ (after its opening quote is seen), unescaped into `out`.
  bool String(std::string& out) {
    if (!Take('"')) return Fail("expected a string");
    out.clear();
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return Fail("a control character inside a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) break;
      switch (char e = s_[i_++]) {
        case '"': case '\\': case '/': out += e; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00) {  // a surrogate pair
            uint32_t low;
            if (i_ + 1 >= s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u') return Fail("a lone surrogate in \\u escape");
            i_ += 2;
            if (!Hex4(low) || low < 0xDC00 || low > 0xDFFF) return Fail("a bad surrogate pair in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            return Fail("a lone surrogate in \\u escape");
          }
          Utf8(cp, out);
          break;
        }
        default: return Fail(fmt::format("a bad escape \\{}", e));
      }
    }
    return Fail("a string without its closing quote");
  }

  // A value: a string or number (its text in `out`), true/false (the word), null (empty).
  // Objects and arrays are skipped when `nested_ok`, refused otherwise.
  enum class Value { Text, Null, Nested };
  bool Scalar(std::string& out, Value& what) {
    Space();
    what = Value::Text;
    if (i_ >= s_.size()) return Fail("expected a value");
    char c = s_[i_];
    if (c == '"') return String(out);
    if (c == '{' || c == '[') {
      what = Value::Nested;
      return Skip(0);
    }
    for (std::string_view word : {"true", "false", "null"})
      if (s_.substr(i_, word.size()) == word) {
        i_ += word.size();
        if (word == "null") what = Value::Null, out.clear();
        else out.assign(word);
        return true;
      }
    return Number(out);
  }

  bool Fail(std::string why) {
    if (error.empty()) error = fmt::format("column {}: {}", i_ + 1, why);
    return false;
  }
  std::string error;

 private:
  // The JSON number grammar; `out` is its text exactly.
  bool Number(std::string& out) {
    size_t start = i_;
    auto digits = [&] {
      size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ > from;
    };
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ < s_.size() && s_[i_] == '0') ++i_;
    else if (!digits()) return i_ = start, Fail("expected a value (a string, number, true, false or null)");
    if (i_ < s_.size() && s_[i_] == '.' && (++i_, !digits())) return Fail("a number with no digits after its point");
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (!digits()) return Fail("a number with no digits in its exponent");
    }
    out.assign(s_.substr(start, i_ - start));
    return true;
  }

  // Skips a whole value, nested up to 64 levels.
  bool Skip(int depth) {
    if (depth > 64) return Fail("values nested more than 64 deep");
    std::string scratch;
    Value what;
    if (Take('{')) {
      if (Take('}')) return true;
      do {
        if (!String(scratch) || !(Take(':') || Fail("expected ':' after a key")) || !Skip(depth + 1)) return false;
      } while (Take(','));
      return Take('}') || Fail("expected ',' or '}'");
    }
    if (Take('[')) {
      if (Take(']')) return true;
      do {
        if (!Skip(depth + 1)) return false;
      } while (Take(','));
      return Take(']') || Fail("expected ',' or ']'");
    }
    return Scalar(scratch, what);
  }

  bool Hex4(uint32_t& cp) {
    if (i_ + 4 > s_.size()) return Fail("a short \\u escape");
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      char h = s_[i_++];
      int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
      if (v < 0) return Fail("a bad \\u escape");
      cp = cp * 16 + uint32_t(v);
    }
    return true;
  }

  static void Utf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6)), out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12)), out += char(0x80 | ((cp >> 6) & 0x3F)), out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18)), out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F)), out += char(0x80 | (cp & 0x3F));
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

JsonlReader::JsonlReader(std::FILE* in, const std::vector<std::string>& keys) : in_(in), width_(keys.size()) {
  for (size_t k = 0; k < keys.size(); ++k) index_.try_emplace(keys[k], k);
  cells_.resize(width_);
}

// The next line without its LF (and a CR before it); false at end of input.
bool JsonlReader::NextLine(std::string& line) {
  line.clear();
  for (;;) {
    if (pos_ < end_) {
      const char* from = buf_.get() + pos_;
      const void* lf = std::memchr(from, '\n', end_ - pos_);
      size_t n = lf ? size_t(static_cast<const char*>(lf) - from) : end_ - pos_;
      line.append(from, n);
      pos_ += n + (lf ? 1 : 0);
      if (line.size() > kMaxLine) throw std::length_error("JSON Lines record too long (over 1 GiB)");
      if (lf) break;
    }
    if (eof_) {
      if (line.empty()) return false;
      break;
    }
    if (!buf_) buf_ = std::make_unique_for_overwrite<char[]>(cap_ = kChunk);
    end_ = std::fread(buf_.get(), 1, cap_, in_);
    pos_ = 0;
    filled_ = true;
    if (end_ < cap_) {
      eof_ = true;
      if (std::ferror(in_) && !read_errno_) read_errno_ = errno;
    }
    if (!filled_ && end_ >= 3 && std::memcmp(buf_.get(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;  // a BOM
  }
  ++line_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

std::string JsonlReader::ParseLine(std::string_view line) {
  for (auto& c : cells_) c.clear();
  Parser p(line);
  if (!p.Take('{')) return p.Fail("a line must be one JSON object, starting with '{'"), p.error;
  std::string key, value;
  Parser::Value what;
  if (!p.Take('}')) {
    do {
      if (!p.String(key)) return p.error;
      if (!p.Take(':')) return p.Fail("expected ':' after a key"), p.error;
      size_t column = p.column();
      if (!p.Scalar(value, what)) return p.error;
      auto it = index_.find(key);
      if (it == index_.end()) continue;
      if (what == Parser::Value::Nested)
        return fmt::format("column {}: the value of \"{}\" is an object or an array, not a value", column, key);
      cells_[it->second] = value;
    } while (p.Take(','));
    if (!p.Take('}')) return p.Fail("expected ',' or '}'"), p.error;
  }
  if (!p.End()) return p.Fail("text after the object's closing '}'"), p.error;
  return "";
}

size_t JsonlReader::ReadBatch(size_t max_rows, TextBatch& out) {
  out.clear();
  // Cells are gathered as offsets first: out.text may grow, which would move views.
  std::vector<std::pair<size_t, size_t>> spans;
  std::string line;
  size_t rows = 0;
  while (rows < max_rows && out.text.size() < kMaxLine && NextLine(line)) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // a blank line: no record
    std::string why = ParseLine(line);
    for (const auto& c : cells_) {
      spans.push_back({out.text.size(), c.size()});
      out.text += c;
    }
    if (!why.empty()) {
      spans.push_back({out.text.size(), why.size()});
      out.text += why;
    }
    out.row_begin.push_back(uint32_t(spans.size()));
    out.line.push_back(line_);
    out.error.push_back(why.empty() ? std::string_view() : kBadJson);
    ++rows;
  }
  out.text.reserve(std::max<size_t>(out.text.size(), 32));  // on the heap: views survive a move
  out.fields.reserve(spans.size());
  for (auto [off, len] : spans) out.fields.emplace_back(out.text.data() + off, len);
  return rows;
}

bool IsJsonLinesName(std::string_view path) {
  if (path.ends_with(".gz")) path.remove_suffix(3);
  return path.ends_with(".jsonl") || path.ends_with(".ndjson");
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      switch (c) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: out += fmt::format("\\u{:04x}", u);
      }
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace credo::io

#include "server/common/json.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace hubspot_gateway {
namespace {

// Deeper documents are refused rather than risk the stack.
constexpr int kMaxDepth = 128;

// A strict RFC 8259 parser that builds google.protobuf.Struct directly.
// protobuf's own JSON utilities go through a binary encoding first, which
// made parsing the bulk of the gateway's CPU time.
class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::Status ParseDocument(google::protobuf::Struct* out) {
    SkipSpace();
    if (!Consume('{')) Fail("the body is not a JSON object");
    if (status_.ok() && ParseObjectBody(out, 1)) {
      SkipSpace();
      if (pos_ != text_.size()) Fail("unexpected data after the object");
    }
    return status_;
  }

 private:
  // Records the first error; false, for `return Fail(…)`.
  bool Fail(absl::string_view what) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat("invalid JSON at offset ", pos_, ": ", what));
    }
    return false;
  }

  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool ConsumeWord(absl::string_view word) {
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  // After '{'.
  bool ParseObjectBody(google::protobuf::Struct* out, int depth) {
    if (depth > kMaxDepth) return Fail("nested too deeply");
    auto* fields = out->mutable_fields();
    SkipSpace();
    if (Consume('}')) return true;
    while (true) {
      SkipSpace();
      std::string key;
      if (!Consume('"')) return Fail("expected a string key");
      if (!ParseStringBody(&key)) return false;
      SkipSpace();
      if (!Consume(':')) return Fail("expected ':'");
      google::protobuf::Value& value = (*fields)[key];
      value.Clear();  // A repeated key: the last one wins, as elsewhere.
      if (!ParseValue(&value, depth)) return false;
      SkipSpace();
      if (Consume(',')) continue;
      if (Consume('}')) return true;
      return Fail("expected ',' or '}'");
    }
  }

  // After '['.
  bool ParseArrayBody(google::protobuf::ListValue* out, int depth) {
    if (depth > kMaxDepth) return Fail("nested too deeply");
    SkipSpace();
    if (Consume(']')) return true;
    while (true) {
      if (!ParseValue(out->add_values(), depth)) return false;
      SkipSpace();
      if (Consume(',')) continue;
      if (Consume(']')) return true;
      return Fail("expected ',' or ']'");
    }
  }

  bool ParseValue(google::protobuf::Value* out, int depth) {
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("unexpected end of input");
    const char c = text_[pos_];
    if (c == '{') {
      ++pos_;
      return ParseObjectBody(out->mutable_struct_value(), depth + 1);
    }
    if (c == '[') {
      ++pos_;
      return ParseArrayBody(out->mutable_list_value(), depth + 1);
    }
    if (c == '"') {
      ++pos_;
      return ParseStringBody(out->mutable_string_value());
    }
    if (ConsumeWord("true")) {
      out->set_bool_value(true);
      return true;
    }
    if (ConsumeWord("false")) {
      out->set_bool_value(false);
      return true;
    }
    if (ConsumeWord("null")) {
      out->set_null_value(google::protobuf::NULL_VALUE);
      return true;
    }
    if (c == '-' || absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return ParseNumber(out);
    }
    return Fail("expected a value");
  }

  bool ParseNumber(google::protobuf::Value* out) {
    const size_t start = pos_;
    Consume('-');
    auto digits = [this] {
      const size_t from = pos_;
      while (pos_ < text_.size() &&
             absl::ascii_isdigit(static_cast<unsigned char>(text_[pos_]))) {
        ++pos_;
      }
      return pos_ - from;
    };
    const size_t int_start = pos_;
    const size_t int_digits = digits();
    if (int_digits == 0) return Fail("expected digits");
    if (int_digits > 1 && text_[int_start] == '0') {
      return Fail("leading zeros are not JSON");
    }
    if (Consume('.') && digits() == 0) return Fail("expected digits after '.'");
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (!Consume('+')) Consume('-');
      if (digits() == 0) return Fail("expected exponent digits");
    }
    double value = 0;
    if (!absl::SimpleAtod(text_.substr(start, pos_ - start), &value) ||
        !std::isfinite(value)) {
      return Fail("number out of range");
    }
    out->set_number_value(value);
    return true;
  }

  bool ParseHex4(uint32_t* out) {
    if (pos_ + 4 > text_.size()) return Fail("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= c - '0';
      } else if (c >= 'a' && c <= 'f') {
        v |= c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        v |= c - 'A' + 10;
      } else {
        return Fail("invalid \\u escape");
      }
    }
    *out = v;
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xC0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xE0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Length of the valid UTF-8 sequence at pos_, 0 if invalid. protobuf
  // strings must be valid UTF-8, so invalid input is refused here.
  size_t Utf8SequenceLength() const {
    const auto byte = [this](size_t i) {
      return static_cast<unsigned char>(text_[i]);
    };
    const unsigned char b = byte(pos_);
    size_t n;
    uint32_t cp;
    if (b >= 0xC2 && b <= 0xDF) {
      n = 2;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 3;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 4;
      cp = b & 0x07;
    } else {
      return 0;
    }
    if (pos_ + n > text_.size()) return 0;
    for (size_t i = 1; i < n; ++i) {
      if ((byte(pos_ + i) & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (byte(pos_ + i) & 0x3F);
    }
    const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
  }

  // After the opening quote.
  bool ParseStringBody(std::string* out) {
    while (true) {
      // Copy the run of plain characters in one go.
      size_t run = pos_;
      while (run < text_.size() && text_[run] != '"' && text_[run] != '\\' &&
             static_cast<unsigned char>(text_[run]) >= 0x20 &&
             static_cast<unsigned char>(text_[run]) < 0x80) {
        ++run;
      }
      out->append(text_.data() + pos_, run - pos_);
      pos_ = run;
      if (pos_ >= text_.size()) return Fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Fail("control character in string");
      if (c >= 0x80) {
        const size_t n = Utf8SequenceLength();
        if (n == 0) return Fail("invalid UTF-8 in string");
        out->append(text_.data() + pos_, n);
        pos_ += n;
        continue;
      }
      ++pos_;  // backslash
      if (pos_ >= text_.size()) return Fail("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          *out += '"';
          break;
        case '\\':
          *out += '\\';
          break;
        case '/':
          *out += '/';
          break;
        case 'b':
          *out += '\b';
          break;
        case 'f':
          *out += '\f';
          break;
        case 'n':
          *out += '\n';
          break;
        case 'r':
          *out += '\r';
          break;
        case 't':
          *out += '\t';
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!ParseHex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (!ConsumeWord("\\u") || !ParseHex4(&low) || low < 0xDC00 ||
                low > 0xDFFF) {
              return Fail("unpaired surrogate in \\u escape");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Fail("unpaired surrogate in \\u escape");
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return Fail("invalid escape");
      }
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
  absl::Status status_;
};

}  // namespace

std::string JsonQuote(absl::string_view s) {
  std::string out = "\"";
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

absl::StatusOr<google::protobuf::Struct> ParseJsonObject(
    absl::string_view json) {
  if (absl::StripAsciiWhitespace(json).empty()) {
    return absl::InvalidArgumentError("empty body");
  }
  google::protobuf::Struct out;
  Parser parser(json);
  if (absl::Status s = parser.ParseDocument(&out); !s.ok()) return s;
  return out;
}

}  // namespace hubspot_gateway

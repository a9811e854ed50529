#include "emulator/imports/multipart_form.h"

#include <string.h>  // memmem

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace hubspot_emulator {
namespace {

// Part headers are small; a part whose blank line is not within this many
// bytes is malformed, and the limit keeps a search from running through a
// whole file.
constexpr size_t kMaxHeaderBytes = 16 * 1024;

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("malformed multipart/form-data body: ", what));
}

size_t Find(absl::string_view haystack, absl::string_view needle, size_t from) {
  if (from > haystack.size()) return absl::string_view::npos;
  const void* hit = memmem(haystack.data() + from, haystack.size() - from,
                           needle.data(), needle.size());
  if (hit == nullptr) return absl::string_view::npos;
  return static_cast<size_t>(static_cast<const char*>(hit) - haystack.data());
}

bool IsTokenChar(char c) {
  return c > 0x20 && c < 0x7f &&
         absl::string_view("()<>@,;:\\\"/[]?={}").find(c) ==
             absl::string_view::npos;
}

void SkipSpaces(absl::string_view* s) {
  while (!s->empty() && (s->front() == ' ' || s->front() == '\t')) {
    s->remove_prefix(1);
  }
}

// A token or a quoted-string (with \" and \\ escapes; other backslashes are
// kept, as browsers send Windows paths unescaped) at the start of `s`.
std::optional<std::string> ConsumeParameterValue(absl::string_view* s) {
  std::string value;
  if (absl::ConsumePrefix(s, "\"")) {
    while (!s->empty()) {
      const char c = s->front();
      s->remove_prefix(1);
      if (c == '"') return value;
      if (c == '\\' && !s->empty() &&
          (s->front() == '"' || s->front() == '\\')) {
        value.push_back(s->front());
        s->remove_prefix(1);
      } else {
        value.push_back(c);
      }
    }
    return std::nullopt;  // no closing quote
  }
  while (!s->empty() && s->front() != ';') {
    value.push_back(s->front());
    s->remove_prefix(1);
  }
  absl::StripTrailingAsciiWhitespace(&value);
  if (value.empty()) return std::nullopt;
  return value;
}

struct HeaderValue {
  std::string value;  // before the first ';', lower-cased
  std::vector<std::pair<std::string, std::string>> params;  // names lowered
};

std::optional<HeaderValue> ParseHeaderValue(absl::string_view s) {
  HeaderValue out;
  const size_t semicolon = s.find(';');
  out.value =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(s.substr(0, semicolon)));
  s = semicolon == absl::string_view::npos ? absl::string_view()
                                           : s.substr(semicolon);
  while (true) {
    SkipSpaces(&s);
    if (s.empty()) return out;
    if (!absl::ConsumePrefix(&s, ";")) return std::nullopt;
    SkipSpaces(&s);
    if (s.empty()) return out;  // a trailing ';' is harmless
    size_t n = 0;
    while (n < s.size() && IsTokenChar(s[n])) ++n;
    if (n == 0) return std::nullopt;
    std::string name = absl::AsciiStrToLower(s.substr(0, n));
    s.remove_prefix(n);
    SkipSpaces(&s);
    if (!absl::ConsumePrefix(&s, "=")) return std::nullopt;
    SkipSpaces(&s);
    std::optional<std::string> value = ConsumeParameterValue(&s);
    if (!value) return std::nullopt;
    out.params.emplace_back(std::move(name), *std::move(value));
  }
}

const std::string* Param(const HeaderValue& h, absl::string_view name) {
  for (const auto& [key, value] : h.params) {
    if (key == name) return &value;
  }
  return nullptr;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 5987 ext-value, charset''percent-encoded; nullopt when malformed.
std::optional<std::string> DecodeExtValue(absl::string_view s) {
  const size_t quote = s.find("''");
  if (quote == absl::string_view::npos) return std::nullopt;
  s.remove_prefix(quote + 2);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    const int hi = i + 1 < s.size() ? HexDigit(s[i + 1]) : -1;
    const int lo = i + 2 < s.size() ? HexDigit(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

absl::Status ParsePartHeaders(absl::string_view headers, int index,
                              FormPart* part) {
  const std::string where = absl::StrCat("part ", index + 1);
  // Unfolds obsolete continuation lines into the header they continue.
  std::vector<std::pair<std::string, std::string>> fields;
  while (!headers.empty()) {
    const size_t eol = headers.find("\r\n");
    absl::string_view line = headers.substr(0, eol);
    headers = eol == absl::string_view::npos ? absl::string_view()
                                             : headers.substr(eol + 2);
    if (line.empty()) continue;
    if (line.front() == ' ' || line.front() == '\t') {
      if (fields.empty()) {
        return Malformed(
            absl::StrCat(where, " starts with a continuation line"));
      }
      absl::StrAppend(&fields.back().second, " ",
                      absl::StripAsciiWhitespace(line));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos || colon == 0 ||
        !std::all_of(line.begin(), line.begin() + colon, IsTokenChar)) {
      return Malformed(absl::StrCat(where,
                                    " has a header line that is not "
                                    "\"Name: value\": \"",
                                    line.substr(0, 80), "\""));
    }
    fields.emplace_back(
        absl::AsciiStrToLower(line.substr(0, colon)),
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  }
  bool has_disposition = false;
  for (const auto& [name, value] : fields) {
    if (name == "content-type") {
      part->content_type = value;
    } else if (name == "content-disposition") {
      std::optional<HeaderValue> d = ParseHeaderValue(value);
      if (!d) {
        return Malformed(absl::StrCat(where,
                                      ": cannot parse Content-Disposition \"",
                                      value.substr(0, 200), "\""));
      }
      if (d->value != "form-data") {
        return Malformed(absl::StrCat(where, ": Content-Disposition is \"",
                                      d->value, "\", not form-data"));
      }
      const std::string* field_name = Param(*d, "name");
      if (field_name == nullptr) {
        return Malformed(
            absl::StrCat(where, ": Content-Disposition has no name"));
      }
      part->name = *field_name;
      if (const std::string* ext = Param(*d, "filename*")) {
        std::optional<std::string> decoded = DecodeExtValue(*ext);
        if (decoded) part->file_name = *std::move(decoded);
      }
      if (part->file_name.empty()) {
        if (const std::string* file_name = Param(*d, "filename")) {
          part->file_name = *file_name;
        }
      }
      has_disposition = true;
    }
  }
  if (!has_disposition) {
    return Malformed(absl::StrCat(where, " has no Content-Disposition header"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> BoundaryOf(absl::string_view content_type) {
  std::optional<HeaderValue> ct = ParseHeaderValue(content_type);
  if (!ct) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot parse Content-Type \"", content_type.substr(0, 200), "\""));
  }
  if (ct->value != "multipart/form-data") {
    return absl::InvalidArgumentError(absl::StrCat(
        "Content-Type must be multipart/form-data, not ", ct->value));
  }
  const std::string* boundary = Param(*ct, "boundary");
  if (boundary == nullptr) {
    return absl::InvalidArgumentError(
        "Content-Type multipart/form-data has no boundary parameter");
  }
  // RFC 2046: 1 to 70 characters, the last not a space.
  if (boundary->empty() || boundary->size() > 70 || boundary->back() == ' ') {
    return absl::InvalidArgumentError(
        "the multipart boundary must be 1 to 70 characters, not ending in a "
        "space");
  }
  return *boundary;
}

// Whether what follows a boundary makes it a delimiter: "--", or optional
// padding and CRLF. Anything else is data, as is an unterminated boundary
// at the very end (the caller reports the missing closing delimiter).
bool EndsDelimiter(absl::string_view after) {
  if (absl::StartsWith(after, "--")) return true;
  SkipSpaces(&after);
  return absl::StartsWith(after, "\r\n");
}

// Where the next delimiter line starts (its CRLF) at or after `from`.
size_t FindDelimiter(absl::string_view body, absl::string_view crlf_delimiter,
                     size_t from) {
  while (true) {
    const size_t hit = Find(body, crlf_delimiter, from);
    if (hit == absl::string_view::npos) return hit;
    if (EndsDelimiter(body.substr(hit + crlf_delimiter.size()))) return hit;
    from = hit + 1;
  }
}

}  // namespace

absl::StatusOr<std::vector<FormPart>> ParseMultipartForm(
    absl::string_view content_type, absl::string_view body) {
  absl::StatusOr<std::string> boundary = BoundaryOf(content_type);
  if (!boundary.ok()) return boundary.status();
  const std::string crlf_delimiter = absl::StrCat("\r\n--", *boundary);
  const absl::string_view delimiter =
      absl::string_view(crlf_delimiter).substr(2);

  // The first delimiter may open the body, without a CRLF before it.
  size_t pos;
  if (absl::StartsWith(body, delimiter) &&
      EndsDelimiter(body.substr(delimiter.size()))) {
    pos = 0;
  } else {
    const size_t hit = FindDelimiter(body, crlf_delimiter, 0);
    if (hit == absl::string_view::npos) {
      return Malformed(absl::StrCat("no delimiter line --", *boundary,
                                    " (does the boundary match?)"));
    }
    pos = hit + 2;
  }
  std::vector<FormPart> parts;
  while (true) {
    pos += delimiter.size();
    absl::string_view rest = body.substr(pos);
    if (absl::StartsWith(rest, "--")) break;  // the closing delimiter
    SkipSpaces(&rest);
    if (!absl::ConsumePrefix(&rest, "\r\n")) {
      return Malformed(absl::StrCat(
          "the delimiter line --", *boundary,
          " is not followed by a line break or \"--\" (is the closing "
          "delimiter --",
          *boundary, "-- missing?)"));
    }
    pos = static_cast<size_t>(rest.data() - body.data());
    const int index = static_cast<int>(parts.size());
    FormPart part;
    // Where the part's data starts, and where to look for the delimiter
    // that ends it: a part without data may have its blank line's CRLF
    // double as the delimiter's (RFC 2046: the data's CRLF is optional).
    size_t data_start;
    size_t search_from;
    if (absl::StartsWith(rest, "\r\n")) {
      data_start = search_from = pos + 2;  // no headers at all
      if (absl::Status s = ParsePartHeaders("", index, &part); !s.ok()) {
        return s;
      }
    } else {
      const size_t end =
          Find(body.substr(0, pos + kMaxHeaderBytes), "\r\n\r\n", pos);
      if (end == absl::string_view::npos) {
        return Malformed(absl::StrCat("the headers of part ", index + 1,
                                      " do not end with a blank line within ",
                                      kMaxHeaderBytes, " bytes"));
      }
      if (absl::Status s =
              ParsePartHeaders(body.substr(pos, end - pos), index, &part);
          !s.ok()) {
        return s;
      }
      data_start = end + 4;
      search_from = end + 2;
    }
    const size_t next = FindDelimiter(body, crlf_delimiter, search_from);
    if (next == absl::string_view::npos) {
      return Malformed(
          absl::StrCat("the body ends without the closing "
                       "delimiter --",
                       *boundary, "--"));
    }
    data_start = std::min(data_start, next);
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
  if (parts.empty()) return Malformed("it has no parts");
  return parts;
}

}  // namespace hubspot_emulator

#include "emulator/http/request_parser.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hubspot_emulator {
namespace http_internal {
namespace {

// A chunk-size line is a hex number and maybe extensions; anything this long
// is an attack or a bug, not a chunk.
constexpr size_t kMaxChunkLineBytes = 4096;

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("!#$%&'*+-.^_`|~").find(c) !=
             absl::string_view::npos;
}

bool IsToken(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

absl::string_view TrimOws(absl::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Comma-separated list elements, trimmed and lower-cased, empties skipped:
// how Connection and Transfer-Encoding values combine across lines.
std::vector<std::string> ListElements(const HttpRequest& request,
                                      absl::string_view name) {
  std::vector<std::string> out;
  for (const auto& [key, value] : request.headers) {
    if (key != name) continue;
    for (absl::string_view element : absl::StrSplit(value, ',')) {
      element = TrimOws(element);
      if (!element.empty()) out.push_back(absl::AsciiStrToLower(element));
    }
  }
  return out;
}

}  // namespace

RequestParser::RequestParser(ParserLimits limits) : limits_(limits) {}

HttpRequest RequestParser::TakeRequest() {
  HttpRequest request = std::move(request_);
  request_ = HttpRequest();
  state_ = State::kStart;
  line_.clear();
  head_bytes_ = 0;
  remaining_ = 0;
  http_minor_ = 1;
  keep_alive_ = true;
  expects_continue_ = false;
  return request;
}

RequestParser::Result RequestParser::Parse(absl::string_view data,
                                           size_t* consumed) {
  size_t pos = 0;
  while (true) {
    switch (state_) {
      case State::kComplete:
        *consumed = pos;
        return Result::kComplete;
      case State::kError:
        *consumed = pos;
        return Result::kError;
      case State::kBody:
      case State::kChunkData: {
        const size_t n = static_cast<size_t>(
            std::min<uint64_t>(remaining_, data.size() - pos));
        request_.body.append(data.data() + pos, n);
        pos += n;
        remaining_ -= n;
        if (remaining_ > 0) {
          *consumed = pos;
          return Result::kNeedMore;
        }
        state_ =
            state_ == State::kBody ? State::kComplete : State::kChunkDataEnd;
        break;
      }
      default: {
        if (!NextLine(data, &pos)) {
          *consumed = pos;
          return state_ == State::kError ? Result::kError : Result::kNeedMore;
        }
        const bool body_follows = OnLine(line_);
        line_.clear();
        if (body_follows) {
          *consumed = pos;
          return Result::kHeadersDone;
        }
        break;
      }
    }
  }
}

bool RequestParser::NextLine(absl::string_view data, size_t* pos) {
  const absl::string_view rest = data.substr(*pos);
  const size_t newline = rest.find('\n');
  const size_t take =
      newline == absl::string_view::npos ? rest.size() : newline + 1;
  // Counted before buffering, so that an endless line is refused before it
  // fills memory.
  if (state_ == State::kStart || state_ == State::kHeaders ||
      state_ == State::kTrailers) {
    head_bytes_ += take;
    if (head_bytes_ > limits_.max_header_bytes) {
      Fail(431, absl::StrCat("request headers exceed ",
                             limits_.max_header_bytes, " bytes"));
      return false;
    }
  } else if (line_.size() + take > kMaxChunkLineBytes) {
    Fail(400, "chunk size line too long");
    return false;
  }
  line_.append(rest.data(),
               newline == absl::string_view::npos ? take : newline);
  *pos += take;
  if (newline == absl::string_view::npos) return false;
  // CRLF is the rule; a bare LF is tolerated, as most servers do.
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  return true;
}

bool RequestParser::OnLine(absl::string_view line) {
  // A CR inside a line or a NUL is how requests get smuggled past proxies
  // that read them differently.
  if (line.find_first_of(absl::string_view("\r\0", 2)) !=
      absl::string_view::npos) {
    Fail(400, "stray CR or NUL in the request");
    return false;
  }
  switch (state_) {
    case State::kStart:
      // Blank lines before a request are tolerated (RFC 9112, 2.2).
      if (!line.empty()) ParseRequestLine(line);
      return false;
    case State::kHeaders:
      if (line.empty()) return EndOfHeaders();
      ParseHeaderLine(line);
      return false;
    case State::kChunkSize:
      ParseChunkSize(line);
      return false;
    case State::kChunkDataEnd:
      if (line.empty()) {
        state_ = State::kChunkSize;
      } else {
        Fail(400, "chunk data longer than its chunk size");
      }
      return false;
    case State::kTrailers:
      // Trailers are read past and ignored.
      if (line.empty()) state_ = State::kComplete;
      return false;
    default:
      return false;
  }
}

void RequestParser::ParseRequestLine(absl::string_view line) {
  const std::vector<absl::string_view> parts = absl::StrSplit(line, ' ');
  if (parts.size() != 3 || !IsToken(parts[0]) || parts[1].empty()) {
    Fail(400, "malformed request line");
    return;
  }
  const absl::string_view version = parts[2];
  if (version == "HTTP/1.1") {
    http_minor_ = 1;
  } else if (version == "HTTP/1.0") {
    http_minor_ = 0;
  } else if (version.size() == 8 && absl::StartsWith(version, "HTTP/") &&
             absl::ascii_isdigit(version[5]) && version[6] == '.' &&
             absl::ascii_isdigit(version[7])) {
    Fail(505,
         absl::StrCat("HTTP version ", version.substr(5), " is not supported"));
    return;
  } else {
    Fail(400, "malformed HTTP version");
    return;
  }

  absl::string_view target = parts[1];
  for (char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      Fail(400, "control character in the request target");
      return;
    }
  }
  if (absl::StartsWithIgnoreCase(target, "http://") ||
      absl::StartsWithIgnoreCase(target, "https://")) {
    // Absolute form (RFC 9112, 3.2.2): the authority is not ours to route on.
    target.remove_prefix(target.find("://") + 3);
    const size_t path_start = target.find_first_of("/?");
    target = path_start == absl::string_view::npos ? absl::string_view()
                                                   : target.substr(path_start);
  } else if (target.front() != '/' && target != "*") {
    Fail(400, "malformed request target");
    return;
  }
  const size_t question = target.find('?');
  request_.path = std::string(target.substr(0, question));
  if (request_.path.empty()) request_.path = "/";  // "http://host?q"
  if (question != absl::string_view::npos) {
    request_.query = std::string(target.substr(question + 1));
  }
  request_.method = std::string(parts[0]);
  state_ = State::kHeaders;
}

void RequestParser::ParseHeaderLine(absl::string_view line) {
  if (line.front() == ' ' || line.front() == '\t') {
    Fail(400, "obsolete header line folding");
    return;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) {
    Fail(400, "header line without a colon");
    return;
  }
  const absl::string_view name = line.substr(0, colon);
  if (!IsToken(name)) {
    Fail(400, "malformed header name");
    return;
  }
  request_.headers.emplace_back(absl::AsciiStrToLower(name),
                                std::string(TrimOws(line.substr(colon + 1))));
}

bool RequestParser::EndOfHeaders() {
  bool close = false;
  bool keep_alive = false;
  for (const std::string& option : ListElements(request_, "connection")) {
    if (option == "close") close = true;
    if (option == "keep-alive") keep_alive = true;
  }
  keep_alive_ = http_minor_ >= 1 ? !close : keep_alive && !close;

  const std::vector<std::string> codings =
      ListElements(request_, "transfer-encoding");
  bool has_length = false;
  uint64_t length = 0;
  for (const auto& [name, value] : request_.headers) {
    if (name != "content-length") continue;
    // Repeats are allowed only when they agree (RFC 9110, 8.6).
    for (absl::string_view element : absl::StrSplit(value, ',')) {
      element = TrimOws(element);
      if (element.empty() ||
          !std::all_of(element.begin(), element.end(), absl::ascii_isdigit)) {
        Fail(400, "malformed Content-Length");
        return false;
      }
      uint64_t parsed = 0;
      for (char c : element) {
        // Saturates: a length past 2^64 is refused as too large below.
        if (parsed > (std::numeric_limits<uint64_t>::max() - 9) / 10) {
          parsed = std::numeric_limits<uint64_t>::max();
          break;
        }
        parsed = parsed * 10 + static_cast<uint64_t>(c - '0');
      }
      if (has_length && parsed != length) {
        Fail(400, "conflicting Content-Length values");
        return false;
      }
      has_length = true;
      length = parsed;
    }
  }

  if (!codings.empty()) {
    // Both at once is the classic request-smuggling shape (RFC 9112, 6.3).
    if (has_length) {
      Fail(400, "both Transfer-Encoding and Content-Length");
      return false;
    }
    if (codings.size() != 1 || codings[0] != "chunked") {
      Fail(501, "only the chunked transfer coding is supported");
      return false;
    }
  }

  const std::string* expect = request_.Header("expect");
  // HTTP/1.0 clients cannot expect 100 Continue (RFC 9110, 10.1.1).
  expects_continue_ = http_minor_ >= 1 && expect != nullptr &&
                      absl::EqualsIgnoreCase(*expect, "100-continue");

  if (!codings.empty()) {
    state_ = State::kChunkSize;
    return true;
  }
  if (length > limits_.max_body_bytes) {
    Fail(413, absl::StrCat("request body of ", length,
                           " bytes exceeds the limit of ",
                           limits_.max_body_bytes, " bytes"));
    return false;
  }
  if (length == 0) {
    state_ = State::kComplete;
    return false;
  }
  // Reserved whole: growing by doubling would copy a large upload again.
  request_.body.reserve(static_cast<size_t>(length));
  remaining_ = length;
  state_ = State::kBody;
  return true;
}

void RequestParser::ParseChunkSize(absl::string_view line) {
  const size_t semicolon = line.find(';');  // extensions are ignored
  const absl::string_view digits = TrimOws(line.substr(0, semicolon));
  if (digits.empty()) {
    Fail(400, "malformed chunk size");
    return;
  }
  uint64_t size = 0;
  bool too_large = false;
  for (char c : digits) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      Fail(400, "malformed chunk size");
      return;
    }
    if (size > (std::numeric_limits<uint64_t>::max() >> 4)) {
      too_large = true;
      continue;
    }
    const int digit =
        absl::ascii_isdigit(static_cast<unsigned char>(c))
            ? c - '0'
            : absl::ascii_tolower(static_cast<unsigned char>(c)) - 'a' + 10;
    size = size * 16 + static_cast<uint64_t>(digit);
  }
  const uint64_t room = limits_.max_body_bytes - request_.body.size();
  if (too_large || size > room) {
    Fail(413, absl::StrCat("chunked request body exceeds the limit of ",
                           limits_.max_body_bytes, " bytes"));
    return;
  }
  if (size == 0) {
    state_ = State::kTrailers;
    return;
  }
  remaining_ = size;
  state_ = State::kChunkData;
}

void RequestParser::Fail(int status, std::string message) {
  state_ = State::kError;
  error_status_ = status;
  error_message_ = std::move(message);
}

}  // namespace http_internal
}  // namespace hubspot_emulator

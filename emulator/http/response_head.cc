#include "emulator/http/response_head.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hubspot_emulator {
namespace http_internal {
namespace {

// A handler's header with a line break in it would let it write a second
// response into the first; such headers are dropped instead.
bool SafeHeader(absl::string_view name, absl::string_view value) {
  if (name.empty()) return false;
  for (absl::string_view part : {name, value}) {
    if (part.find_first_of(absl::string_view("\r\n\0", 3)) !=
        absl::string_view::npos) {
      return false;
    }
  }
  return name.find_first_of(" \t:") == absl::string_view::npos;
}

bool ServerOwned(absl::string_view name) {
  return absl::EqualsIgnoreCase(name, "content-length") ||
         absl::EqualsIgnoreCase(name, "connection") ||
         absl::EqualsIgnoreCase(name, "transfer-encoding");
}

}  // namespace

absl::string_view ReasonPhrase(int status) {
  // clang-format off
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 207: return "Multi-Status";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 423: return "Locked";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: break;
  }
  // clang-format on
  // Clients go by the code; the phrase only has to be there.
  if (status < 200) return "Informational";
  if (status < 300) return "Success";
  if (status < 400) return "Redirection";
  if (status < 500) return "Client Error";
  return "Server Error";
}

std::string HttpDate(absl::Time t) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", t, absl::UTCTimeZone());
}

bool StatusHasBody(int status) {
  return status >= 200 && status != 204 && status != 304;
}

bool AsksToClose(const HttpResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (!absl::EqualsIgnoreCase(name, "connection")) continue;
    for (absl::string_view option : absl::StrSplit(value, ',')) {
      if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(option), "close")) {
        return true;
      }
    }
  }
  return false;
}

std::string SerializeHead(
    int status, const std::vector<std::pair<std::string, std::string>>& headers,
    std::optional<size_t> content_length, bool keep_alive, absl::Time now) {
  if (status < 100 || status > 999) status = 500;
  std::string head =
      absl::StrCat("HTTP/1.1 ", status, " ", ReasonPhrase(status), "\r\n");
  bool has_date = false;
  for (const auto& [name, value] : headers) {
    if (ServerOwned(name) || !SafeHeader(name, value)) continue;
    if (absl::EqualsIgnoreCase(name, "date")) has_date = true;
    absl::StrAppend(&head, name, ": ", value, "\r\n");
  }
  if (!has_date) absl::StrAppend(&head, "Date: ", HttpDate(now), "\r\n");
  if (content_length.has_value()) {
    absl::StrAppend(&head, "Content-Length: ", *content_length, "\r\n");
  }
  absl::StrAppend(&head, "Connection: ", keep_alive ? "keep-alive" : "close",
                  "\r\n\r\n");
  return head;
}

HttpResponse PlainTextError(int status, absl::string_view message) {
  HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
  response.body = absl::StrCat(message, "\n");
  return response;
}

}  // namespace http_internal
}  // namespace hubspot_emulator

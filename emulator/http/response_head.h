#ifndef HUBSPOT_EMULATOR_HTTP_RESPONSE_HEAD_H_
#define HUBSPOT_EMULATOR_HTTP_RESPONSE_HEAD_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "emulator/http/http_server.h"

namespace hubspot_emulator {
namespace http_internal {

absl::string_view ReasonPhrase(int status);

// IMF-fixdate, the one form a Date header should have (RFC 9110, 5.6.7).
std::string HttpDate(absl::Time t);

// 1xx, 204 and 304 answers have no body, and no Content-Length either.
bool StatusHasBody(int status);

// The handler asked for the connection to end after this answer.
bool AsksToClose(const HttpResponse& response);

// Status line and headers up to the blank line. The handler's Content-Length,
// Connection and Transfer-Encoding are replaced by the server's own (the body
// is always sent whole, never chunked); a Date is added unless given.
// `content_length` is omitted when nullopt.
std::string SerializeHead(
    int status, const std::vector<std::pair<std::string, std::string>>& headers,
    std::optional<size_t> content_length, bool keep_alive, absl::Time now);

// What the server answers by itself when no ErrorResponder was given.
HttpResponse PlainTextError(int status, absl::string_view message);

}  // namespace http_internal
}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_HTTP_RESPONSE_HEAD_H_

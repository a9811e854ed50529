#ifndef HUBSPOT_GATEWAY_HTTP_HTTP_UPSTREAM_H_
#define HUBSPOT_GATEWAY_HTTP_HTTP_UPSTREAM_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/common/cancellation.h"
#include "server/http/body_source.h"

namespace hubspot_gateway {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  // Complete header lines, "Name: value".
  std::vector<std::string> headers;
  std::string body;
  // When set, the body is streamed from here instead of `body`.
  std::shared_ptr<BodySource> body_source;
  // The transfer fails with DEADLINE_EXCEEDED past this instant.
  absl::Time deadline = absl::InfiniteFuture();
  // Optional; cancelling it aborts the transfer with CANCELLED.
  std::shared_ptr<CancellationSignal> cancellation;
  // Sending it twice does no harm (a GET always counts as such): when a
  // kept connection dies before any answer, the HTTP client may send it
  // again on a new one by itself. Otherwise it fails and the caller decides.
  bool resend_safe = false;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  // Header names lower-cased; a repeated header keeps its last value.
  absl::flat_hash_map<std::string, std::string> headers;
};

// What the HTTP layer saw of one request, whatever came of it: enough to
// tell whether the server can have acted on it (see ClassifyAttempt).
struct TransferFacts {
  // The request was issued on a connection: DNS, TCP, TLS and proxy set-up
  // had succeeded. Before that, the server cannot have seen it.
  bool request_issued = false;
  // Every byte of the body was handed to the connection: for a known length
  // that many bytes, for an unknown one the source's end. Until then the
  // server cannot have received the request whole. A request without a
  // streamed body counts as whole once issued.
  bool body_sent_whole = false;
  // Body bytes handed to the connection.
  int64_t body_bytes_sent = 0;
  // The status of the answer's status line, once one arrived (also when its
  // body was then cut); 0: none.
  int response_status = 0;
  // The connection died before any answer and libcurl wanted to send the
  // request again on a new one. Unless the request is resend_safe the
  // upstream refuses: the server may have acted on the first one (the
  // transfer fails UNAVAILABLE).
  bool resend_refused = false;
  // Resend-safe requests libcurl sent again on a new connection after a
  // kept one died without an answer.
  int curl_resends = 0;
};

// Transport failures come back as: UNAVAILABLE (connect, reset, TLS, proxy,
// oversized or truncated body, a refused resend), DEADLINE_EXCEEDED,
// CANCELLED; with what the transport saw either way.
using HttpCallback = absl::AnyInvocable<void(absl::StatusOr<HttpResponse>,
                                             const TransferFacts&) &&>;

// The narrow interface between the gateway and whatever speaks HTTP upstream.
class HttpUpstream {
 public:
  virtual ~HttpUpstream() = default;
  // `done` runs exactly once, on a thread of the upstream's, never inside
  // Send.
  virtual void Send(HttpRequest request, HttpCallback done) = 0;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HTTP_HTTP_UPSTREAM_H_

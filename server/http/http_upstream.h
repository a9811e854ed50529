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
};

struct HttpResponse {
  int status = 0;
  std::string body;
  // Header names lower-cased; a repeated header keeps its last value.
  absl::flat_hash_map<std::string, std::string> headers;
};

// Transport failures come back as: UNAVAILABLE (connect, reset, TLS, proxy,
// oversized or truncated body), DEADLINE_EXCEEDED, CANCELLED.
using HttpCallback = absl::AnyInvocable<void(absl::StatusOr<HttpResponse>) &&>;

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

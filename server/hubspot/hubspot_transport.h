#ifndef HUBSPOT_GATEWAY_HUBSPOT_HUBSPOT_TRANSPORT_H_
#define HUBSPOT_GATEWAY_HUBSPOT_HUBSPOT_TRANSPORT_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "server/auth/credentials.h"
#include "server/common/cancellation.h"
#include "server/common/clock.h"
#include "server/http/body_source.h"
#include "server/http/http_upstream.h"

namespace hubspot_gateway {

// One HubSpot API call: method, path with query, optional JSON body.
struct HubSpotCall {
  std::string method = "GET";
  std::string path_and_query;
  std::string body;
  // A streamed body (an upload) instead of `body`, with its content type.
  // After a 401 it is rewound for the one retry.
  std::shared_ptr<BodySource> body_source;
  std::string content_type = "application/json";
  // Replaces the configured timeout as the cap of this call (uploads).
  std::optional<absl::Duration> timeout;
  // The caller's deadline; the configured timeout caps it.
  absl::Time deadline = absl::InfiniteFuture();
  std::shared_ptr<CancellationSignal> cancellation;
};

// Sends calls to HubSpot with the gateway's credentials. A 401 answer makes
// the credentials fetch a fresh token and the call is sent once more.
class HubSpotTransport {
 public:
  // `http` and `credentials` must outlive every call.
  HubSpotTransport(std::string base_url, absl::Duration timeout,
                   HttpUpstream* http, CredentialProvider* credentials);

  // `done` runs exactly once: with HubSpot's answer (any HTTP status), or
  // with a transport, credential, deadline or cancellation error. It may run
  // inside Send when the call is already cancelled or out of time.
  void Send(HubSpotCall call, HttpCallback done);

 private:
  class Attempt;

  const std::string base_url_;
  const absl::Duration timeout_;
  HttpUpstream* const http_;
  CredentialProvider* const credentials_;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HUBSPOT_HUBSPOT_TRANSPORT_H_

#ifndef HUBSPOT_GATEWAY_HUBSPOT_HUBSPOT_TRANSPORT_H_
#define HUBSPOT_GATEWAY_HUBSPOT_HUBSPOT_TRANSPORT_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "server/auth/credentials.h"
#include "server/common/cancellation.h"
#include "server/common/scheduler.h"
#include "server/http/body_source.h"
#include "server/http/http_upstream.h"
#include "server/hubspot/attempt_effect.h"
#include "server/hubspot/circuit_breaker.h"
#include "server/hubspot/retry_policy.h"
#include "server/metrics/gateway_metrics.h"
#include "server/ratelimit/rate_limiter.h"

namespace hubspot_gateway {

// One HubSpot API call: method, path with query, optional JSON body.
struct HubSpotCall {
  std::string method = "GET";
  std::string path_and_query;
  std::string body;
  // A streamed body (an upload) instead of `body`, with its content type.
  // It is rewound for each further attempt.
  std::shared_ptr<BodySource> body_source;
  std::string content_type = "application/json";
  // Names the HubSpot operation in metrics: "start_import", "get_import"….
  std::string endpoint;
  // W3C trace context headers for HubSpot; empty: none.
  std::string traceparent;
  std::string tracestate;
  // Content-Encoding of the body, e.g. "gzip"; empty: none.
  std::string content_encoding;
  // Replaces the configured timeout as the cap of this call (uploads).
  std::optional<absl::Duration> timeout;
  // The caller's deadline; the configured timeout caps it.
  absl::Time deadline = absl::InfiniteFuture();
  std::shared_ptr<CancellationSignal> cancellation;
  RetrySafety retry_safety = RetrySafety::kIdempotent;
};

struct HubSpotTransportOptions {
  std::string base_url;
  // Cap of a call whose HubSpotCall sets no timeout of its own.
  absl::Duration timeout = absl::Seconds(30);
  RetryPolicy retry;
  double retry_budget_max_tokens = 10;
  double retry_budget_token_ratio = 0.1;
  // Null: no circuit breaker. Must outlive every call.
  CircuitBreaker* breaker = nullptr;
  // Null: no client-side rate limit. Must outlive every call.
  RateLimiter* rate_limiter = nullptr;
  // Null: no metrics. Must outlive every call.
  HubSpotMetrics* metrics = nullptr;
};

// How a call ended.
struct HubSpotAnswer {
  // HubSpot's answer (any HTTP status), or a transport, credential,
  // deadline or cancellation error.
  absl::StatusOr<HttpResponse> response;
  // What the last attempt can have done at HubSpot.
  AttemptEffect effect = AttemptEffect::kNone;
  // An earlier attempt of this call may have taken effect although its
  // answer was lost: the final answer may be HubSpot's reply to a repeat
  // (a cancel's 409 "already CANCELED").
  bool earlier_attempt_unknown = false;
};
using HubSpotCallback = absl::AnyInvocable<void(HubSpotAnswer) &&>;

// Sends calls to HubSpot with the gateway's credentials. A 401 answer makes
// the credentials fetch a fresh token and the call is sent once more.
// Failures the retry policy deems passing are retried after a back-off, as
// the call's RetrySafety allows, within its deadline and the retry budget.
// Only the gateway sends anything twice: the HTTP client's own resend of a
// request whose kept connection died is refused (see TransferFacts).
// Every request asks the circuit breaker first and reports its outcome.
class HubSpotTransport {
 public:
  // `http`, `credentials` and `scheduler` must outlive every call.
  HubSpotTransport(HubSpotTransportOptions options, HttpUpstream* http,
                   CredentialProvider* credentials, Scheduler* scheduler);

  // `done` runs exactly once: with HubSpot's answer (any HTTP status), or
  // with a transport, credential, deadline or cancellation error. It may run
  // inside Send when the call is already cancelled or out of time.
  void Send(HubSpotCall call, HubSpotCallback done);

  // The account's metrics; null: none.
  HubSpotMetrics* metrics() const { return options_.metrics; }

 private:
  class Attempt;

  const HubSpotTransportOptions options_;
  HttpUpstream* const http_;
  CredentialProvider* const credentials_;
  Scheduler* const scheduler_;
  RetryBudget budget_;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HUBSPOT_HUBSPOT_TRANSPORT_H_

#ifndef HUBSPOT_GATEWAY_METRICS_GATEWAY_METRICS_H_
#define HUBSPOT_GATEWAY_METRICS_GATEWAY_METRICS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/http/http_upstream.h"
#include "server/metrics/metric_registry.h"

namespace hubspot_gateway {

// The gateway's metric families (the README's Operations section lists
// them with their meaning). Label values: gRPC methods the gateway serves,
// configured account names, fixed endpoint names, HTTP statuses.
struct GatewayMetrics {
  explicit GatewayMetrics(MetricRegistry* registry);

  MetricRegistry* const registry;
  // grpc_type, grpc_service, grpc_method (+ grpc_code), as go-grpc-prometheus.
  Family<Counter>* const grpc_started;
  Family<Counter>* const grpc_handled;
  Family<Histogram>* const grpc_handling_seconds;
  // account, endpoint, status.
  Family<Counter>* const hubspot_requests;
  // account, endpoint.
  Family<Histogram>* const hubspot_request_seconds;
  Family<Counter>* const hubspot_retries;
  // account, endpoint, resolution (recovered, unresolved).
  Family<Counter>* const unknown_outcomes;
  // account, result.
  Family<Counter>* const token_refreshes;
  // account, state.
  Family<Gauge>* const breaker_state;
  // account.
  Family<Gauge>* const rate_limit_tokens;
  Family<Gauge>* const rate_limit_capacity;
  Family<Gauge>* const rate_limit_waiting;
  Family<Counter>* const rate_limit_shed;
  // account, window.
  Family<Gauge>* const hubspot_rate_limit_remaining;
  Family<Gauge>* const hubspot_rate_limit_max;
  Gauge* const uploads_in_flight;
  // account.
  Family<Counter>* const upload_received_bytes;
  Family<Counter>* const upload_sent_bytes;
  // account, result.
  Family<Counter>* const imports_started;
  Gauge* const spool_bytes;
  Gauge* const spool_filesystem_free_bytes;
  Gauge* const spool_filesystem_size_bytes;
  Counter* const audit_write_errors;
};

// What one HubSpot account's components report, with the account's label
// already applied. Every method may be called from any thread.
class HubSpotMetrics {
 public:
  HubSpotMetrics(GatewayMetrics* metrics, std::string account);

  // One HTTP attempt to `endpoint` ("get_import", "token", …) and what came
  // of it, with the rate-limit headers of an answer.
  void Request(absl::string_view endpoint,
               const absl::StatusOr<HttpResponse>& answer,
               absl::Duration took);
  void Retry(absl::string_view endpoint);
  // A call whose answer was lost after HubSpot may have acted on it, and
  // whether the gateway then learnt what HubSpot did.
  void UnknownOutcome(absl::string_view endpoint, bool recovered);
  void TokenRefresh(bool ok);
  void UploadReceived(int64_t bytes);
  // Upload body bytes handed to HubSpot; the spool adds to it as it is read.
  Counter* upload_sent() const { return sent_; }
  void ImportStarted(bool ok);

  GatewayMetrics* gateway() const { return metrics_; }
  const std::string& account() const { return account_; }

 private:
  GatewayMetrics* const metrics_;
  const std::string account_;
  Counter* const retries_token_;
  Counter* const refresh_ok_;
  Counter* const refresh_error_;
  Counter* const received_;
  Counter* const sent_;
  Counter* const started_ok_;
  Counter* const started_error_;
};

// The status label of an attempt: the HTTP status, "timeout" or
// "transport_error".
std::string HubSpotStatusLabel(const absl::StatusOr<HttpResponse>& answer);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_METRICS_GATEWAY_METRICS_H_

#include "server/metrics/gateway_metrics.h"

#include <tuple>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace hubspot_gateway {

GatewayMetrics::GatewayMetrics(MetricRegistry* r)
    : registry(r),
      grpc_started(r->AddCounter(
          "grpc_server_started_total", "RPCs started on the server.",
          {"grpc_type", "grpc_service", "grpc_method"})),
      grpc_handled(r->AddCounter(
          "grpc_server_handled_total",
          "RPCs completed on the server, by gRPC status code.",
          {"grpc_type", "grpc_service", "grpc_method", "grpc_code"})),
      grpc_handling_seconds(r->AddHistogram(
          "grpc_server_handling_seconds",
          "Time from an RPC's start to its status, in seconds.",
          {"grpc_type", "grpc_service", "grpc_method"})),
      hubspot_requests(r->AddCounter(
          "hubspot_gateway_hubspot_requests_total",
          "HTTP attempts to HubSpot, by endpoint and HTTP status "
          "(\"timeout\" and \"transport_error\" when there was no answer).",
          {"account", "endpoint", "status"})),
      hubspot_request_seconds(r->AddHistogram(
          "hubspot_gateway_hubspot_request_duration_seconds",
          "Duration of HTTP attempts to HubSpot, in seconds.",
          {"account", "endpoint"})),
      hubspot_retries(r->AddCounter("hubspot_gateway_hubspot_retries_total",
                                    "Retries of HubSpot calls.",
                                    {"account", "endpoint"})),
      unknown_outcomes(r->AddCounter(
          "hubspot_gateway_unknown_outcomes_total",
          "Calls whose answer was lost after HubSpot may have acted on them, "
          "by resolution: recovered (the gateway learnt what HubSpot did) or "
          "unresolved (the caller was told the outcome is unknown).",
          {"account", "endpoint", "resolution"})),
      token_refreshes(r->AddCounter(
          "hubspot_gateway_token_refreshes_total",
          "OAuth access-token refreshes, by result (ok, error).",
          {"account", "result"})),
      breaker_state(r->AddGauge(
          "hubspot_gateway_circuit_breaker_state",
          "1 for the circuit breaker's current state (closed, open, "
          "half_open), 0 for the others.",
          {"account", "state"})),
      rate_limit_tokens(r->AddGauge(
          "hubspot_gateway_rate_limit_tokens",
          "Calls the gateway's own rate budget lets through at once now.",
          {"account"})),
      rate_limit_capacity(r->AddGauge(
          "hubspot_gateway_rate_limit_capacity",
          "The rate budget: calls per interval (rateLimit."
          "requestsPerInterval); 0 when off.",
          {"account"})),
      rate_limit_waiting(r->AddGauge(
          "hubspot_gateway_rate_limit_waiting",
          "Calls waiting for a turn in the rate budget.", {"account"})),
      rate_limit_shed(r->AddCounter(
          "hubspot_gateway_rate_limit_shed_total",
          "Calls refused (RESOURCE_EXHAUSTED) by the gateway's rate budget.",
          {"account"})),
      hubspot_rate_limit_remaining(r->AddGauge(
          "hubspot_gateway_hubspot_rate_limit_remaining",
          "HubSpot's X-HubSpot-RateLimit-Remaining (window=\"interval\") and "
          "-Daily-Remaining (window=\"daily\") of its last answer.",
          {"account", "window"})),
      hubspot_rate_limit_max(r->AddGauge(
          "hubspot_gateway_hubspot_rate_limit_max",
          "HubSpot's X-HubSpot-RateLimit-Max (window=\"interval\") and "
          "-Daily (window=\"daily\") of its last answer.",
          {"account", "window"})),
      uploads_in_flight(
          r->AddGauge("hubspot_gateway_uploads_in_flight",
                      "StartImport calls in progress.")
              ->With({})),
      upload_received_bytes(r->AddCounter(
          "hubspot_gateway_upload_received_bytes_total",
          "File bytes received from StartImport callers.", {"account"})),
      upload_sent_bytes(r->AddCounter(
          "hubspot_gateway_upload_sent_bytes_total",
          "Upload body bytes handed to HubSpot (each attempt counts).",
          {"account"})),
      imports_started(r->AddCounter(
          "hubspot_gateway_imports_started_total",
          "StartImport calls ended, by result (ok: HubSpot created the "
          "import; error: it did not).",
          {"account", "result"})),
      spool_bytes(r->AddGauge("hubspot_gateway_spool_bytes",
                              "Bytes of uploads in spool files now.")
                      ->With({})),
      spool_filesystem_free_bytes(
          r->AddGauge("hubspot_gateway_spool_filesystem_free_bytes",
                      "Free bytes (for unprivileged users) of the spool "
                      "directory's file system.")
              ->With({})),
      spool_filesystem_size_bytes(
          r->AddGauge("hubspot_gateway_spool_filesystem_size_bytes",
                      "Size of the spool directory's file system.")
              ->With({})),
      audit_write_errors(
          r->AddCounter("hubspot_gateway_audit_write_errors_total",
                        "Audit lines that could not be written whole.")
              ->With({})) {}

std::string HubSpotStatusLabel(const absl::StatusOr<HttpResponse>& answer) {
  if (answer.ok()) return absl::StrCat(answer->status);
  if (absl::IsDeadlineExceeded(answer.status())) return "timeout";
  if (absl::IsCancelled(answer.status())) return "cancelled";
  return "transport_error";
}

HubSpotMetrics::HubSpotMetrics(GatewayMetrics* m, std::string account)
    : metrics_(m),
      account_(std::move(account)),
      retries_token_(m->hubspot_retries->With({account_, "token"})),
      refresh_ok_(m->token_refreshes->With({account_, "ok"})),
      refresh_error_(m->token_refreshes->With({account_, "error"})),
      received_(m->upload_received_bytes->With({account_})),
      sent_(m->upload_sent_bytes->With({account_})),
      started_ok_(m->imports_started->With({account_, "ok"})),
      started_error_(m->imports_started->With({account_, "error"})) {
  // At 0 from the start, so that the first lost answer is a rise that
  // increase() and alerts see.
  for (const char* endpoint : {"start_import", "cancel_import"}) {
    for (const char* resolution : {"recovered", "unresolved"}) {
      m->unknown_outcomes->With({account_, endpoint, resolution});
    }
  }
}

void HubSpotMetrics::Request(absl::string_view endpoint,
                             const absl::StatusOr<HttpResponse>& answer,
                             absl::Duration took) {
  const std::string e(endpoint);
  metrics_->hubspot_requests->With({account_, e, HubSpotStatusLabel(answer)})
      ->Increment();
  metrics_->hubspot_request_seconds->With({account_, e})
      ->Observe(absl::ToDoubleSeconds(took));
  if (!answer.ok()) return;
  for (const auto& [header, window, family] :
       {std::tuple<const char*, const char*, Family<Gauge>*>{
            "x-hubspot-ratelimit-remaining", "interval",
            metrics_->hubspot_rate_limit_remaining},
        {"x-hubspot-ratelimit-daily-remaining", "daily",
         metrics_->hubspot_rate_limit_remaining},
        {"x-hubspot-ratelimit-max", "interval",
         metrics_->hubspot_rate_limit_max},
        {"x-hubspot-ratelimit-daily", "daily",
         metrics_->hubspot_rate_limit_max}}) {
    auto it = answer->headers.find(header);
    double value = 0;
    if (it != answer->headers.end() && absl::SimpleAtod(it->second, &value) &&
        value >= 0) {
      family->With({account_, window})->Set(value);
    }
  }
}

void HubSpotMetrics::Retry(absl::string_view endpoint) {
  if (endpoint == "token") {
    retries_token_->Increment();
    return;
  }
  metrics_->hubspot_retries->With({account_, std::string(endpoint)})
      ->Increment();
}

void HubSpotMetrics::UnknownOutcome(absl::string_view endpoint,
                                    bool recovered) {
  metrics_->unknown_outcomes
      ->With({account_, std::string(endpoint),
              recovered ? "recovered" : "unresolved"})
      ->Increment();
}

void HubSpotMetrics::TokenRefresh(bool ok) {
  (ok ? refresh_ok_ : refresh_error_)->Increment();
}

void HubSpotMetrics::UploadReceived(int64_t bytes) {
  received_->Increment(static_cast<double>(bytes));
}

void HubSpotMetrics::ImportStarted(bool ok) {
  (ok ? started_ok_ : started_error_)->Increment();
}

}  // namespace hubspot_gateway

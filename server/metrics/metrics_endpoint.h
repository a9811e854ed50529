#ifndef HUBSPOT_GATEWAY_METRICS_METRICS_ENDPOINT_H_
#define HUBSPOT_GATEWAY_METRICS_METRICS_ENDPOINT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "emulator/http/http_server.h"
#include "server/metrics/metric_registry.h"

namespace hubspot_gateway {

// GET /metrics in Prometheus' text format, on a plain HTTP port of its own
// (the project's HTTP/1.1 server, the one the emulator uses), apart from
// the gRPC port. Anything else gets 404; methods other than GET and HEAD
// 405.
class MetricsEndpoint {
 public:
  // `address` is "host:port" (port 0: any free one). `registry` must
  // outlive the endpoint.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      absl::string_view address, const MetricRegistry* registry);
  int port() const { return server_->port(); }

 private:
  explicit MetricsEndpoint(std::unique_ptr<hubspot_emulator::HttpServer> s)
      : server_(std::move(s)) {}
  std::unique_ptr<hubspot_emulator::HttpServer> server_;
};

// process_start_time_seconds, process_resident_memory_bytes and
// process_open_fds, read from /proc at each scrape.
void AddProcessMetrics(MetricRegistry* registry);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_METRICS_METRICS_ENDPOINT_H_

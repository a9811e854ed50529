#ifndef HUBSPOT_GATEWAY_METRICS_GRPC_SERVER_METRICS_H_
#define HUBSPOT_GATEWAY_METRICS_GRPC_SERVER_METRICS_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"
#include "server/metrics/gateway_metrics.h"

namespace hubspot_gateway {

// Counts every RPC the server handles (started, handled by code, handling
// time) in grpc_server_*, whatever answers it: ImportService, health,
// reflection, or gRPC itself (an unknown method). Methods the gateway does
// not serve are labelled "unknown", so that callers cannot grow the
// families.
class GrpcServerMetricsFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit GrpcServerMetricsFactory(GatewayMetrics* metrics)
      : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  GatewayMetrics* const metrics_;
};

// "/pkg.Service/Method" → {"pkg.Service", "Method"} for the methods the
// gateway serves; {"unknown", "unknown"} otherwise.
std::pair<std::string, std::string> GrpcMethodLabels(absl::string_view path);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_METRICS_GRPC_SERVER_METRICS_H_

#include "server/metrics/grpc_server_metrics.h"

#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "server/common/status_code_name.h"

namespace hubspot_gateway {
namespace {

using grpc::experimental::InterceptionHookPoints;

const char* TypeLabel(grpc::experimental::ServerRpcInfo::Type type) {
  switch (type) {
    case grpc::experimental::ServerRpcInfo::Type::UNARY:
      return "unary";
    case grpc::experimental::ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case grpc::experimental::ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case grpc::experimental::ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unknown";
}

// One RPC: counted as started when created, as handled when its status
// goes out; a call that ends without one (the peer went away) counts as
// CANCELLED when gRPC lets go of it.
class GrpcServerMetricsInterceptor final
    : public grpc::experimental::Interceptor {
 public:
  GrpcServerMetricsInterceptor(GatewayMetrics* metrics,
                               grpc::experimental::ServerRpcInfo* info)
      : metrics_(metrics), started_(absl::Now()) {
    auto [service, method] = GrpcMethodLabels(info->method());
    labels_ = {TypeLabel(info->type()), std::move(service), std::move(method)};
    metrics_->grpc_started->With(labels_)->Increment();
  }

  ~GrpcServerMetricsInterceptor() override {
    if (!handled_) Handled(grpc::StatusCode::CANCELLED);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      Handled(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Handled(grpc::StatusCode code) {
    handled_ = true;
    LabelValues with_code = labels_;
    with_code.push_back(std::string(StatusCodeName(static_cast<int>(code))));
    metrics_->grpc_handled->With(with_code)->Increment();
    metrics_->grpc_handling_seconds->With(labels_)->Observe(
        absl::ToDoubleSeconds(absl::Now() - started_));
  }

  GatewayMetrics* const metrics_;
  const absl::Time started_;
  LabelValues labels_;
  bool handled_ = false;
};

}  // namespace

grpc::experimental::Interceptor*
GrpcServerMetricsFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new GrpcServerMetricsInterceptor(metrics_, info);
}

std::pair<std::string, std::string> GrpcMethodLabels(absl::string_view path) {
  static constexpr absl::string_view kServed[] = {
      "/hubspot.crm.imports.v1.ImportService/StartImport",
      "/hubspot.crm.imports.v1.ImportService/ListImports",
      "/hubspot.crm.imports.v1.ImportService/GetImport",
      "/hubspot.crm.imports.v1.ImportService/ListImportErrors",
      "/hubspot.crm.imports.v1.ImportService/CancelImport",
      "/grpc.health.v1.Health/Check",
      "/grpc.health.v1.Health/Watch",
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
  };
  for (absl::string_view served : kServed) {
    if (path == served) {
      const size_t slash = served.rfind('/');
      return {std::string(served.substr(1, slash - 1)),
              std::string(served.substr(slash + 1))};
    }
  }
  return {"unknown", "unknown"};
}

}  // namespace hubspot_gateway

#ifndef HUBSPOT_GATEWAY_HUBSPOT_ERROR_MAPPING_H_
#define HUBSPOT_GATEWAY_HUBSPOT_ERROR_MAPPING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"
#include "server/http/http_upstream.h"

namespace hubspot_gateway {

// The gRPC code callers get for a HubSpot answer with this HTTP status.
grpc::StatusCode GrpcCodeForHttpStatus(int http_status);

// How long HubSpot asks callers to wait before retrying a 429/503:
// Retry-After (seconds), else the rate-limit window it names, else 1s.
absl::Duration RetryDelay(const HttpResponse& response);

// A non-2xx HubSpot answer as a gRPC status: HubSpot's message, category and
// correlationId in the message, and in the details a google.rpc.ErrorInfo, a
// HubSpotError with the whole body, and a RetryInfo for 429.
grpc::Status StatusFromHubSpotAnswer(const HttpResponse& response);

// The gateway's own failure (transport, validation, credentials) as a gRPC
// status with the same code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// `status` with its message replaced and one more detail: a
// google.rpc.ErrorInfo of this gateway's domain with `reason` and
// `metadata`; the details it had are kept.
grpc::Status WithGatewayErrorInfo(
    const grpc::Status& status, std::string message, absl::string_view reason,
    const std::vector<std::pair<std::string, std::string>>& metadata);

// INVALID_ARGUMENT naming `field`, with a google.rpc.BadRequest detail.
grpc::Status InvalidField(absl::string_view field,
                          absl::string_view description);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HUBSPOT_ERROR_MAPPING_H_

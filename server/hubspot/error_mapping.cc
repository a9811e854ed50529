#include "server/hubspot/error_mapping.h"

#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/duration.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "hubspot/crm/imports/v1/hubspot_error.pb.h"
#include "server/common/proto_duration.h"
#include "server/hubspot/rest_mapping.h"
#include "server/ratelimit/rate_limiter.h"

namespace hubspot_gateway {
namespace {

constexpr absl::string_view kDomain = "api.hubapi.com";
// Of what the gateway itself reports (not HubSpot's answers).
constexpr absl::string_view kGatewayDomain = "hubspot-imports-gateway";

std::string HeaderOr(const HttpResponse& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

grpc::Status WithDetails(grpc::StatusCode code, std::string message,
                         const google::rpc::Status& details) {
  google::rpc::Status full = details;
  full.set_code(static_cast<int>(code));
  full.set_message(message);
  return grpc::Status(code, std::move(message), full.SerializeAsString());
}

}  // namespace

grpc::StatusCode GrpcCodeForHttpStatus(int http_status) {
  switch (http_status) {
    case 400:
    case 413:
    case 415:
    case 422:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case 401:
      return grpc::StatusCode::UNAUTHENTICATED;
    case 403:
      return grpc::StatusCode::PERMISSION_DENIED;
    case 404:
      return grpc::StatusCode::NOT_FOUND;
    case 408:
    case 504:
      return grpc::StatusCode::DEADLINE_EXCEEDED;
    case 409:
    case 412:
      return grpc::StatusCode::FAILED_PRECONDITION;
    case 429:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    default:
      break;
  }
  if (http_status >= 500) return grpc::StatusCode::UNAVAILABLE;
  if (http_status >= 400) return grpc::StatusCode::FAILED_PRECONDITION;
  // 1xx/3xx are not answers HubSpot gives to these calls: a misrouted base
  // URL or an interfering proxy.
  return grpc::StatusCode::UNAVAILABLE;
}

absl::Duration RetryDelay(const HttpResponse& response) {
  int64_t value = 0;
  if (absl::SimpleAtoi(HeaderOr(response, "retry-after"), &value) &&
      value >= 0) {
    return absl::Seconds(std::min<int64_t>(value, 3600));
  }
  if (absl::SimpleAtoi(
          HeaderOr(response, "x-hubspot-ratelimit-interval-milliseconds"),
          &value) &&
      value > 0) {
    return absl::Milliseconds(std::min<int64_t>(value, 3600 * 1000));
  }
  return absl::Seconds(1);
}

grpc::Status StatusFromHubSpotAnswer(const HttpResponse& response) {
  const grpc::StatusCode code = GrpcCodeForHttpStatus(response.status);
  hubspot::crm::imports::v1::HubSpotError error =
      ParseHubSpotError(response.status, response.body);

  std::string message = absl::StrCat("HubSpot answered HTTP ", response.status);
  if (!error.message().empty())
    absl::StrAppend(&message, ": ", error.message());
  std::string qualifiers;
  for (const auto& [label, value] :
       {std::pair<absl::string_view, const std::string&>{"category",
                                                         error.category()},
        {"subCategory", error.sub_category()},
        {"policyName", error.policy_name()},
        {"correlationId", error.correlation_id()}}) {
    if (value.empty()) continue;
    absl::StrAppend(&qualifiers, qualifiers.empty() ? "" : ", ", label, " ",
                    value);
  }
  if (!qualifiers.empty()) absl::StrAppend(&message, " (", qualifiers, ")");
  if (response.status >= 300 && response.status < 400) {
    absl::StrAppend(&message,
                    "; check hubspot.baseUrl: HubSpot does not redirect API "
                    "calls");
  }

  google::rpc::Status details;
  google::rpc::ErrorInfo info;
  info.set_reason(error.category().empty()
                      ? absl::StrCat("HTTP_", response.status)
                      : error.category());
  info.set_domain(std::string(kDomain));
  auto& meta = *info.mutable_metadata();
  meta["httpStatus"] = absl::StrCat(response.status);
  if (!error.correlation_id().empty())
    meta["correlationId"] = error.correlation_id();
  if (!error.sub_category().empty()) meta["subCategory"] = error.sub_category();
  if (!error.policy_name().empty()) meta["policyName"] = error.policy_name();
  details.add_details()->PackFrom(info);
  details.add_details()->PackFrom(error);
  if (code == grpc::StatusCode::RESOURCE_EXHAUSTED || response.status == 503) {
    google::rpc::RetryInfo retry;
    SetProtoDuration(RetryDelay(response), retry.mutable_retry_delay());
    details.add_details()->PackFrom(retry);
  }
  return WithDetails(code, std::move(message), details);
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  const auto code = static_cast<grpc::StatusCode>(status.code());
  auto retry = status.GetPayload(kRetryInfoPayload);
  if (!retry.has_value()) return grpc::Status(code, std::string(status.message()));
  google::rpc::RetryInfo info;
  info.ParseFromString(std::string(*retry));
  google::rpc::Status details;
  details.add_details()->PackFrom(info);
  return WithDetails(code, std::string(status.message()), details);
}

grpc::Status WithGatewayErrorInfo(
    const grpc::Status& status, std::string message, absl::string_view reason,
    const std::vector<std::pair<std::string, std::string>>& metadata) {
  google::rpc::Status details;
  if (!status.error_details().empty()) {
    details.ParseFromString(status.error_details());
  }
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kGatewayDomain));
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[key] = value;
  }
  details.add_details()->PackFrom(info);
  return WithDetails(status.error_code(), std::move(message), details);
}

grpc::Status InvalidField(absl::string_view field,
                          absl::string_view description) {
  google::rpc::BadRequest bad;
  auto* violation = bad.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
  google::rpc::Status details;
  details.add_details()->PackFrom(bad);
  return WithDetails(grpc::StatusCode::INVALID_ARGUMENT,
                     absl::StrCat(field, ": ", description), details);
}

}  // namespace hubspot_gateway

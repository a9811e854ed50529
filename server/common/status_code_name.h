#ifndef HUBSPOT_GATEWAY_COMMON_STATUS_CODE_NAME_H_
#define HUBSPOT_GATEWAY_COMMON_STATUS_CODE_NAME_H_

#include "absl/strings/string_view.h"

namespace hubspot_gateway {

// gRPC's canonical name of status code `code` (grpc::StatusCode and
// absl::StatusCode share the numbers): "OK", "NOT_FOUND"…; "UNKNOWN" for a
// number outside them.
absl::string_view StatusCodeName(int code);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_COMMON_STATUS_CODE_NAME_H_

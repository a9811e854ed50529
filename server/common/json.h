#ifndef HUBSPOT_GATEWAY_COMMON_JSON_H_
#define HUBSPOT_GATEWAY_COMMON_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace hubspot_gateway {

// Parses a JSON document whose root is an object. Numbers become doubles,
// which hold every integer HubSpot's schemas use (< 2^53) exactly.
absl::StatusOr<google::protobuf::Struct> ParseJsonObject(
    absl::string_view json);

// `s` as a JSON string literal, quotes included.
std::string JsonQuote(absl::string_view s);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_COMMON_JSON_H_

#ifndef HUBSPOT_GATEWAY_COMMON_PROTO_DURATION_H_
#define HUBSPOT_GATEWAY_COMMON_PROTO_DURATION_H_

#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"

namespace hubspot_gateway {

absl::Duration FromProtoDuration(const google::protobuf::Duration& d);
void SetProtoDuration(absl::Duration d, google::protobuf::Duration* out);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_COMMON_PROTO_DURATION_H_

#include "server/common/proto_duration.h"

#include <cstdint>

namespace hubspot_gateway {

absl::Duration FromProtoDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

void SetProtoDuration(absl::Duration d, google::protobuf::Duration* out) {
  const int64_t s = absl::IDivDuration(d, absl::Seconds(1), &d);
  out->set_seconds(s);
  out->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
}

}  // namespace hubspot_gateway

#include "server/hubspot/attempt_effect.h"

namespace hubspot_gateway {

const char* AttemptEffectName(AttemptEffect effect) {
  switch (effect) {
    case AttemptEffect::kNone:
      return "none";
    case AttemptEffect::kApplied:
      return "applied";
    case AttemptEffect::kUnknown:
      return "unknown";
  }
  return "unknown";
}

AttemptEffect ClassifyAttempt(const absl::StatusOr<HttpResponse>& result,
                              const TransferFacts& facts) {
  if (!facts.request_issued || !facts.body_sent_whole) {
    return AttemptEffect::kNone;
  }
  const int status = result.ok() ? result->status : facts.response_status;
  if (status >= 200 && status < 300) return AttemptEffect::kApplied;
  if (status >= 400 && status < 500) return AttemptEffect::kNone;
  return AttemptEffect::kUnknown;
}

}  // namespace hubspot_gateway

#ifndef HUBSPOT_GATEWAY_HUBSPOT_RETRY_POLICY_H_
#define HUBSPOT_GATEWAY_HUBSPOT_RETRY_POLICY_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/http/http_upstream.h"
#include "server/hubspot/attempt_effect.h"

namespace hubspot_gateway {

struct RetryPolicy {
  // Retries after the first attempt.
  int count = 3;
  absl::Duration interval = absl::Milliseconds(500);
  double backoff_factor = 2;
  absl::Duration max_wait_interval = absl::Seconds(20);
  std::vector<int> status_codes = {429, 500, 502, 503, 504};
};

// What repeating a call could do at HubSpot.
enum class RetrySafety {
  // Reads and cancels: repeating them changes nothing HubSpot holds (a
  // repeated cancel may answer 409 for the first one's effect; its caller
  // is told, see HubSpotAnswer::earlier_attempt_unknown).
  kIdempotent,
  // An upload: repeated only when HubSpot cannot have created the import.
  kUnlessCreated,
};

// Whether `result` may be retried, given what the attempt can have done
// (ClassifyAttempt): a kUnlessCreated call only when it did nothing.
bool IsRetryable(const RetryPolicy& policy, RetrySafety safety,
                 const absl::StatusOr<HttpResponse>& result,
                 AttemptEffect effect);

// The wait before retry number `retry` (1 for the first): interval ×
// factor^(retry-1), capped by max_wait_interval, of which the upper half is
// random (`random01` in [0, 1)) so that callers failing together do not
// retry together.
absl::Duration Backoff(const RetryPolicy& policy, int retry, double random01);

// How long HubSpot's answer asks to wait: Retry-After, or for a 429 its
// X-HubSpot-RateLimit-* headers (a spent window: interval / max), if it says.
std::optional<absl::Duration> RequestedWait(const HttpResponse& response);

// Bounds retries during an outage, as gRPC's retryThrottling: every failed
// attempt costs one token, every success gives back `token_ratio`; retries
// are allowed only while more than half of `max_tokens` remain.
class RetryBudget {
 public:
  RetryBudget(double max_tokens, double token_ratio);
  // Records a failed attempt; true when a retry of it is allowed.
  bool OnFailure();
  void OnSuccess();

 private:
  const double max_tokens_;
  const double token_ratio_;
  absl::Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HUBSPOT_RETRY_POLICY_H_

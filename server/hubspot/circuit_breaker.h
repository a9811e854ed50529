#ifndef HUBSPOT_GATEWAY_HUBSPOT_CIRCUIT_BREAKER_H_
#define HUBSPOT_GATEWAY_HUBSPOT_CIRCUIT_BREAKER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"

namespace hubspot_gateway {

// As the Ballerina connector's circuitBreaker: outcomes are counted in a
// rolling window of buckets; once the window holds at least
// `request_volume_threshold` calls and the share of failures reaches
// `failure_threshold`, the circuit opens and calls fail fast for
// `reset_time`; then one probe goes out (half-open), and its outcome closes
// or reopens the circuit.
struct CircuitBreakerPolicy {
  bool enabled = true;
  absl::Duration time_window = absl::Seconds(60);
  absl::Duration bucket_size = absl::Seconds(10);
  int request_volume_threshold = 10;
  double failure_threshold = 0.5;
  absl::Duration reset_time = absl::Seconds(30);
  // HTTP statuses that count as failures; transport errors and time-outs
  // always do. Other answers (4xx, 429 included) count as successes: HubSpot
  // is up and answering.
  std::vector<int> status_codes = {500, 501, 502, 503, 504};
};

enum class CircuitState { kClosed, kOpen, kHalfOpen };
const char* CircuitStateName(CircuitState state);

class CircuitBreaker {
 public:
  CircuitBreaker(CircuitBreakerPolicy policy, const Clock* clock);

  struct Admission {
    bool allowed = true;
    // This request is the half-open probe: its outcome decides.
    bool probe = false;
    // When refused: why, for the caller.
    std::string reason;
  };
  Admission Admit();

  enum class Outcome { kSuccess, kFailure, kAbandoned };
  // Each admitted request reports once. kAbandoned (the caller cancelled)
  // counts neither way but frees the probe slot.
  void Record(Outcome outcome, bool probe);
  bool IsFailureStatus(int http_status) const;

  CircuitState state() const;
  // Runs, outside the breaker's lock, after each change of state. Changes
  // racing on two threads may be reported out of order: read state().
  void SetListener(std::function<void(CircuitState)> listener);

 private:
  struct Bucket {
    int64_t start_index = -1;  // which bucket_size slice of time it holds
    int64_t calls = 0;
    int64_t failures = 0;
  };
  // Which bucket_size slice of time `now` falls in.
  int64_t BucketIndex(absl::Time now) const;
  // Brings the window to `now`, forgetting buckets that left it.
  void Roll(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Transition(CircuitState to, std::vector<CircuitState>* changes)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Notify(const std::vector<CircuitState>& changes);

  const CircuitBreakerPolicy policy_;
  const Clock* const clock_;
  mutable absl::Mutex mu_;
  std::vector<Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  CircuitState state_ ABSL_GUARDED_BY(mu_) = CircuitState::kClosed;
  absl::Time opened_at_ ABSL_GUARDED_BY(mu_);
  // Why it opened, for the callers it refuses.
  std::string open_cause_ ABSL_GUARDED_BY(mu_);
  bool probe_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  std::function<void(CircuitState)> listener_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HUBSPOT_CIRCUIT_BREAKER_H_

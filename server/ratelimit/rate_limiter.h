#ifndef HUBSPOT_GATEWAY_RATELIMIT_RATE_LIMITER_H_
#define HUBSPOT_GATEWAY_RATELIMIT_RATE_LIMITER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"
#include "server/common/scheduler.h"
#include "server/metrics/metric_registry.h"

namespace hubspot_gateway {

// The budget of calls to HubSpot, as a token bucket that can never let
// more than `requests_per_interval` calls through in any `interval` (HubSpot
// counts in a rolling window): it holds at most a tenth of them as a burst
// and refills the rest evenly.
struct RateLimitPolicy {
  int64_t requests_per_interval = 100;
  absl::Duration interval = absl::Seconds(10);
  // A call waits this long at most for a token; beyond, it is shed.
  absl::Duration max_wait = absl::Seconds(1);

  double Capacity() const;
  double RefillPerSecond() const;
};

// Where tokens are kept: this process, or a store every replica shares.
class TokenStore {
 public:
  virtual ~TokenStore() = default;
  // Takes one token: zero when taken, else how long until one will be
  // there (nothing taken). An error when the store cannot answer. `done`
  // may run on any thread, inside Take or later.
  using Done = absl::AnyInvocable<void(absl::StatusOr<absl::Duration>) &&>;
  virtual void Take(Done done) = 0;
};

class LocalTokenBucket final : public TokenStore {
 public:
  LocalTokenBucket(const RateLimitPolicy& policy, const Clock* clock);
  void Take(Done done) override;
  // Tokens in the bucket now, for metrics.
  double Available() const;

 private:
  const double capacity_;
  const double refill_per_second_;
  const Clock* const clock_;
  mutable absl::Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_);
  absl::Time updated_ ABSL_GUARDED_BY(mu_);
};

// Lets calls go to HubSpot within the budget: at once, after a wait of at
// most max_wait (within the caller's deadline), or not at all
// (RESOURCE_EXHAUSTED with a google.rpc.RetryInfo payload). When the shared
// store fails, the local bucket decides, so that a Redis outage neither
// stops the gateway nor lifts the limit.
class RateLimiter {
 public:
  // `shared` may be null; `local`, `scheduler` and `clock` must outlive
  // every call.
  RateLimiter(RateLimitPolicy policy, TokenStore* shared, TokenStore* local,
              Scheduler* scheduler, const Clock* clock);

  using Done = absl::AnyInvocable<void(absl::Status) &&>;
  void Acquire(absl::Time deadline, Done done);

  int64_t shed() const;
  // Calls waiting for their turn now.
  int waiting() const { return waiting_.load(); }
  // Counts shed calls in `counter` too (it must outlive the limiter).
  void CountShedIn(Counter* counter) { shed_counter_ = counter; }

 private:
  void OnTaken(absl::StatusOr<absl::Duration> wait, absl::Time deadline,
               Done done);

  const RateLimitPolicy policy_;
  TokenStore* const shared_;
  TokenStore* const local_;
  Scheduler* const scheduler_;
  const Clock* const clock_;
  mutable absl::Mutex mu_;
  bool shared_failing_ ABSL_GUARDED_BY(mu_) = false;
  int64_t shed_ ABSL_GUARDED_BY(mu_) = 0;
  std::atomic<int> waiting_{0};
  Counter* shed_counter_ = nullptr;
};

// The payload type of RetryInfo on an absl::Status (ToGrpcStatus turns it
// into a status detail).
inline constexpr char kRetryInfoPayload[] =
    "type.googleapis.com/google.rpc.RetryInfo";

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_RATELIMIT_RATE_LIMITER_H_

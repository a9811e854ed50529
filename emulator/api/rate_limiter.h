#ifndef HUBSPOT_EMULATOR_API_RATE_LIMITER_H_
#define HUBSPOT_EMULATOR_API_RATE_LIMITER_H_

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/common/clock.h"

namespace hubspot_emulator {

// HubSpot's published API limits for one app in one account: a rolling
// ten-second window (100 calls on free and Starter, 190 on Professional and
// Enterprise) and a daily quota (250,000 and up), which the emulator resets
// at midnight UTC.
struct RateLimits {
  int ten_secondly = 100;
  int64_t daily = 250000;
};

class RateLimiter {
 public:
  RateLimiter(RateLimits limits, const hubspot_gateway::Clock* clock);

  struct Decision {
    bool allowed = true;
    // TEN_SECONDLY_ROLLING or DAILY when refused.
    std::string policy_name;
    // X-HubSpot-RateLimit-* headers, on every answer as HubSpot sends them.
    std::vector<std::pair<std::string, std::string>> headers;
  };
  // Counts one call, unless refused.
  Decision Take();
  void SetLimits(RateLimits limits);
  RateLimits limits() const;

 private:
  const hubspot_gateway::Clock* const clock_;
  mutable absl::Mutex mu_;
  RateLimits limits_ ABSL_GUARDED_BY(mu_);
  // When the calls of the last ten seconds were allowed, oldest first.
  std::deque<absl::Time> window_ ABSL_GUARDED_BY(mu_);
  int64_t day_ ABSL_GUARDED_BY(mu_) = -1;
  int64_t used_today_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_API_RATE_LIMITER_H_

#include "emulator/api/rate_limiter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace hubspot_emulator {

constexpr absl::Duration kWindow = absl::Seconds(10);

RateLimiter::RateLimiter(RateLimits limits, const hubspot_gateway::Clock* clock)
    : clock_(clock), limits_(limits) {}

RateLimiter::Decision RateLimiter::Take() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  const int64_t day = absl::ToUnixSeconds(now) / 86400;
  if (day != day_) {
    day_ = day;
    used_today_ = 0;
  }
  while (!window_.empty() && now - window_.front() >= kWindow) {
    window_.pop_front();
  }
  Decision d;
  if (used_today_ >= limits_.daily) {
    d.allowed = false;
    d.policy_name = "DAILY";
  } else if (static_cast<int64_t>(window_.size()) >= limits_.ten_secondly) {
    d.allowed = false;
    d.policy_name = "TEN_SECONDLY_ROLLING";
  } else {
    window_.push_back(now);
    ++used_today_;
  }
  const int64_t remaining = std::max<int64_t>(
      0, limits_.ten_secondly - static_cast<int64_t>(window_.size()));
  d.headers = {
      {"X-HubSpot-RateLimit-Daily", absl::StrCat(limits_.daily)},
      {"X-HubSpot-RateLimit-Daily-Remaining",
       absl::StrCat(std::max<int64_t>(0, limits_.daily - used_today_))},
      {"X-HubSpot-RateLimit-Interval-Milliseconds",
       absl::StrCat(absl::ToInt64Milliseconds(kWindow))},
      {"X-HubSpot-RateLimit-Max", absl::StrCat(limits_.ten_secondly)},
      {"X-HubSpot-RateLimit-Remaining", absl::StrCat(remaining)},
  };
  return d;
}

void RateLimiter::SetLimits(RateLimits limits) {
  absl::MutexLock lock(&mu_);
  limits_ = limits;
}

RateLimits RateLimiter::limits() const {
  absl::MutexLock lock(&mu_);
  return limits_;
}

}  // namespace hubspot_emulator

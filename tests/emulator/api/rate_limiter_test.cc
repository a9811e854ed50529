#include "emulator/api/rate_limiter.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

std::map<std::string, std::string> Headers(const RateLimiter::Decision& d) {
  return {d.headers.begin(), d.headers.end()};
}

TEST(RateLimiterTest, RollingTenSecondWindow) {
  hubspot_gateway::FakeClock clock(absl::FromUnixSeconds(1700000000));
  RateLimiter limiter({3, 1000}, &clock);
  for (int i = 0; i < 3; ++i) {
    RateLimiter::Decision d = limiter.Take();
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(Headers(d)["X-HubSpot-RateLimit-Remaining"],
              std::to_string(2 - i));
    clock.Advance(absl::Seconds(2));
  }
  RateLimiter::Decision refused = limiter.Take();
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.policy_name, "TEN_SECONDLY_ROLLING");
  EXPECT_EQ(Headers(refused)["X-HubSpot-RateLimit-Max"], "3");
  EXPECT_EQ(Headers(refused)["X-HubSpot-RateLimit-Interval-Milliseconds"],
            "10000");
  // The first call leaves the window 10 s after it was made.
  clock.Advance(absl::Seconds(4));
  EXPECT_TRUE(limiter.Take().allowed);
  EXPECT_FALSE(limiter.Take().allowed);
}

TEST(RateLimiterTest, DailyQuotaResetsAtMidnightUtc) {
  // 23:59:00 UTC.
  hubspot_gateway::FakeClock clock(absl::FromUnixSeconds(1700006340));
  RateLimiter limiter({100, 2}, &clock);
  EXPECT_TRUE(limiter.Take().allowed);
  RateLimiter::Decision last = limiter.Take();
  EXPECT_TRUE(last.allowed);
  EXPECT_EQ(Headers(last)["X-HubSpot-RateLimit-Daily-Remaining"], "0");
  RateLimiter::Decision refused = limiter.Take();
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.policy_name, "DAILY");
  clock.Advance(absl::Minutes(2));
  EXPECT_TRUE(limiter.Take().allowed);
}

TEST(RateLimiterTest, RefusedCallsDoNotCount) {
  hubspot_gateway::FakeClock clock;
  RateLimiter limiter({1, 1000}, &clock);
  EXPECT_TRUE(limiter.Take().allowed);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.Take().allowed);
  clock.Advance(absl::Seconds(10));
  EXPECT_TRUE(limiter.Take().allowed);
}

TEST(RateLimiterTest, LimitsChangeAtRunTime) {
  hubspot_gateway::FakeClock clock;
  RateLimiter limiter({1, 1000}, &clock);
  EXPECT_TRUE(limiter.Take().allowed);
  EXPECT_FALSE(limiter.Take().allowed);
  limiter.SetLimits({5, 1000});
  EXPECT_TRUE(limiter.Take().allowed);
  EXPECT_EQ(limiter.limits().ten_secondly, 5);
}

}  // namespace
}  // namespace hubspot_emulator

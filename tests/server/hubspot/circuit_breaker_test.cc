#include "server/hubspot/circuit_breaker.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Outcome = CircuitBreaker::Outcome;

CircuitBreakerPolicy Policy() {
  CircuitBreakerPolicy p;
  p.time_window = absl::Seconds(60);
  p.bucket_size = absl::Seconds(10);
  p.request_volume_threshold = 4;
  p.failure_threshold = 0.5;
  p.reset_time = absl::Seconds(30);
  return p;
}

class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreakerTest() : breaker_(Policy(), &clock_) {
    breaker_.SetListener([this](CircuitState) {
      changes_.push_back(breaker_.state());
    });
  }

  void Call(Outcome outcome) {
    CircuitBreaker::Admission a = breaker_.Admit();
    ASSERT_TRUE(a.allowed) << a.reason;
    breaker_.Record(outcome, a.probe);
  }

  FakeClock clock_;
  CircuitBreaker breaker_;
  std::vector<CircuitState> changes_;
};

TEST_F(CircuitBreakerTest, OpensAtTheFailureShareOnceTheVolumeIsThere) {
  Call(Outcome::kFailure);
  Call(Outcome::kFailure);
  Call(Outcome::kFailure);
  // Three failures of three: below the volume threshold, still closed.
  EXPECT_EQ(breaker_.state(), CircuitState::kClosed);
  Call(Outcome::kSuccess);
  // Three of four failed, >= 50%: open.
  EXPECT_EQ(breaker_.state(), CircuitState::kOpen);
  CircuitBreaker::Admission refused = breaker_.Admit();
  EXPECT_FALSE(refused.allowed);
  EXPECT_THAT(refused.reason, HasSubstr("3 of 4 HubSpot calls failed"));
  EXPECT_THAT(refused.reason, HasSubstr("30s more"));
  EXPECT_THAT(refused.reason, HasSubstr("hubspot.circuitBreaker"));
  EXPECT_THAT(changes_, ElementsAre(CircuitState::kOpen));
}

TEST_F(CircuitBreakerTest, SuccessesKeepItClosed) {
  // One failure in three, never half of the window.
  for (int i = 0; i < 20; ++i) {
    Call(i % 3 == 2 ? Outcome::kFailure : Outcome::kSuccess);
  }
  EXPECT_EQ(breaker_.state(), CircuitState::kClosed);
}

TEST_F(CircuitBreakerTest, OldOutcomesLeaveTheWindow) {
  Call(Outcome::kFailure);
  Call(Outcome::kFailure);
  Call(Outcome::kFailure);
  clock_.Advance(absl::Seconds(61));
  // The failures are gone: one more failure of one call is below volume.
  Call(Outcome::kFailure);
  EXPECT_EQ(breaker_.state(), CircuitState::kClosed);
  Call(Outcome::kSuccess);
  Call(Outcome::kSuccess);
  Call(Outcome::kSuccess);
  EXPECT_EQ(breaker_.state(), CircuitState::kClosed);
}

TEST_F(CircuitBreakerTest, HalfOpenProbeClosesOrReopens) {
  for (int i = 0; i < 4; ++i) Call(Outcome::kFailure);
  ASSERT_EQ(breaker_.state(), CircuitState::kOpen);
  clock_.Advance(absl::Seconds(29));
  EXPECT_FALSE(breaker_.Admit().allowed);
  clock_.Advance(absl::Seconds(1));
  CircuitBreaker::Admission probe = breaker_.Admit();
  ASSERT_TRUE(probe.allowed);
  EXPECT_TRUE(probe.probe);
  EXPECT_EQ(breaker_.state(), CircuitState::kHalfOpen);
  // One probe at a time.
  CircuitBreaker::Admission second = breaker_.Admit();
  EXPECT_FALSE(second.allowed);
  EXPECT_THAT(second.reason, HasSubstr("half-open"));
  breaker_.Record(Outcome::kFailure, /*probe=*/true);
  EXPECT_EQ(breaker_.state(), CircuitState::kOpen);
  EXPECT_THAT(breaker_.Admit().reason, HasSubstr("the probe call"));

  clock_.Advance(absl::Seconds(30));
  probe = breaker_.Admit();
  ASSERT_TRUE(probe.probe);
  breaker_.Record(Outcome::kSuccess, /*probe=*/true);
  EXPECT_EQ(breaker_.state(), CircuitState::kClosed);
  // A fresh window: one failure does not reopen it.
  Call(Outcome::kFailure);
  EXPECT_EQ(breaker_.state(), CircuitState::kClosed);
  EXPECT_THAT(changes_,
              ElementsAre(CircuitState::kOpen, CircuitState::kHalfOpen,
                          CircuitState::kOpen, CircuitState::kHalfOpen,
                          CircuitState::kClosed));
}

TEST_F(CircuitBreakerTest, AbandonedProbeFreesTheSlot) {
  for (int i = 0; i < 4; ++i) Call(Outcome::kFailure);
  clock_.Advance(absl::Seconds(30));
  CircuitBreaker::Admission probe = breaker_.Admit();
  ASSERT_TRUE(probe.probe);
  breaker_.Record(Outcome::kAbandoned, /*probe=*/true);
  EXPECT_EQ(breaker_.state(), CircuitState::kHalfOpen);
  EXPECT_TRUE(breaker_.Admit().probe);
}

TEST_F(CircuitBreakerTest, AbandonedCallsDoNotCount) {
  for (int i = 0; i < 10; ++i) Call(Outcome::kAbandoned);
  Call(Outcome::kFailure);
  EXPECT_EQ(breaker_.state(), CircuitState::kClosed);
}

TEST(CircuitBreakerPolicyTest, DisabledNeverOpens) {
  FakeClock clock;
  CircuitBreakerPolicy p = Policy();
  p.enabled = false;
  CircuitBreaker breaker(p, &clock);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(breaker.Admit().allowed);
    breaker.Record(Outcome::kFailure, false);
  }
  EXPECT_EQ(breaker.state(), CircuitState::kClosed);
}

TEST(CircuitBreakerPolicyTest, FailureStatuses) {
  FakeClock clock;
  CircuitBreaker breaker(Policy(), &clock);
  EXPECT_TRUE(breaker.IsFailureStatus(503));
  EXPECT_FALSE(breaker.IsFailureStatus(429));
  EXPECT_FALSE(breaker.IsFailureStatus(404));
}

}  // namespace
}  // namespace hubspot_gateway

#include "server/hubspot/retry_policy.h"

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

HttpResponse Response(int status, std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// --- IsRetryable -------------------------------------------------------------

TEST(IsRetryableTest, ConfiguredStatusCodesAreRetriedForIdempotentCalls) {
  const RetryPolicy policy;
  for (int status : {429, 500, 502, 503, 504}) {
    SCOPED_TRACE(status);
    EXPECT_TRUE(IsRetryable(policy, RetrySafety::kIdempotent, Response(status),
                            AttemptEffect::kNone));
  }
}

TEST(IsRetryableTest, OtherStatusCodesAreNotRetried) {
  const RetryPolicy policy;
  for (int status : {200, 201, 204, 301, 400, 401, 403, 404, 409, 501, 505}) {
    SCOPED_TRACE(status);
    EXPECT_FALSE(IsRetryable(policy, RetrySafety::kIdempotent,
                             Response(status), AttemptEffect::kNone));
  }
}

TEST(IsRetryableTest, StatusCodesComeFromThePolicy) {
  RetryPolicy policy;
  policy.status_codes = {418};
  EXPECT_TRUE(IsRetryable(policy, RetrySafety::kIdempotent, Response(418),
                          AttemptEffect::kNone));
  EXPECT_FALSE(IsRetryable(policy, RetrySafety::kIdempotent, Response(503),
                           AttemptEffect::kNone));
  EXPECT_FALSE(IsRetryable(policy, RetrySafety::kIdempotent, Response(429),
                           AttemptEffect::kNone));
}

TEST(IsRetryableTest, UnavailableTransportErrorIsRetried) {
  EXPECT_TRUE(IsRetryable(RetryPolicy(), RetrySafety::kIdempotent,
                          absl::UnavailableError("connection reset"), AttemptEffect::kNone));
}

// The caller has stopped waiting for these: another attempt helps nobody.
TEST(IsRetryableTest, DeadlineAndCancellationAreNotRetried) {
  for (const absl::Status& s :
       {absl::DeadlineExceededError("timed out"),
        absl::CancelledError("cancelled"), absl::InternalError("bug")}) {
    SCOPED_TRACE(s.ToString());
    EXPECT_FALSE(IsRetryable(RetryPolicy(), RetrySafety::kIdempotent, s,
                             AttemptEffect::kNone));
  }
}

TEST(IsRetryableTest, UploadThatDidNothingIsRetriedAfterAnyRetryableFailure) {
  const RetryPolicy policy;
  EXPECT_TRUE(IsRetryable(policy, RetrySafety::kUnlessCreated,
                          absl::UnavailableError("reset"),
                          AttemptEffect::kNone));
  EXPECT_TRUE(IsRetryable(policy, RetrySafety::kUnlessCreated, Response(503),
                          AttemptEffect::kNone));
  EXPECT_TRUE(IsRetryable(policy, RetrySafety::kUnlessCreated, Response(429),
                          AttemptEffect::kNone));
}

// HubSpot got the whole upload: it may have created the import.
TEST(IsRetryableTest, UploadWithUnknownEffectIsNeverRetried) {
  const RetryPolicy policy;
  EXPECT_FALSE(IsRetryable(policy, RetrySafety::kUnlessCreated,
                           absl::UnavailableError("reset"),
                           AttemptEffect::kUnknown));
  for (int status : {500, 502, 503, 504}) {
    SCOPED_TRACE(status);
    EXPECT_FALSE(IsRetryable(policy, RetrySafety::kUnlessCreated,
                             Response(status), AttemptEffect::kUnknown));
  }
  EXPECT_FALSE(IsRetryable(policy, RetrySafety::kUnlessCreated,
                           absl::UnavailableError("Transferred a partial file"),
                           AttemptEffect::kApplied));
}

// Idempotent calls are retried whatever the attempt did.
TEST(IsRetryableTest, IdempotentCallIgnoresTheEffect) {
  EXPECT_TRUE(IsRetryable(RetryPolicy(), RetrySafety::kIdempotent,
                          Response(503), AttemptEffect::kUnknown));
  EXPECT_TRUE(IsRetryable(RetryPolicy(), RetrySafety::kIdempotent,
                          absl::UnavailableError("reset"),
                          AttemptEffect::kUnknown));
}

TEST(IsRetryableTest, SpentDailyLimitByHeaderIsNotRetried) {
  HttpResponse r = Response(429);
  r.headers["x-hubspot-ratelimit-daily-remaining"] = "0";
  EXPECT_FALSE(IsRetryable(RetryPolicy(), RetrySafety::kIdempotent, r, AttemptEffect::kNone));
}

TEST(IsRetryableTest, SpentDailyLimitByPolicyNameIsNotRetried) {
  const HttpResponse r = Response(
      429, R"({"status":"error","message":"You have reached your daily limit.",)"
           R"("errorType":"RATE_LIMIT","policyName":"DAILY"})");
  EXPECT_FALSE(IsRetryable(RetryPolicy(), RetrySafety::kIdempotent, r, AttemptEffect::kNone));
}

TEST(IsRetryableTest, SecondlyLimitWithDailyQuotaLeftIsRetried) {
  HttpResponse r = Response(
      429, R"({"status":"error","errorType":"RATE_LIMIT",)"
           R"("policyName":"SECONDLY"})");
  r.headers["x-hubspot-ratelimit-daily-remaining"] = "12";
  EXPECT_TRUE(IsRetryable(RetryPolicy(), RetrySafety::kIdempotent, r, AttemptEffect::kNone));
}

// --- Backoff -----------------------------------------------------------------

TEST(BackoffTest, FirstRetryLiesInTheUpperHalfOfTheInterval) {
  RetryPolicy policy;
  policy.interval = absl::Milliseconds(500);
  EXPECT_EQ(Backoff(policy, 1, 0.0), absl::Milliseconds(250));
  EXPECT_EQ(Backoff(policy, 1, 0.5), absl::Milliseconds(375));
  const absl::Duration high = Backoff(policy, 1, 0.999999);
  EXPECT_GT(high, absl::Milliseconds(499));
  EXPECT_LE(high, absl::Milliseconds(500));
}

TEST(BackoffTest, GrowsByTheFactorPerRetry) {
  RetryPolicy policy;
  policy.interval = absl::Milliseconds(100);
  policy.backoff_factor = 3;
  EXPECT_EQ(Backoff(policy, 1, 0.0), absl::Milliseconds(50));
  EXPECT_EQ(Backoff(policy, 2, 0.0), absl::Milliseconds(150));
  EXPECT_EQ(Backoff(policy, 3, 0.0), absl::Milliseconds(450));
}

TEST(BackoffTest, IsCappedByMaxWaitInterval) {
  RetryPolicy policy;
  policy.interval = absl::Seconds(1);
  policy.backoff_factor = 2;
  policy.max_wait_interval = absl::Seconds(5);
  EXPECT_EQ(Backoff(policy, 4, 0.0), absl::Milliseconds(2500));  // 8s → 5s
  EXPECT_GT(Backoff(policy, 4, 0.999999), absl::Milliseconds(4999));
  EXPECT_LE(Backoff(policy, 4, 0.999999), absl::Seconds(5));
  // Far beyond what a Duration holds before the cap.
  EXPECT_EQ(Backoff(policy, 2000, 0.0), absl::Milliseconds(2500));
}

TEST(BackoffTest, RandomFractionOutsideTheUnitRangeIsClamped) {
  RetryPolicy policy;
  policy.interval = absl::Seconds(2);
  EXPECT_EQ(Backoff(policy, 1, -5.0), absl::Seconds(1));
  EXPECT_EQ(Backoff(policy, 1, 7.0), absl::Seconds(2));
}

TEST(BackoffTest, RetryZeroIsTreatedAsTheFirst) {
  const RetryPolicy policy;
  EXPECT_EQ(Backoff(policy, 0, 0.25), Backoff(policy, 1, 0.25));
}

// --- RequestedWait -----------------------------------------------------------

TEST(RequestedWaitTest, AbsentHeaderGivesNothing) {
  EXPECT_EQ(RequestedWait(Response(429)), std::nullopt);
}

TEST(RequestedWaitTest, SecondsAreRead) {
  HttpResponse r = Response(429);
  r.headers["retry-after"] = "7";
  EXPECT_EQ(RequestedWait(r), absl::Seconds(7));
  r.headers["retry-after"] = "0";
  EXPECT_EQ(RequestedWait(r), absl::ZeroDuration());
}

TEST(RequestedWaitTest, LongWaitsAreCappedAtAnHour) {
  HttpResponse r = Response(503);
  r.headers["retry-after"] = "86400";
  EXPECT_EQ(RequestedWait(r), absl::Hours(1));
}

TEST(RequestedWaitTest, UnreadableValuesGiveNothing) {
  for (const char* value :
       {"-1", "soon", "1.5", "", "Wed, 21 Oct 2015 07:28:00 GMT",
        "99999999999999999999999"}) {
    SCOPED_TRACE(value);
    HttpResponse r = Response(429);
    r.headers["retry-after"] = value;
    EXPECT_EQ(RequestedWait(r), std::nullopt);
  }
}

TEST(RequestedWaitTest, HubSpotsRateLimitHeadersOnA429) {
  HttpResponse r = Response(429);
  r.headers["x-hubspot-ratelimit-remaining"] = "0";
  r.headers["x-hubspot-ratelimit-interval-milliseconds"] = "10000";
  r.headers["x-hubspot-ratelimit-max"] = "100";
  // One slot of the rolling window's hundred.
  EXPECT_EQ(RequestedWait(r), absl::Milliseconds(100));
  // Retry-After, when there, wins.
  r.headers["retry-after"] = "2";
  EXPECT_EQ(RequestedWait(r), absl::Seconds(2));
  // Room left: the 429 is about something else.
  r.headers.erase("retry-after");
  r.headers["x-hubspot-ratelimit-remaining"] = "5";
  EXPECT_EQ(RequestedWait(r), std::nullopt);
  HttpResponse secondly = Response(429);
  secondly.headers["x-hubspot-ratelimit-secondly-remaining"] = "0";
  EXPECT_EQ(RequestedWait(secondly), absl::Seconds(1));
  // Not for other statuses.
  HttpResponse other = Response(503);
  other.headers = r.headers;
  other.headers["x-hubspot-ratelimit-remaining"] = "0";
  EXPECT_EQ(RequestedWait(other), std::nullopt);
}

// --- RetryBudget -------------------------------------------------------------

TEST(RetryBudgetTest, RetriesStopOnceHalfTheTokensAreSpent) {
  RetryBudget budget(4, 0.1);
  EXPECT_TRUE(budget.OnFailure());   // 3 > 2
  EXPECT_FALSE(budget.OnFailure());  // 2 is not more than half
  EXPECT_FALSE(budget.OnFailure());
}

TEST(RetryBudgetTest, SuccessesRefillTheBudget) {
  RetryBudget budget(4, 1);
  EXPECT_TRUE(budget.OnFailure());   // 3
  EXPECT_FALSE(budget.OnFailure());  // 2
  budget.OnSuccess();                // 3
  budget.OnSuccess();                // 4
  EXPECT_TRUE(budget.OnFailure());   // 3
}

TEST(RetryBudgetTest, TokensNeverExceedTheMaximum) {
  RetryBudget budget(4, 1);
  for (int i = 0; i < 100; ++i) budget.OnSuccess();
  EXPECT_TRUE(budget.OnFailure());
  EXPECT_FALSE(budget.OnFailure());
}

// A long outage must not leave a debt that many successes have to repay.
TEST(RetryBudgetTest, TokensNeverGoBelowZero) {
  RetryBudget budget(4, 1);
  for (int i = 0; i < 100; ++i) budget.OnFailure();
  for (int i = 0; i < 4; ++i) budget.OnSuccess();
  EXPECT_TRUE(budget.OnFailure());
}

TEST(RetryBudgetTest, FractionalRatioNeedsSeveralSuccessesPerToken) {
  RetryBudget budget(10, 0.5);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(budget.OnFailure());  // 6
  EXPECT_FALSE(budget.OnFailure());                              // 5
  budget.OnSuccess();
  budget.OnSuccess();                                            // 6
  EXPECT_FALSE(budget.OnFailure());                              // 5
  for (int i = 0; i < 3; ++i) budget.OnSuccess();                // 6.5
  EXPECT_TRUE(budget.OnFailure());                               // 5.5
}

TEST(RetryBudgetTest, ConcurrentUseKeepsCount) {
  RetryBudget budget(1000, 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&budget] {
      for (int i = 0; i < 100; ++i) budget.OnFailure();
    });
  }
  for (std::thread& t : threads) t.join();
  // 600 left: 99 more failures stay above half, the 100th does not.
  for (int i = 0; i < 99; ++i) ASSERT_TRUE(budget.OnFailure()) << i;
  EXPECT_FALSE(budget.OnFailure());
}

}  // namespace
}  // namespace hubspot_gateway

#include "server/ratelimit/rate_limiter.h"

#include <deque>
#include <optional>
#include <vector>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

using ::testing::HasSubstr;

// Runs a task when the test says, advancing the clock by its delay.
class ClockScheduler final : public Scheduler {
 public:
  explicit ClockScheduler(FakeClock* clock) : clock_(clock) {}
  void RunAfter(absl::Duration delay, Task task) override {
    tasks_.push_back({delay, std::move(task)});
  }
  bool RunNext() {
    if (tasks_.empty()) return false;
    auto [delay, task] = std::move(tasks_.front());
    tasks_.pop_front();
    delays.push_back(delay);
    clock_->Advance(delay);
    std::move(task)(true);
    return true;
  }
  std::vector<absl::Duration> delays;

 private:
  FakeClock* clock_;
  std::deque<std::pair<absl::Duration, Task>> tasks_;
};

// A shared store that fails, or answers what it is told.
class ScriptedStore final : public TokenStore {
 public:
  void Take(Done done) override {
    ++takes;
    std::move(done)(answer);
  }
  absl::StatusOr<absl::Duration> answer = absl::ZeroDuration();
  int takes = 0;
};

RateLimitPolicy Policy(int64_t n, absl::Duration max_wait) {
  RateLimitPolicy p;
  p.requests_per_interval = n;
  p.interval = absl::Seconds(10);
  p.max_wait = max_wait;
  return p;
}

TEST(LocalTokenBucketTest, NeverMoreThanTheBudgetInAnyInterval) {
  FakeClock clock;
  const RateLimitPolicy policy = Policy(100, absl::ZeroDuration());
  EXPECT_EQ(policy.Capacity(), 10);
  LocalTokenBucket bucket(policy, &clock);
  // Take greedily every 10 ms for a minute; count per sliding 10 s window.
  std::deque<absl::Time> taken;
  size_t most_in_a_window = 0;
  for (int step = 0; step < 6000; ++step) {
    std::optional<absl::Duration> wait;
    bucket.Take([&wait](absl::StatusOr<absl::Duration> w) { wait = *w; });
    if (*wait == absl::ZeroDuration()) taken.push_back(clock.Now());
    while (!taken.empty() && clock.Now() - taken.front() >= absl::Seconds(10)) {
      taken.pop_front();
    }
    most_in_a_window = std::max(most_in_a_window, taken.size());
    clock.Advance(absl::Milliseconds(10));
  }
  EXPECT_LE(most_in_a_window, 100u);
  EXPECT_GE(most_in_a_window, 95u);
}

TEST(LocalTokenBucketTest, SaysHowLongUntilTheNextToken) {
  FakeClock clock;
  LocalTokenBucket bucket(Policy(10, absl::ZeroDuration()), &clock);
  std::vector<absl::Duration> waits;
  for (int i = 0; i < 2; ++i) {
    bucket.Take([&](absl::StatusOr<absl::Duration> w) { waits.push_back(*w); });
  }
  // Capacity 1, refill 9 per 10 s: the second waits 10/9 s.
  EXPECT_EQ(waits[0], absl::ZeroDuration());
  EXPECT_NEAR(absl::ToDoubleSeconds(waits[1]), 10.0 / 9, 1e-6);
}

class RateLimiterTest : public ::testing::Test {
 protected:
  std::optional<absl::Status> Acquire(RateLimiter& limiter,
                                      absl::Duration deadline_in) {
    std::optional<absl::Status> result;
    limiter.Acquire(clock_.Now() + deadline_in,
                    [&result](absl::Status s) { result = std::move(s); });
    return result;
  }

  FakeClock clock_;
  ClockScheduler scheduler_{&clock_};
};

TEST_F(RateLimiterTest, WaitsItsTurnWithinMaxWaitAndTheDeadline) {
  const RateLimitPolicy policy = Policy(10, absl::Seconds(2));
  LocalTokenBucket local(policy, &clock_);
  RateLimiter limiter(policy, nullptr, &local, &scheduler_, &clock_);
  EXPECT_TRUE(Acquire(limiter, absl::Seconds(30))->ok());
  // The bucket is empty: this one waits about 1.1 s, then goes.
  std::optional<absl::Status> second;
  limiter.Acquire(clock_.Now() + absl::Seconds(30),
                  [&second](absl::Status s) { second = std::move(s); });
  EXPECT_FALSE(second.has_value());
  // (A rounding error may cost one more nanosecond's wait.)
  for (int i = 0; i < 3 && !second.has_value(); ++i) scheduler_.RunNext();
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->ok());
  EXPECT_NEAR(absl::ToDoubleSeconds(scheduler_.delays[0]), 10.0 / 9, 1e-3);
  // A caller whose deadline comes first is shed at once.
  std::optional<absl::Status> hurried = Acquire(limiter, absl::Milliseconds(50));
  ASSERT_TRUE(hurried.has_value());
  EXPECT_EQ(hurried->code(), absl::StatusCode::kResourceExhausted);
}

TEST_F(RateLimiterTest, ShedsWithRetryInfoBeyondMaxWait) {
  const RateLimitPolicy policy = Policy(10, absl::ZeroDuration());
  LocalTokenBucket local(policy, &clock_);
  RateLimiter limiter(policy, nullptr, &local, &scheduler_, &clock_);
  EXPECT_TRUE(Acquire(limiter, absl::Seconds(30))->ok());
  std::optional<absl::Status> shed = Acquire(limiter, absl::Seconds(30));
  ASSERT_TRUE(shed.has_value());
  EXPECT_EQ(shed->code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(shed->message()), HasSubstr("hubspot.rateLimit"));
  auto payload = shed->GetPayload(kRetryInfoPayload);
  ASSERT_TRUE(payload.has_value());
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(retry.ParseFromString(std::string(*payload)));
  EXPECT_EQ(retry.retry_delay().seconds(), 1);
  EXPECT_GT(retry.retry_delay().nanos(), 0);
  EXPECT_EQ(limiter.shed(), 1);
}

TEST_F(RateLimiterTest, SharedStoreDecidesAndTheLocalOneStandsIn) {
  const RateLimitPolicy policy = Policy(10, absl::ZeroDuration());
  LocalTokenBucket local(policy, &clock_);
  ScriptedStore shared;
  RateLimiter limiter(policy, &shared, &local, &scheduler_, &clock_);
  // The shared store has tokens: the local bucket is not asked.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(Acquire(limiter, absl::Seconds(30))->ok());
  EXPECT_EQ(shared.takes, 5);
  // Spent there: shed, though the local bucket is full.
  shared.answer = absl::Seconds(3);
  EXPECT_EQ(Acquire(limiter, absl::Seconds(30))->code(),
            absl::StatusCode::kResourceExhausted);
  // Failing: the local bucket decides (one token, then none).
  shared.answer = absl::UnavailableError("cannot reach Redis");
  EXPECT_TRUE(Acquire(limiter, absl::Seconds(30))->ok());
  EXPECT_EQ(Acquire(limiter, absl::Seconds(30))->code(),
            absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace hubspot_gateway

#include "server/ratelimit/rate_limiter.h"

#include <algorithm>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "server/common/log.h"
#include "server/common/proto_duration.h"

namespace hubspot_gateway {

double RateLimitPolicy::Capacity() const {
  return std::max(1.0, static_cast<double>(requests_per_interval) / 10);
}

double RateLimitPolicy::RefillPerSecond() const {
  // Burst plus refill over one interval is the whole budget.
  const double refill =
      std::max(0.0, static_cast<double>(requests_per_interval) - Capacity());
  return std::max(refill, 1.0) / absl::ToDoubleSeconds(interval);
}

LocalTokenBucket::LocalTokenBucket(const RateLimitPolicy& policy,
                                   const Clock* clock)
    : capacity_(policy.Capacity()),
      refill_per_second_(policy.RefillPerSecond()),
      clock_(clock) {
  absl::MutexLock lock(&mu_);
  tokens_ = capacity_;
  updated_ = clock_->Now();
}

void LocalTokenBucket::Take(Done done) {
  absl::Duration wait = absl::ZeroDuration();
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_->Now();
    tokens_ = std::min(capacity_,
                       tokens_ + absl::ToDoubleSeconds(now - updated_) *
                                     refill_per_second_);
    updated_ = now;
    if (tokens_ >= 1) {
      tokens_ -= 1;
    } else {
      // Never zero: zero means a token was taken.
      wait = std::max(absl::Nanoseconds(1),
                      absl::Seconds((1 - tokens_) / refill_per_second_));
    }
  }
  std::move(done)(wait);
}

double LocalTokenBucket::Available() const {
  absl::MutexLock lock(&mu_);
  return std::min(capacity_,
                  tokens_ + absl::ToDoubleSeconds(clock_->Now() - updated_) *
                                refill_per_second_);
}

RateLimiter::RateLimiter(RateLimitPolicy policy, TokenStore* shared,
                         TokenStore* local, Scheduler* scheduler,
                         const Clock* clock)
    : policy_(std::move(policy)),
      shared_(shared),
      local_(local),
      scheduler_(scheduler),
      clock_(clock) {}

void RateLimiter::Acquire(absl::Time deadline, Done done) {
  TokenStore* store = local_;
  if (shared_ != nullptr) store = shared_;
  store->Take([this, deadline, done = std::move(done)](
                  absl::StatusOr<absl::Duration> wait) mutable {
    OnTaken(std::move(wait), deadline, std::move(done));
  });
}

void RateLimiter::OnTaken(absl::StatusOr<absl::Duration> wait,
                          absl::Time deadline, Done done) {
  if (shared_ != nullptr) {
    bool changed = false;
    {
      absl::MutexLock lock(&mu_);
      changed = shared_failing_ != !wait.ok();
      shared_failing_ = !wait.ok();
    }
    if (changed) {
      Log(wait.ok() ? LogLevel::kInfo : LogLevel::kWarning,
          wait.ok() ? "shared rate limit store answers again"
                    : "shared rate limit store failing; this replica limits "
                      "calls on its own",
          {{"error", wait.ok() ? "" : std::string(wait.status().message())}});
    }
    if (!wait.ok()) {
      local_->Take([this, deadline, done = std::move(done)](
                       absl::StatusOr<absl::Duration> w) mutable {
        // The local bucket always answers.
        OnTaken(std::move(w), deadline, std::move(done));
      });
      return;
    }
  }
  if (!wait.ok()) {
    std::move(done)(wait.status());
    return;
  }
  if (*wait <= absl::ZeroDuration()) {
    std::move(done)(absl::OkStatus());
    return;
  }
  const absl::Time now = clock_->Now();
  if (*wait <= policy_.max_wait && now + *wait < deadline) {
    waiting_.fetch_add(1);
    scheduler_->RunAfter(*wait, [this, deadline, done = std::move(done)](
                                    bool fired) mutable {
      waiting_.fetch_sub(1);
      if (!fired) {
        std::move(done)(absl::CancelledError("shutting down"));
        return;
      }
      Acquire(deadline, std::move(done));
    });
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    ++shed_;
  }
  if (shed_counter_ != nullptr) shed_counter_->Increment();
  absl::Status shed = absl::ResourceExhaustedError(absl::StrCat(
      "the gateway's HubSpot budget (", policy_.requests_per_interval,
      " calls per ", absl::FormatDuration(policy_.interval),
      ", hubspot.rateLimit) is spent; retry in ",
      absl::FormatDuration(absl::Ceil(*wait, absl::Milliseconds(1)))));
  google::rpc::RetryInfo retry;
  SetProtoDuration(absl::Ceil(*wait, absl::Milliseconds(1)),
                   retry.mutable_retry_delay());
  shed.SetPayload(kRetryInfoPayload, absl::Cord(retry.SerializeAsString()));
  std::move(done)(std::move(shed));
}

int64_t RateLimiter::shed() const {
  absl::MutexLock lock(&mu_);
  return shed_;
}

}  // namespace hubspot_gateway

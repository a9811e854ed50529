#include "server/hubspot/circuit_breaker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"

namespace hubspot_gateway {

const char* CircuitStateName(CircuitState state) {
  switch (state) {
    case CircuitState::kClosed:
      return "closed";
    case CircuitState::kOpen:
      return "open";
    case CircuitState::kHalfOpen:
      return "half-open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerPolicy policy, const Clock* clock)
    : policy_(std::move(policy)), clock_(clock) {
  const int64_t count =
      std::max<int64_t>(1, policy_.time_window / policy_.bucket_size);
  absl::MutexLock lock(&mu_);
  buckets_.resize(static_cast<size_t>(count));
}

int64_t CircuitBreaker::BucketIndex(absl::Time now) const {
  return (now - absl::UnixEpoch()) / policy_.bucket_size;
}

void CircuitBreaker::Roll(absl::Time now) {
  const int64_t index = BucketIndex(now);
  const int64_t count = static_cast<int64_t>(buckets_.size());
  Bucket& current = buckets_[static_cast<size_t>(index % count)];
  if (current.start_index != index) current = Bucket{index, 0, 0};
  for (Bucket& b : buckets_) {
    if (b.start_index <= index - count) b = Bucket{};
  }
}

bool CircuitBreaker::IsFailureStatus(int http_status) const {
  return std::find(policy_.status_codes.begin(), policy_.status_codes.end(),
                   http_status) != policy_.status_codes.end();
}

CircuitBreaker::Admission CircuitBreaker::Admit() {
  std::vector<CircuitState> changes;
  Admission a;
  {
    absl::MutexLock lock(&mu_);
    if (!policy_.enabled || state_ == CircuitState::kClosed) return a;
    const absl::Time now = clock_->Now();
    if (state_ == CircuitState::kOpen &&
        now - opened_at_ >= policy_.reset_time) {
      Transition(CircuitState::kHalfOpen, &changes);
    }
    if (state_ == CircuitState::kHalfOpen && !probe_in_flight_) {
      probe_in_flight_ = true;
      a.probe = true;
    } else {
      a.allowed = false;
      const absl::Duration left =
          std::max(absl::ZeroDuration(), opened_at_ + policy_.reset_time - now);
      a.reason = state_ == CircuitState::kOpen
                     ? absl::StrCat(
                           "circuit breaker open: ", open_cause_,
                           "; calls fail fast for ",
                           absl::FormatDuration(
                               absl::Ceil(left, absl::Seconds(1))),
                           " more (hubspot.circuitBreaker)")
                     : "circuit breaker half-open: a probe call to HubSpot is "
                       "in flight; calls fail fast until it succeeds "
                       "(hubspot.circuitBreaker)";
    }
  }
  Notify(changes);
  return a;
}

void CircuitBreaker::Record(Outcome outcome, bool probe) {
  if (!policy_.enabled) return;
  std::vector<CircuitState> changes;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_->Now();
    if (probe) {
      probe_in_flight_ = false;
      if (state_ == CircuitState::kHalfOpen) {
        if (outcome == Outcome::kSuccess) {
          for (Bucket& b : buckets_) b = Bucket{};
          Transition(CircuitState::kClosed, &changes);
        } else if (outcome == Outcome::kFailure) {
          opened_at_ = now;
          open_cause_ = "the probe call to HubSpot failed";
          Transition(CircuitState::kOpen, &changes);
        }
      }
    }
    if (outcome != Outcome::kAbandoned && state_ == CircuitState::kClosed) {
      Roll(now);
      const int64_t count = static_cast<int64_t>(buckets_.size());
      const int64_t index = BucketIndex(now);
      Bucket& b = buckets_[static_cast<size_t>(index % count)];
      ++b.calls;
      if (outcome == Outcome::kFailure) ++b.failures;
      int64_t calls = 0, failures = 0;
      for (const Bucket& each : buckets_) {
        calls += each.calls;
        failures += each.failures;
      }
      if (calls >= policy_.request_volume_threshold && calls > 0 &&
          static_cast<double>(failures) >=
              policy_.failure_threshold * static_cast<double>(calls)) {
        opened_at_ = now;
        open_cause_ = absl::StrCat(failures, " of ", calls,
                                   " HubSpot calls failed in the last ",
                                   absl::FormatDuration(policy_.time_window));
        Transition(CircuitState::kOpen, &changes);
      }
    }
  }
  Notify(changes);
}

void CircuitBreaker::Transition(CircuitState to,
                                std::vector<CircuitState>* changes) {
  if (state_ == to) return;
  state_ = to;
  changes->push_back(to);
}

void CircuitBreaker::Notify(const std::vector<CircuitState>& changes) {
  if (changes.empty()) return;
  std::function<void(CircuitState)> listener;
  {
    absl::MutexLock lock(&mu_);
    listener = listener_;
  }
  for (CircuitState s : changes) {
    Log(s == CircuitState::kOpen ? LogLevel::kWarning : LogLevel::kInfo,
        "HubSpot circuit breaker", {{"state", CircuitStateName(s)}});
    if (listener) listener(s);
  }
}

CircuitState CircuitBreaker::state() const {
  absl::MutexLock lock(&mu_);
  return state_;
}

void CircuitBreaker::SetListener(std::function<void(CircuitState)> listener) {
  absl::MutexLock lock(&mu_);
  listener_ = std::move(listener);
}

}  // namespace hubspot_gateway

#include "server/hubspot/retry_policy.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"

namespace hubspot_gateway {
namespace {

bool HeaderIs(const HttpResponse& r, const char* name, absl::string_view v) {
  auto it = r.headers.find(name);
  return it != r.headers.end() && it->second == v;
}

// HubSpot's daily quota is spent: nothing will succeed before it resets.
bool DailyLimitSpent(const HttpResponse& r) {
  return r.status == 429 &&
         (HeaderIs(r, "x-hubspot-ratelimit-daily-remaining", "0") ||
          r.body.find("\"DAILY\"") != std::string::npos);
}

}  // namespace

bool IsRetryable(const RetryPolicy& policy, RetrySafety safety,
                 const absl::StatusOr<HttpResponse>& result,
                 AttemptEffect effect) {
  const bool may_repeat =
      safety == RetrySafety::kIdempotent || effect == AttemptEffect::kNone;
  if (!result.ok()) {
    // Out of time or called off: the caller no longer waits. Other
    // transport failures (refused, reset, TLS) may be passing.
    return result.status().code() == absl::StatusCode::kUnavailable &&
           may_repeat;
  }
  const int status = result->status;
  if (std::find(policy.status_codes.begin(), policy.status_codes.end(),
                status) == policy.status_codes.end()) {
    return false;
  }
  if (DailyLimitSpent(*result)) return false;
  return may_repeat;
}

absl::Duration Backoff(const RetryPolicy& policy, int retry,
                       double random01) {
  const double scale = std::pow(policy.backoff_factor, std::max(0, retry - 1));
  const absl::Duration full =
      std::min(policy.interval * scale, policy.max_wait_interval);
  return full / 2 + full / 2 * std::clamp(random01, 0.0, 1.0);
}

std::optional<absl::Duration> RequestedWait(const HttpResponse& response) {
  int64_t seconds = 0;
  auto it = response.headers.find("retry-after");
  if (it != response.headers.end() && absl::SimpleAtoi(it->second, &seconds) &&
      seconds >= 0) {
    return absl::Seconds(std::min<int64_t>(seconds, 3600));
  }
  if (response.status != 429) return std::nullopt;
  // HubSpot's own headers: with the rolling window spent, a call's slot
  // frees about every interval / max.
  auto header = [&response](const char* name) -> std::optional<int64_t> {
    auto h = response.headers.find(name);
    int64_t v = 0;
    if (h == response.headers.end() || !absl::SimpleAtoi(h->second, &v)) {
      return std::nullopt;
    }
    return v;
  };
  const std::optional<int64_t> remaining =
      header("x-hubspot-ratelimit-remaining");
  const std::optional<int64_t> interval_ms =
      header("x-hubspot-ratelimit-interval-milliseconds");
  const std::optional<int64_t> max = header("x-hubspot-ratelimit-max");
  if (remaining == 0 && interval_ms.has_value() && *interval_ms > 0) {
    const int64_t slots = max.has_value() && *max > 0 ? *max : 1;
    return absl::Milliseconds(std::min<int64_t>(*interval_ms / slots, 60000));
  }
  if (header("x-hubspot-ratelimit-secondly-remaining") == 0) {
    return absl::Seconds(1);
  }
  return std::nullopt;
}

RetryBudget::RetryBudget(double max_tokens, double token_ratio)
    : max_tokens_(max_tokens), token_ratio_(token_ratio), tokens_(max_tokens) {}

bool RetryBudget::OnFailure() {
  absl::MutexLock lock(&mu_);
  tokens_ = std::max(0.0, tokens_ - 1);
  return tokens_ > max_tokens_ / 2;
}

void RetryBudget::OnSuccess() {
  absl::MutexLock lock(&mu_);
  tokens_ = std::min(max_tokens_, tokens_ + token_ratio_);
}

}  // namespace hubspot_gateway
